import type { ResolvedHost } from '../../config/types.js';
import { FleetError } from '../errors.js';
import { shArgv } from './quote.js';
import { hostRun } from './ssh.js';

/**
 * Small files fleet-tui keeps in a host checkout (agent settings), read and written over SSH with
 * the same rules as locally: a file git tracks is never written, one fleet-tui writes is kept out
 * of `git status` through the clone's info/exclude. Every path is a single-quoted word.
 */

/** What a file in a checkout on the host is: tracked by git, absent, or its text. */
export type HostFile = { kind: 'tracked' } | { kind: 'missing' } | { kind: 'file'; text: string };

// Pairs of (directory, path relative to it); per pair a line `T`, `N`, `M` (no directory) or
// `F <n>` followed by exactly n bytes of the file.
const READ = [
  'while [ $# -ge 2 ]; do',
  '  ( cd -- "$1" 2>/dev/null || { echo M; exit 0; }',
  '    if [ -n "$(git ls-files -- "$2" 2>/dev/null)" ]; then echo T',
  '    elif [ -f "$2" ]; then s=$(wc -c < "$2"); s=$((s)); echo "F $s"; head -c "$s" -- "$2"',
  '    else echo N; fi )',
  '  shift 2',
  'done',
].join('\n');

/** Read files in one round trip. */
export async function readHostFiles(
  host: ResolvedHost,
  files: Array<{ dir: string; rel: string }>,
): Promise<HostFile[]> {
  const args = files.flatMap((f) => [f.dir, f.rel]);
  const res = await hostRun(host, `sh -c ${shArgv([READ, 'fleet-tui', ...args])}`, {
    uncounted: true,
  });
  const out = res.stdout;
  const found: HostFile[] = [];
  let at = 0;
  for (const f of files) {
    const nl = out.indexOf(10, at);
    const head = nl < 0 ? '' : out.subarray(at, nl).toString('latin1');
    const m = /^(T|N|M|F (\d+))$/.exec(head);
    if (res.exitCode !== 0 || !m) {
      throw new FleetError(
        `cannot read ${f.rel} in ${f.dir} on host "${host.name}": ${res.stderr.trim() || 'unexpected answer'}`,
      );
    }
    at = nl + 1;
    if (m[1] === 'T') found.push({ kind: 'tracked' });
    else if (m[1] === 'N' || m[1] === 'M') found.push({ kind: 'missing' });
    else {
      const n = Number(m[2]);
      found.push({ kind: 'file', text: out.subarray(at, at + n).toString('utf8') });
      at += n;
    }
  }
  return found;
}

/** Write `text` to `rel` in `dir` on the host (an existing file keeps its mode) and, given
 * `exclude`, list its pattern in the clone's info/exclude under `# fleet-tui: <why>`; one round
 * trip. */
export async function writeHostFile(
  host: ResolvedHost,
  dir: string,
  rel: string,
  text: string,
  exclude: { pattern: string; why: string } | null,
): Promise<void> {
  const script = [
    'cd -- "$1" || exit 3',
    'mkdir -p "$(dirname -- "$2")" && cat > "$2" || exit 4',
    '[ -n "$3" ] || exit 0',
    'x=$(git rev-parse --path-format=absolute --git-path info/exclude) || exit 5',
    'mkdir -p "$(dirname "$x")" || exit 5',
    'grep -qxF "$3" "$x" 2>/dev/null && exit 0',
    '[ -s "$x" ] && [ -n "$(tail -c 1 "$x")" ] && echo >> "$x"',
    'printf "# fleet-tui: %s\\n%s\\n" "$4" "$3" >> "$x"',
  ].join('\n');
  const res = await hostRun(
    host,
    `sh -c ${shArgv([script, 'fleet-tui', dir, rel, exclude?.pattern ?? '', exclude?.why ?? ''])}`,
    { input: text, uncounted: true },
  );
  if (res.exitCode !== 0) {
    throw new FleetError(
      `cannot write ${rel} in ${dir} on host "${host.name}": ${res.stderr.trim()}`,
    );
  }
}

/** Remove `rel` in `dir` on the host (a file fleet-tui wrote earlier). */
export async function removeHostFile(host: ResolvedHost, dir: string, rel: string): Promise<void> {
  await hostRun(host, `cd -- ${shArgv([dir])} && rm -f -- ${shArgv([rel])}`, { uncounted: true });
}
