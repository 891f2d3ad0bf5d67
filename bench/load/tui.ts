// fleet-tui under load: the TUI on a 160×48 pseudo-terminal, its N exec agents running the same
// printer as the tmux panes. CPU and memory from /proc, frames from the probe, lag from stamps.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BenchFleet } from '../fixtures/fleet.js';
import { BIN } from '../land/contenders.js';
import { cpuTimes, memory } from '../lib/proc.js';
import { percentile } from '../lib/stats.js';
import { TtyProbe } from '../tty/probe.js';
import type { Screen } from '../tty/screen.js';
import { focusSignature } from './focus.js';
import { sleep, type StreamSpec } from './spec.js';
import { StampTracker } from './stamps.js';

export interface TuiRun {
  /** Spawn → first frame showing every instance. */
  startupMs: number;
  cpuMs: number;
  /** CPU of git and other short-lived children fleet-tui ran and reaped in the window. */
  childCpuMs: number;
  peakMb: number;
  rssMb: number;
  fps: number;
  lagP50: number;
  lagP95: number;
  /** Stamped lines seen on screen (the others scrolled past between two frames). */
  lagSamples: number;
  keyLatencies: number[];
}

/** The go file the fixture's agents wait for (see printer.js). */
export function goFile(fleet: Pick<BenchFleet, 'dir'>): string {
  return path.join(fleet.dir, 'go.json');
}

export function showsEveryInstance(screen: Screen, ids: readonly string[]): boolean {
  const text = screen.lines().join('\n');
  return ids.every((id) => new RegExp(`\\b${id}\\b`).test(text));
}

export function launchTui(fleet: BenchFleet, spec: Pick<StreamSpec, 'cols' | 'rows'>): TtyProbe {
  return new TtyProbe({
    command: process.execPath,
    args: [BIN],
    cwd: fleet.repo,
    cols: spec.cols,
    rows: spec.rows,
  });
}

/** Quit the TUI (answering a confirmation if it asks) and wait for it to be gone. */
export async function quitTui(probe: TtyProbe): Promise<void> {
  await probe.stop('q', 2500);
}

/** Press Tab while streaming; each latency is press → first frame whose focus marker moved. */
async function pressKeys(probe: TtyProbe, until: number, latencies: number[]): Promise<void> {
  while (Date.now() + 2000 < until) {
    await sleep(1000);
    const before = focusSignature(probe.screen);
    const sent = probe.press('\t');
    const shown = await probe
      .waitFor((s) => focusSignature(s) !== before, 1500, 'the focus to move')
      .catch(() => NaN);
    latencies.push(shown - sent);
  }
}

export async function tuiRun(
  fleet: BenchFleet,
  spec: StreamSpec,
  opts: { keys: boolean },
): Promise<TuiRun> {
  const go = goFile(fleet);
  rmSync(go, { force: true });
  const ids = fleet.instances.map((i) => i.id);
  const probe = launchTui(fleet, spec);
  try {
    const pid = await probe.started();
    const firstComplete = await probe.waitFor(
      (s) => showsEveryInstance(s, ids),
      15_000,
      'every instance on screen',
    );
    const startupMs = firstComplete - probe.startedAt;
    await sleep(1000);
    const start = Date.now() + 300;
    const end = start + spec.durationS * 1000;
    const stamps = new StampTracker(start, end);
    const off = probe.onFrame((screen, at) => stamps.scan(screen, at));
    writeFileSync(go, JSON.stringify({ start, rate: spec.rate, durationS: spec.durationS }));
    await sleep(start - Date.now());
    const c0 = cpuTimes(pid);
    const f0 = probe.frameTimes.length;
    const keyLatencies: number[] = [];
    if (opts.keys) await pressKeys(probe, end, keyLatencies);
    await sleep(end - Date.now());
    const c1 = cpuTimes(pid);
    const frames = probe.frameTimes.length - f0;
    const mem = memory(pid);
    // Lines stamped just before the end still reach the screen in the next frames.
    await sleep(500);
    off();
    return {
      startupMs,
      cpuMs: c1.self - c0.self,
      childCpuMs: c1.children - c0.children,
      peakMb: mem.peakMb,
      rssMb: mem.rssMb,
      fps: frames / spec.durationS,
      lagP50: percentile(stamps.lags, 50),
      lagP95: percentile(stamps.lags, 95),
      lagSamples: stamps.lags.length,
      keyLatencies,
    };
  } finally {
    await quitTui(probe);
    rmSync(go, { force: true });
  }
}
