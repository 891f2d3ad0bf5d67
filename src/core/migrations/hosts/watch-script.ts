import { shQuote as q } from '../../hosts/quote.js';

export interface WatchTarget {
  /** The instance's worktree on the host. */
  worktree: string;
  /** Its migrations directory on the host. */
  dir: string;
  branch: string;
}

/** Seconds between two looks in poll mode (and the longest an inotify wait lasts). */
export const POLL_SECONDS = 2;

/**
 * The watcher that runs on a host, one per host, for as long as the session lasts. It never
 * prints a file name: only lines `<nonce> <what>`, where what is an instance's index (something
 * in its migrations directory, its HEAD or its branch changed), `mode inotify|poll` once at start,
 * or `tick` after every look (the heartbeat: fleet-tui restarts a watcher that goes silent, and a
 * watcher whose connection is gone dies at its next write).
 *
 * Detection is `find -newer <stamp>` over each instance's directory (depth 1), HEAD file and
 * branch ref file, plus whether the directory exists, in a loop; the stamp is set to the start of
 * the current second (`touch -t`), so a change made in the same clock tick as the stamp is seen
 * again next time rather than never. Where `inotifywait` exists, the loop's wait is an
 * inotifywait on the directories (ending at the first event), so a change is seen at once; the
 * look that follows decides what changed, as in poll mode. `mode` forces poll mode (tests).
 */
export function watchScript(targets: readonly WatchTarget[], nonce: string, mode: string): string {
  const lines = [
    'export LC_ALL=C GIT_OPTIONAL_LOCKS=0',
    `n=${q(nonce)}`,
    // A write to a closed connection ends the watcher.
    `ev() { printf '%s %s\\n' "$n" "$1" || exit 0; }`,
    'trap "exit 0" HUP INT TERM PIPE',
    't=$(mktemp -d 2>/dev/null) || exit 3',
    `trap 'rm -rf "$t"' EXIT`,
    `stamp() { touch -t "$(date +%Y%m%d%H%M.%S)" "$1"; }`,
    'stamp "$t/s"',
    'mode=poll',
    `if [ ${q(mode)} != poll ] && command -v inotifywait >/dev/null 2>&1; then mode=inotify; fi`,
    'ev "mode $mode"',
  ];
  targets.forEach((tg, k) => {
    lines.push(
      `d${k}=${q(tg.dir)}`,
      `w${k}=${q(tg.worktree)}`,
      `r${k}=${q(`refs/heads/${tg.branch}`)}`,
      `e${k}=$([ -d "$d${k}" ] && echo 1)`,
      `h${k}=`,
      `f${k}=`,
    );
  });
  const look = targets.map((_, k) =>
    [
      // The git files are found once the worktree exists (it may be made later by `up`).
      `  if [ -z "$h${k}" ]; then h${k}=$(git -C "$w${k}" rev-parse --path-format=absolute --git-path HEAD 2>/dev/null); f${k}=$(git -C "$w${k}" rev-parse --path-format=absolute --git-path "$r${k}" 2>/dev/null); fi`,
      `  x=$([ -d "$d${k}" ] && echo 1)`,
      `  if [ "$x" != "$e${k}" ]; then e${k}=$x; ev ${k}`,
      `  elif [ -n "$(find "$d${k}" \${h${k}:+"$h${k}"} \${f${k}:+"$f${k}"} -maxdepth 1 -newer "$t/s" 2>/dev/null | head -n 1)" ]; then ev ${k}; fi`,
    ].join('\n'),
  );
  const dirs = targets.map((_, k) => `\${e${k}:+"$d${k}"}`).join(' ');
  lines.push(
    'while :; do',
    '  if [ "$mode" = inotify ]; then',
    // Only directories that exist can be watched; with none, wait like poll mode.
    `    set -- ${dirs}`,
    `    if [ $# -gt 0 ]; then inotifywait -qq -t ${POLL_SECONDS} -e close_write,create,delete,move,attrib -- "$@" >/dev/null 2>&1; else sleep ${POLL_SECONDS}; fi`,
    `  else sleep ${POLL_SECONDS}; fi`,
    '  stamp "$t/n"',
    ...look,
    '  mv -f "$t/n" "$t/s"',
    '  ev tick',
    'done',
  );
  return lines.join('\n');
}
