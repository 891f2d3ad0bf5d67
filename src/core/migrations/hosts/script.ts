import type { ResolvedInstance } from '../../../config/types.js';
import { shQuote as q } from '../../hosts/quote.js';
import { MAX_MIGRATION_BYTES } from '../safe-read.js';

/**
 * The shell script that reads the migrations of a host's worktrees in ONE SSH round trip, and the
 * probe it runs on every uncommitted file. The host has git and a POSIX shell, nothing of ours;
 * the file names never pass through the shell as words: `git status -z` hands them to `xargs -0`,
 * which passes each record as one argument to the probe, and the probe prints them back
 * NUL-terminated beside a kind code from a fixed set (what safe-read.ts decides locally):
 *
 *   F <blob id>  a regular file (through a symlink that stays inside the worktree) and its id
 *   G            gone (deleted, or vanished while we looked)
 *   N / L        a symlink to nothing / leading outside the worktree
 *   P S D O      a FIFO, a socket, a directory, another special file
 *   B            larger than MAX_MIGRATION_BYTES
 *
 * A FIFO is never opened: only a regular file is hashed (`git hash-object --no-filters`, the
 * blob id of its bytes, as blobOid computes locally). A file swapped for a FIFO between the test
 * and the hash would block the probe until the read's deadline ends the session: the cost is
 * that host's check, never the others'.
 */
const PROBE = [
  'top=$(pwd -P)',
  'for r; do',
  '  p=${r#???}',
  `  case "$r" in D*|?D*) printf '%s\\0G\\0' "$r"; continue;; esac`,
  '  t=$p; k=',
  '  if [ -L "$p" ]; then',
  '    t=$(readlink -f -- "$p" 2>/dev/null) || t=',
  '    if [ -z "$t" ] || [ ! -e "$t" ]; then k=N',
  '    else case "$t" in "$top"/*) ;; *) k=L;; esac; fi',
  '  fi',
  '  if [ -z "$k" ]; then',
  '    if [ -f "$t" ]; then',
  '      n=$(wc -c < "$t" 2>/dev/null); n=${n:-0}',
  // Unquoted: BSD wc pads the count with blanks.
  `      if [ $n -gt ${MAX_MIGRATION_BYTES} ]; then k=B`,
  '      elif o=$(git hash-object --no-filters -- "$t" 2>/dev/null); then k="F $o"',
  '      else k=G; fi',
  '    elif [ -d "$t" ]; then k=D',
  '    elif [ -p "$t" ]; then k=P',
  '    elif [ -S "$t" ]; then k=S',
  '    elif [ -e "$t" ]; then k=O',
  '    else k=G; fi',
  '  fi',
  `  printf '%s\\0%s\\0' "$r" "$k"`,
  'done',
].join('\n');

export interface ScriptInput {
  repo: string;
  remote: string;
  mainBranch: string;
  dir: string;
  insts: readonly ResolvedInstance[];
}

/**
 * Per instance `i`, sections `i branch` (its commits not on the host clone's main, `git diff
 * --raw -z`), and when its worktree exists `i files` (its uncommitted files, probed). Without a worktree, the branch of the host's
 * clone is read instead, as readInstanceRaw does locally.
 */
export function readScript(input: ScriptInput, nonce: string): string {
  const { repo, remote, mainBranch, dir } = input;
  const spec = q(`${dir}/`);
  const lines = [
    'export LC_ALL=C GIT_OPTIONAL_LOCKS=0',
    `s() { printf '\\n@@%s %s %s\\n' ${q(nonce)} "$1" "$2"; }`,
    `rc() { printf '\\n%s\\n' "$1"; }`,
    `probe=${q(PROBE)}`,
    // The host clone's `<remote>/<main>`, or its local `<main>` before any fetch.
    `m=${q(`refs/remotes/${remote}/${mainBranch}`)}`,
    `git -C ${q(repo)} rev-parse -q --verify "$m^{commit}" >/dev/null 2>&1 || m=${q(`refs/heads/${mainBranch}`)}`,
  ];
  input.insts.forEach((inst, i) => {
    const wt = q(inst.hostPath!);
    const range = `"$m"...${q(`refs/heads/${inst.branch}`)}`;
    lines.push(
      `if [ -e ${wt}/.git ] && cd ${wt} 2>/dev/null; then`,
      `  s ${i} branch; git diff --raw -z --no-abbrev -M "$m"...HEAD -- ${spec} 2>/dev/null; rc $?`,
      `  s ${i} files; git status --porcelain=v1 -z --no-renames --untracked-files=all -- ${spec} 2>/dev/null | xargs -0 sh -c "$probe" sh 2>/dev/null; rc $?`,
      'else',
      `  s ${i} branch; git -C ${q(repo)} diff --raw -z --no-abbrev -M ${range} -- ${spec} 2>/dev/null; rc $?`,
      'fi',
    );
  });
  return lines.join('\n');
}
