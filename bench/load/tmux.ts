// The multiplexer baseline: the same N streams in N panes of one tmux window, with a client
// attached on a pseudo-terminal of the same size (tmux redraws for it, as for a person).
import { execa } from 'execa';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cpuTimes, memory } from '../lib/proc.js';
import { TtyProbe } from '../tty/probe.js';
import { PRINTER, sleep, type StreamSpec } from './spec.js';

export interface TmuxRun {
  serverCpuMs: number;
  serverPeakMb: number;
}

export async function tmuxRun(spec: StreamSpec, dir: string): Promise<TmuxRun> {
  const t0 = performance.now();
  const lap = (s: string) =>
    process.env.BENCH_TRACE && console.error(s, Math.round(performance.now() - t0));
  const sock = `fleet-bench-${process.pid}`;
  const go = path.join(dir, `tmux-go-${Date.now()}.json`);
  const tmux = (...args: string[]) =>
    execa('tmux', ['-L', sock, '-f', '/dev/null', ...args], { cwd: dir });
  const pane = (i: number) => `'${process.execPath}' '${PRINTER}' ps${i + 1} '${go}'`;
  // One tmux invocation builds the whole window: N panes, tiled, no status line.
  const build = [
    'new-session',
    '-d',
    '-s',
    'bench',
    '-x',
    String(spec.cols),
    '-y',
    String(spec.rows),
    pane(0),
  ];
  build.push(';', 'set-option', '-g', 'status', 'off');
  for (let i = 1; i < spec.instances; i++) {
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
    lap('built');
    const server = Number((await tmux('display-message', '-p', '#{pid}')).stdout.trim());
    client = new TtyProbe({
      command: 'tmux',
      args: ['-L', sock, 'attach', '-t', 'bench'],
      cwd: dir,
      cols: spec.cols,
      rows: spec.rows,
    });
    await client.started();
    // tmux draws without frame markers: wait for its first output instead.
    for (let t = 0; client.bytes === 0 && t < 100; t++) await sleep(50);
    lap('client');
    const start = Date.now() + 300;
    writeFileSync(go, JSON.stringify({ start, rate: spec.rate, durationS: spec.durationS }));
    await sleep(start - Date.now());
    const s0 = cpuTimes(server);
    await sleep(spec.durationS * 1000);
    lap('streamed');
    const s1 = cpuTimes(server);
    return {
      serverCpuMs: s1.self - s0.self,
      serverPeakMb: memory(server).peakMb,
    };
  } finally {
    await tmux('kill-server').catch(() => undefined);
    await client?.stop('', 2000);
    rmSync(go, { force: true });
    lap('done');
  }
}
