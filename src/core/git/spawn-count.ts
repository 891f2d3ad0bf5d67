import { writeFileSync } from 'node:fs';

/**
 * Git processes of this process, by git subcommand. With FLEET_TUI_GIT_COUNT=<file> set, the counts
 * are written there as JSON when the process exits (the benchmark reports spawns per command),
 * with a timeline: each spawn's subcommand, start and end in ms since the process started
 * (where a cold path waits for git, and which git processes could have overlapped).
 */
const spawnCounts = new Map<string, number>();
const processes = new Map<string, number>();
const timeline: Array<[string, number, number]> = [];
const countFile = process.env.FLEET_TUI_GIT_COUNT;
if (countFile) {
  process.on('exit', () => {
    const byCommand = Object.fromEntries([...spawnCounts].sort((a, b) => b[1] - a[1]));
    const total = [...spawnCounts.values()].reduce((a, b) => a + b, 0);
    const exitMs = Math.round(performance.now());
    const cpu = process.cpuUsage();
    const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
    writeFileSync(
      countFile,
      `${JSON.stringify({ spawns: total, byCommand, processes: Object.fromEntries(processes), exitMs, cpuMs, timeline })}\n`,
    );
  });
}
/** Count a spawn; the returned function marks its end on the timeline. */
export function counted(args: readonly string[]): () => void {
  // The subcommand: past git's own options, `-c <name>=<value>` included (the sync's rebase).
  const sub = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c') ?? '?';
  spawnCounts.set(sub, (spawnCounts.get(sub) ?? 0) + 1);
  if (!countFile) return () => undefined;
  const entry: [string, number, number] = [sub, Math.round(performance.now()), -1];
  timeline.push(entry);
  return () => {
    entry[2] = Math.round(performance.now());
  };
}

/**
 * A process node itself started (`git`, or the `sh` that starts a batch of git processes): each
 * costs the event loop a wait until it has exec'd, which git processes started by `sh` do not.
 */
export function countProcess(file: string): void {
  processes.set(file, (processes.get(file) ?? 0) + 1);
}

/** Processes node has started so far, by file (`git`, `sh`). */
export function startedProcesses(): Record<string, number> {
  return Object.fromEntries(processes);
}

/**
 * A named moment on the timeline (`#name` at its time, end -1): the land marks its phases, so a
 * timeline says where node itself was between git processes.
 */
export function mark(name: string): void {
  if (countFile) timeline.push([`#${name}`, Math.round(performance.now()), -1]);
}
