import { nonceLine, rebaseArgs } from '../land/sync.js';
import { shArgv, shQuote } from './quote.js';

/**
 * The shell scripts a host sync runs (see sync.ts). Every word from outside is quoted; output
 * comes in sections whose headers carry a random nonce (read.ts `sections`).
 */
const OPS = [
  'rebase-merge',
  'rebase-apply',
  'MERGE_HEAD',
  'CHERRY_PICK_HEAD',
  'REVERT_HEAD',
  'BISECT_LOG',
];

/** One round trip: everything the sync rules need to know about each worktree. */
export function checkScript(
  items: Array<{ path: string; from: string | null }>,
  target: string,
  nonce: string,
) {
  const q = shQuote;
  const lines = [
    'export LC_ALL=C GIT_OPTIONAL_LOCKS=0',
    `s() { printf '\\n@@%s %s %s\\n' ${q(nonce)} "$1" "$2"; }`,
    `rc() { printf '\\n%s\\n' "$1"; }`,
  ];
  items.forEach(({ path, from: landed }, i) => {
    const g = `git -C ${q(path)}`;
    // After a land: commits up to the landed tip are on main. Plain sync: the branch's own.
    const from = landed ?? target;
    lines.push(
      `s ${i} head; ${g} rev-parse -q --verify HEAD 2>/dev/null; rc $?`,
      `s ${i} branch; ${g} symbolic-ref -q --short HEAD 2>/dev/null; rc $?`,
      `s ${i} ops; ${g} rev-parse --path-format=absolute ${OPS.map((o) => `--git-path ${o}`).join(' ')} 2>/dev/null | while IFS= read -r f; do if [ -e "$f" ]; then echo 1; else echo 0; fi; done; rc $?`,
      `s ${i} anc; ${g} merge-base --is-ancestor --end-of-options ${q(from)} HEAD 2>/dev/null; rc $?`,
      `s ${i} merges; ${g} rev-list --merges --count --end-of-options ${q(`${from}..HEAD`)} -- 2>/dev/null; rc $?`,
      `s ${i} ignored; ${g} status --porcelain=v2 -z --ignored=matching --untracked-files=normal 2>/dev/null; rc $?`,
      `s ${i} diff; ${g} diff --name-only -z --no-renames --end-of-options HEAD ${q(target)} -- 2>/dev/null; rc $?`,
      `s ${i} log; ${g} log --format= --name-only -z --no-renames --no-merges --end-of-options ${q(`${from}..HEAD`)} -- 2>/dev/null; rc $?`,
    );
  });
  return lines.join('\n');
}

/**
 * One round trip: backup ref, rebase, and the abort of a rebase that stopped, per worktree. It
 * ignores SIGHUP and SIGPIPE, so a connection that dies mid-way does not stop it half done.
 */
export function rebaseScript(
  jobs: Array<{
    i: number;
    id: string;
    path: string;
    head: string;
    from: string | null;
    target: string;
    nonce: string;
  }>,
  nonce: string,
) {
  const q = shQuote;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const lines = [
    // The host finishes (or aborts) what it started even if this connection dies.
    "trap '' HUP PIPE",
    'export LC_ALL=C',
    `s() { printf '\\n@@%s %s %s\\n' ${q(nonce)} "$1" "$2"; }`,
    `rc() { printf '\\n%s\\n' "$1"; }`,
  ];
  for (const j of jobs) {
    const g = `git -C ${q(j.path)}`;
    const args = rebaseArgs(
      {
        pid: 0,
        id: j.id,
        worktree: j.path,
        branch: '',
        from: j.head,
        to: j.target,
        nonce: j.nonce,
      },
      j.from,
    );
    const backup = `refs/fleet/backup/${j.id}/${stamp}-sync-${j.head.slice(0, 12)}`;
    lines.push(
      // No backup, no move.
      `s ${j.i} backup; ${g} update-ref --end-of-options ${q(backup)} ${q(j.head)} 2>&1; b=$?; rc $b`,
      'if [ "$b" -eq 0 ]; then',
      `  s ${j.i} rebase; ${g} ${shArgv(args)} 2>&1; rc $?`,
      // Abort only a rebase whose todo carries our nonce: anything else is not ours.
      `  s ${j.i} conflict; d=$(${g} rev-parse --path-format=absolute --git-path rebase-merge); if [ -d "$d" ] && grep -qF ${q(nonceLine(j.nonce))} "$d/git-rebase-todo" "$d/done" 2>/dev/null; then ${g} diff --name-only -z --diff-filter=U --; ${g} rebase --abort >/dev/null 2>&1; rc 1; else rc 0; fi`,
      'fi',
    );
  }
  return lines.join('\n');
}
