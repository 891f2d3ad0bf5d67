// The multiplexer baseline: the same N streams in N panes of one tmux window, with a client
// attached on a pseudo-terminal of the same size (tmux redraws for it, as for a person).
import { execa } from 'execa';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { cpuTimes, memory } from '../lib/proc.js';
import { TtyProbe } from '../tty/probe.js';
import { PRINTER, go, sleep, type Terminal, type Window } from './spec.js';

export interface TmuxWindow {
  serverCpuMs: number;
  serverPeakMb: number;
}

export async function tmuxRun(
  n: number,
  term: Terminal,
  windows: Window[],
  dir: string,
): Promise<TmuxWindow[]> {
  const sock = `fleet-bench-${process.pid}`;
  const goFile = path.join(dir, `tmux-go-${process.pid}.json`);
  rmSync(goFile, { force: true });
  const tmux = (...args: string[]) =>
    execa('tmux', ['-L', sock, '-f', '/dev/null', ...args], { cwd: dir });
  const pane = (i: number) => `'${process.execPath}' '${PRINTER}' ps${i + 1} '${goFile}'`;
  // One tmux invocation builds the whole window: N panes, tiled, no status line.
  const build = [
    'new-session',
    '-d',
    '-s',
    'bench',
    '-x',
    String(term.cols),
    '-y',
    String(term.rows),
    pane(0),
  ];
  build.push(';', 'set-option', '-g', 'status', 'off');
  for (let i = 1; i < n; i++) {
    build.push(
      ';',
      'split-window',
      '-t',
      'bench',
      pane(i),
      ';',
      'select-layout',
      '-t',
      'bench',
      'tiled',
    );
  }
  await tmux(...build);
  let client: TtyProbe | undefined;
  try {
    const server = Number((await tmux('display-message', '-p', '#{pid}')).stdout.trim());
    client = new TtyProbe({
      command: 'tmux',
      args: ['-L', sock, 'attach', '-t', 'bench'],
      cwd: dir,
      ...term,
    });
    await client.started();
    // tmux draws without frame markers: wait for its first output instead.
    for (let t = 0; client.bytes === 0 && t < 100; t++) await sleep(50);
    if ((await tmux('list-clients')).stdout.trim() === '')
      throw new Error('tmux client did not attach');
    await sleep(500);
    const out: TmuxWindow[] = [];
    for (const w of windows) {
      const [start, end] = go(goFile, w);
      await sleep(start - Date.now());
      const c0 = cpuTimes(server);
      await sleep(end - Date.now());
      const c1 = cpuTimes(server);
      out.push({ serverCpuMs: c1.self - c0.self, serverPeakMb: memory(server).peakMb });
      await sleep(200);
    }
    return out;
  } finally {
    await tmux('kill-server').catch(() => undefined);
    await client?.stop('', 2000);
    rmSync(goFile, { force: true });
  }
}
