// fleet-tui under load: the TUI on a pseudo-terminal, its N exec agents running the same
// printer as the tmux panes. CPU and memory from /proc, frames from the probe, lag from stamps.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { AgentKind, BenchFleet } from '../fixtures/fleet.js';
import { BIN } from '../land/contenders.js';
import { cpuTimes, memory, threadTimes } from '../lib/proc.js';
import { percentile } from '../lib/stats.js';
import { TtyProbe } from '../tty/probe.js';
import type { Screen } from '../tty/screen.js';
import { focusSignature } from './focus.js';
import { PRINTER, go, sleep, type Terminal, type Window } from './spec.js';
import { StampTracker } from './stamps.js';

interface TuiWindow {
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
  /** Press → focus change, ms; a press with no change within 1.5 s counts as 1.5 s. */
  keyLatencies: number[];
  /** Presses that showed no change within 1.5 s (counted as 1.5 s above). */
  keysMissed: number;
  /** Inside fleet-tui: key read → its frame written, ms (FLEET_TUI_TRACE_KEYS). */
  keyFrameMs: number[];
  /** Where each press's time went (see KeyParts). */
  keyParts: KeyParts[];
}

/** One press, split (ms): the probe's write → the key on the pty → read by fleet-tui → its frame
 * written → read from the pty by the terminal; and how late the probe itself saw that frame. */
export interface KeyParts {
  toPty: number;
  ptyToRead: number;
  readToWritten: number;
  writtenToTerminal: number;
  probeLate: number;
}

interface Press {
  sent: number;
  onPty: number;
  shown: number;
  seenAt: number;
}

/** fleet-tui with its agents alive and silent: CPU and frames drawn (both should be ~0). */
interface TuiIdle {
  cpuMs: number;
  frames: number;
  seconds: number;
}

export interface TuiRun {
  /** Spawn → first frame showing every instance (figure 6). */
  startupMs: number;
  idle: TuiIdle;
  windows: TuiWindow[];
}

/** The go file the fixture's agents wait for (see printer.js). */
export function goFile(fleet: Pick<BenchFleet, 'dir'>): string {
  return path.join(fleet.dir, 'go.json');
}

/** Agents for the streaming figures: the printer, as an exec agent, waiting on the go file. */
export function printerAgent(dir: string): AgentKind {
  return {
    command: process.execPath,
    args: [PRINTER, '{instance}', goFile({ dir })],
    backend: 'exec',
  };
}

function showsEveryInstance(screen: Screen, ids: readonly string[]): boolean {
  const text = screen.lines().join('\n');
  return ids.every((id) => new RegExp(`\\b${id}\\b`).test(text));
}

/** BENCH_WINDOW_PROFILE=<dir>: profile only each streaming window (see bench/window-profiler.js). */
const WINDOW_PROFILE = process.env.BENCH_WINDOW_PROFILE;
const WINDOW_PROFILER = path.join(import.meta.dirname, '..', 'window-profiler.js');

/** BENCH_THREADS=1: print each window's CPU per thread of fleet-tui (user/sys ms). */
const THREADS = process.env.BENCH_THREADS === '1';

function logThreads(
  rate: number,
  a: Map<string, [number, number]>,
  b: Map<string, [number, number]>,
  bytesPerFrame: number,
): void {
  const rows = [...b]
    .map(([k, [u, s]]): [string, number, number] => [
      k,
      u - (a.get(k)?.[0] ?? 0),
      s - (a.get(k)?.[1] ?? 0),
    ])
    .filter(([, u, s]) => u + s > 0)
    .map(([k, u, s]) => `${k} ${u.toFixed(0)}+${s.toFixed(0)}`);
  console.log(
    `  threads at ${rate}/s (user+sys ms): ${rows.join(', ')}; ${bytesPerFrame.toFixed(0)} bytes a frame`,
  );
}

/** Tell the window profiler (when loaded) that a window starts or ends. */
function windowMark(pid: number): void {
  if (WINDOW_PROFILE) process.kill(pid, 'SIGUSR2');
}

/** `profileDir`: run it under `node --cpu-prof` (for `--profile`, never in a measured run). */
function launchTui(fleet: BenchFleet, term: Terminal, profileDir?: string): TtyProbe {
  const prof = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  if (WINDOW_PROFILE) prof.push('--import', WINDOW_PROFILER);
  return new TtyProbe({
    command: process.execPath,
    args: [...prof, BIN],
    cwd: fleet.repo,
    env: {
      FLEET_TUI_TRACE_KEYS: keyTraceFile(fleet),
      ...(WINDOW_PROFILE ? { BENCH_WINDOW_PROFILE: WINDOW_PROFILE } : {}),
    },
    ...term,
  });
}

/** Where fleet-tui writes "<key read at> <its frame written at>" per key (see run-tui). */
function keyTraceFile(fleet: Pick<BenchFleet, 'dir'>): string {
  return path.join(fleet.dir, 'keys.trace');
}

/** The TUI's own [key read, its frame written] times for keys read from `since` on. */
function keyTrace(fleet: Pick<BenchFleet, 'dir'>, since: number): Array<[number, number]> {
  let text = '';
  try {
    text = readFileSync(keyTraceFile(fleet), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .map((l) => l.split(' ').map(Number))
    .filter(([read, written]) => read! >= since && Number.isFinite(written))
    .map(([read, written]) => [read!, written!]);
}

/** Each shown press joined with fleet-tui's trace line of the key it read first after the pty. */
function keyParts(presses: Press[], trace: Array<[number, number]>): KeyParts[] {
  const out: KeyParts[] = [];
  for (const p of presses) {
    // Date.now() in fleet-tui is whole ms; the relay's clock has fractions.
    const t = trace.find(([read]) => read >= Math.floor(p.onPty) && read <= p.shown);
    if (!t) continue;
    out.push({
      toPty: p.onPty - p.sent,
      ptyToRead: t[0] - p.onPty,
      readToWritten: t[1] - t[0],
      writtenToTerminal: p.shown - t[1],
      probeLate: p.seenAt - p.shown,
    });
  }
  return out;
}

/** Start fleet-tui and wait for its first complete frame; returns the probe and the time it took. */
export async function startTui(
  fleet: BenchFleet,
  term: Terminal,
  profileDir?: string,
): Promise<{ probe: TtyProbe; pid: number; startupMs: number }> {
  const probe = launchTui(fleet, term, profileDir);
  try {
    const pid = await probe.started();
    const ids = fleet.instances.map((i) => i.id);
    const at = await probe.waitFor(
      (s) => showsEveryInstance(s, ids),
      60_000,
      'every instance on screen',
    );
    return { probe, pid, startupMs: at - probe.startedAt };
  } catch (err) {
    await quitTui(probe);
    throw err;
  }
}

/** Quit the TUI and wait for it to be gone. */
export async function quitTui(probe: TtyProbe): Promise<void> {
  await probe.stop('q', 2500);
}

export const KEY_TIMEOUT_MS = 1500;

/** Press Tab once a second; each latency is press → first frame whose focus marker moved. A
 * press whose change does not show within 1.5 s counts as 1.5 s (never dropped: every run has
 * a p95). Returns how many missed. */
async function pressKeys(
  probe: TtyProbe,
  until: number,
  latencies: number[],
  presses: Press[],
): Promise<number> {
  let missed = 0;
  while (Date.now() + 1600 < until) {
    await sleep(1000);
    const before = focusSignature(probe.screen);
    const inputs = probe.inputTimes.length;
    const sent = probe.press('\t');
    const shown = await probe
      .waitFor((s) => focusSignature(s) !== before, KEY_TIMEOUT_MS, 'the focus to move')
      .catch(() => NaN);
    if (Number.isFinite(shown)) {
      latencies.push(shown - sent);
      const onPty = probe.inputTimes[inputs];
      if (onPty !== undefined) presses.push({ sent, onPty, shown, seenAt: Date.now() });
    } else {
      missed++;
      latencies.push(KEY_TIMEOUT_MS);
    }
  }
  return missed;
}

/** Seconds of silence measured after start-up settles (agents alive, nothing printing). */
const IDLE_SECONDS = 10;

async function measureIdle(probe: TtyProbe, pid: number, n: number): Promise<TuiIdle> {
  // Start-up is over when every agent has come up and gone quiet (its pane says idle, and the
  // git status its turn's end asks for has been read): then silence is measured.
  const idle = (s: Screen) =>
    s
      .lines()
      .join('\n')
      .match(/\bidle\b/g)?.length ?? 0;
  if (idle(probe.screen) < n)
    await probe.waitFor((s) => idle(s) >= n, 20_000, 'every agent idle').catch(() => undefined);
  await sleep(2000);
  const c0 = cpuTimes(pid);
  const f0 = probe.frameTimes.length;
  await sleep(IDLE_SECONDS * 1000);
  const c1 = cpuTimes(pid);
  return {
    cpuMs: c1.self - c0.self,
    frames: probe.frameTimes.length - f0,
    seconds: IDLE_SECONDS,
  };
}

async function measureWindow(
  fleet: BenchFleet,
  probe: TtyProbe,
  pid: number,
  file: string,
  w: Window & { keys: boolean },
): Promise<TuiWindow> {
  const [start, end] = go(file, w);
  const stamps = new StampTracker(start, end);
  const off = probe.onFrame((screen, at) => stamps.scan(screen, at));
  await sleep(start - Date.now());
  windowMark(pid);
  const t0 = THREADS ? threadTimes(pid) : null;
  const b0 = probe.bytes;
  const c0 = cpuTimes(pid);
  const f0 = probe.frameTimes.length;
  const keyLatencies: number[] = [];
  const presses: Press[] = [];
  const keysMissed = w.keys ? await pressKeys(probe, end, keyLatencies, presses) : 0;
  await sleep(end - Date.now());
  const c1 = cpuTimes(pid);
  windowMark(pid);
  if (t0)
    logThreads(w.rate, t0, threadTimes(pid), (probe.bytes - b0) / (probe.frameTimes.length - f0));
  const frames = probe.frameTimes.length - f0;
  const mem = memory(pid);
  // Lines stamped just before the end still reach the screen in the next frames: wait until the
  // screen shows the stream's last lines (at most 3 s, then the rest are counted as never shown).
  for (let t = 0; stamps.newest < end - 100 && t < 30; t++) await sleep(100);
  off();
  const trace = w.keys ? keyTrace(fleet, start) : [];
  return {
    cpuMs: c1.self - c0.self,
    childCpuMs: c1.children - c0.children,
    peakMb: mem.peakMb,
    rssMb: mem.rssMb,
    fps: frames / w.durationS,
    lagP50: percentile(stamps.lags, 50),
    lagP95: percentile(stamps.lags, 95),
    lagSamples: stamps.lags.length,
    keyLatencies,
    keysMissed,
    keyFrameMs: trace.map(([read, written]) => written - read),
    keyParts: keyParts(presses, trace),
  };
}

export async function tuiRun(
  fleet: BenchFleet,
  term: Terminal,
  windows: Array<Window & { keys: boolean }>,
  profileDir?: string,
): Promise<TuiRun> {
  const file = goFile(fleet);
  rmSync(file, { force: true });
  rmSync(keyTraceFile(fleet), { force: true });
  const { probe, pid, startupMs } = await startTui(fleet, term, profileDir);
  try {
    const idle = await measureIdle(probe, pid, fleet.instances.length);
    const out: TuiWindow[] = [];
    for (const w of windows) out.push(await measureWindow(fleet, probe, pid, file, w));
    return { startupMs, idle, windows: out };
  } finally {
    await quitTui(probe);
    rmSync(file, { force: true });
  }
}
