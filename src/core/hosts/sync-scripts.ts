import { nonceLine, rebaseArgs } from '../land/sync-marker.js';
import { shArgv, shQuote } from './quote.js';

/**
 * The one shell script a host sync runs (see sync.ts): per worktree, the checks of a local sync
 * and — only when every check passes, decided on the host itself, so nothing can change between
 * the look and the move — backup ref, marker, rebase, and the abort of a rebase that stopped.
 * Every word from outside is quoted; output comes in sections whose headers carry a random nonce
 * (read.ts `sections`).
 */
const OPS = [
  'rebase-merge',
  'rebase-apply',
  'MERGE_HEAD',
  'CHERRY_PICK_HEAD',
  'REVERT_HEAD',
  'BISECT_LOG',
];

export interface SyncJob {
  id: string;
  path: string;
  branch: string;
  /** The landed tip (its commits are on main now), or null for a plain sync. */
  from: string | null;
  /** Recorded in the rebase's todo: the only proof that a stopped rebase is ours. */
  nonce: string;
}

/** Where the host sync leaves its marker (read by `recover` on the host), relative to the common dir. */
export const HOST_MARKER_DIR = 'fleet-tui/syncing-host';

/**
 * Ignored entries (lines "I<entry>") against touched paths (lines "T<path>") on stdin: prints
 * every entry at, above or below a touched path. Names are cut at their first newline (NUL →
 * newline on the way in); that can only add refusals, never miss one, since two names that are
 * equal or one inside the other agree up to the first newline of the shorter.
 */
const HITS_AWK = `awk '/^I./ { ig[n++] = substr($0, 2); next }
/^T./ { t = substr($0, 2); for (i = 0; i < n; i++) { e = ig[i]; sub(/\\/$/, "", e);
  if (t == e || index(t, e "/") == 1 || index(e, t "/") == 1) hit[ig[i]] = 1 } }
END { for (h in hit) print h }'`;

/**
 * The sequence editor of the host's rebase: our nonce goes in as the FIRST line of the todo,
 * before git checks out the target. `--exec` alone puts it only after each pick, so a rebase with
 * nothing to replay (a landed branch that only moves to main: todo "noop") would carry no proof
 * that it is ours, and `recover` could not abort it after a host crash.
 */
const firstLine = (nonce: string) =>
  `fleet_first() { { printf '%s\\n' ${shQuote(`exec ${nonceLine(nonce)}`)}; cat "$1"; } > "$1.fleet" && mv "$1.fleet" "$1"; }; fleet_first`;

function jobLines(j: SyncJob, i: number, target: string, stamp: string): string[] {
  const q = shQuote;
  // `9>&-`: git's children (a detached `git gc --auto` after the rebase) must not inherit the
  // clone's lock (lockLines), or the next sync waits for the gc, then gives up as busy.
  const g = `git 9>&- -C ${q(j.path)}`;
  const r = `GIT_OPTIONAL_LOCKS=0 ${g}`;
  // After a land: commits up to the landed tip are on main. Plain sync: the branch's own.
  const from = j.from ?? target;
  const args = rebaseArgs(
    { pid: 0, id: j.id, worktree: j.path, branch: j.branch, from: '', to: target, nonce: j.nonce },
    j.from,
  );
  args.splice(args.indexOf('rebase') + 1, 0, '-i');
  const backup = `refs/fleet/backup/${j.id}/${stamp}-sync-`;
  const ops = `${r} rev-parse --path-format=absolute ${OPS.map((o) => `--git-path ${o}`).join(' ')} 2>/dev/null | while IFS= read -r f; do if [ -e "$f" ]; then echo 1; fi; done`;
  const touched = [
    `${r} diff --name-only -z --no-renames --end-of-options HEAD ${q(target)} -- 2>/dev/null`,
    `${r} log --format= --name-only -z --no-renames --no-merges --end-of-options ${q(`${from}..HEAD`)} -- 2>/dev/null`,
  ];
  return [
    `h=$(${r} rev-parse -q --verify HEAD 2>/dev/null); v=go; d=`,
    `mf="$(${r} rev-parse --path-format=absolute --git-common-dir 2>/dev/null)/${HOST_MARKER_DIR}/"${q(j.id)}`,
    'if [ -n "$busy" ]; then v=busy',
    'elif [ -z "$h" ]; then v=none',
    // Our own marker beside an operation: a sync of ours cut short (the host went down); its
    // HEAD may well sit on the target already, mid-rebase.
    `elif [ -f "$mf" ] && [ -n "$(${ops})" ]; then v=unfinished`,
    `elif [ "$h" = ${q(target)} ]; then v=current`,
    `elif [ -n "$(${ops})" ]; then v=operation`,
    `elif [ "$(${r} symbolic-ref -q HEAD 2>/dev/null)" != ${q(`refs/heads/${j.branch}`)} ]; then v=branch`,
    j.from === null
      ? `elif ${r} merge-base --is-ancestor --end-of-options ${q(target)} HEAD 2>/dev/null; then v=current`
      : `elif ! ${r} merge-base --is-ancestor --end-of-options ${q(from)} HEAD 2>/dev/null; then v=rewritten`,
    'else',
    `  d=$(${r} rev-list --merges --count --end-of-options ${q(`${from}..HEAD`)} -- 2>/dev/null)`,
    '  if [ "${d:-0}" -gt 0 ]; then v=merges; else',
    `    d=$({ ${r} status --porcelain=v2 -z --ignored=matching --untracked-files=normal 2>/dev/null | tr '\\0' '\\n' | sed -n 's/^! /I/p'; { ${touched.join('; ')}; } | tr '\\0' '\\n' | sed 's/^/T/'; } | ${HITS_AWK})`,
    '    if [ -n "$d" ]; then v=ignored; fi',
    '  fi',
    'fi',
    `s ${i} verdict; printf '%s\\n%s' "$v" "$d"; rc 0`,
    'if [ "$v" = go ]; then',
    // No backup, no move.
    `  bk=${q(backup)}"$(printf %s "$h" | cut -c1-12)"; s ${i} backup; ${g} update-ref --end-of-options "$bk" "$h" 2>&1; b=$?; rc $b`,
    '  if [ "$b" -eq 0 ]; then',
    // What `recover` on the host checks before it aborts anything: the rebase git records must
    // be this one (onto, orig-head, branch, our nonce in its todo) and its script must be gone.
    `    mkdir -p "$(dirname "$mf")"; st=$(awk '{ print $22 }' /proc/$$/stat 2>/dev/null)`,
    `    printf 'nonce %s\\nonto %s\\norig %s\\nbranch %s\\npid %s\\nstart %s\\nbackup %s\\n' ${q(j.nonce)} ${q(target)} "$h" ${q(`refs/heads/${j.branch}`)} "$$" "$st" "$bk" > "$mf"`,
    `    s ${i} rebase; GIT_SEQUENCE_EDITOR=${q(firstLine(j.nonce))} ${g} ${shArgv(args)} 2>&1; rc $?`,
    // Abort only a rebase whose todo carries our nonce: anything else is not ours.
    `    s ${i} conflict; d=$(${g} rev-parse --path-format=absolute --git-path rebase-merge); if [ -d "$d" ] && grep -qF ${q(nonceLine(j.nonce))} "$d/git-rebase-todo" "$d/done" 2>/dev/null; then ${g} diff --name-only -z --diff-filter=U --; ${g} rebase --abort >/dev/null 2>&1; rc 1; else rc 0; fi`,
    '    rm -f "$mf"',
    '  fi',
    'fi',
  ];
}

/**
 * One sync at a time per host clone. A script whose connection was cut goes on by itself, and
 * the next land or sync can come while it runs: its checks would pass on a worktree the first
 * one is about to move (between its checks and its marker), and both would rebase it, the one
 * that fails removing the other's marker. So the script holds a lock on the clone (flock(1),
 * released by the kernel however the script ends: no stale lock after a crash) and waits its
 * turn; after two minutes every worktree is refused as busy. A host without flock syncs
 * unlocked, as before.
 */
function lockLines(repo: string): string[] {
  return [
    'busy=',
    `lk="$(git -C ${shQuote(repo)} rev-parse --path-format=absolute --git-common-dir 2>/dev/null)/fleet-tui"`,
    'if command -v flock >/dev/null 2>&1 && mkdir -p "$lk" 2>/dev/null && : >> "$lk/host-sync.lock" 2>/dev/null; then',
    '  exec 9>> "$lk/host-sync.lock"',
    '  flock -w 120 9 || busy=1',
    'fi',
  ];
}

/**
 * One round trip for every worktree of a host. It ignores SIGHUP and SIGPIPE and writes nothing
 * to the connection before it is done, so a connection that dies mid-way does not stop it half
 * done: the host finishes (or aborts) what it started.
 */
export function syncScript(
  jobs: readonly SyncJob[],
  target: string,
  nonce: string,
  repo: string,
): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return [
    "trap '' HUP PIPE",
    'export LC_ALL=C',
    `s() { printf '\\n@@%s %s %s\\n' ${shQuote(nonce)} "$1" "$2"; }`,
    `rc() { printf '\\n%s\\n' "$1"; }`,
    // git sets SIGPIPE back to its default whatever it inherits: a git writing into a cut
    // connection would die mid-rebase. So nothing writes to the connection until the end: the
    // report goes to a file on the host, sent when everything is done.
    'out=$(mktemp 2>/dev/null) || out="${TMPDIR:-/tmp}/fleet-tui-sync.$$"',
    '{',
    ...lockLines(repo),
    ...jobs.flatMap((j, i) => jobLines(j, i, target, stamp)),
    // Last: a report cut short in transit lacks it, so what it holds is not taken for all.
    's - end; rc 0',
    '} > "$out" 2>&1',
    'cat "$out"; rm -f "$out"',
  ].join('\n');
}
