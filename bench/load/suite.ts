// Figures 2, 3 and 6 (and the scale rows of 7): fleet-tui and tmux under the same streams.
// A run is one fleet-tui process (and one tmux server) serving a window at each rate, lowest
// first; tmux and fleet-tui alternate run by run so machine noise hits both alike.
import { buildFleet, type BenchFleet } from '../fixtures/fleet.js';
import { workDir } from '../lib/env.js';
import type { FigureInput, Results } from '../lib/results.js';
import { percentile } from '../lib/stats.js';
import { terminalFor } from './spec.js';
import { tmuxRun, type TmuxWindow } from './tmux.js';
import { KEY_TIMEOUT_MS, printerAgent, tuiRun, type KeyParts, type TuiRun } from './tui.js';

/** A fleet whose agents are the printer (exec backend), all waiting for one go file. */
export function printerFleet(n: number): Promise<BenchFleet> {
  return buildFleet({ instances: n, agent: printerAgent });
}

export interface LoadOptions {
  rates: number[];
  runs: number;
  durationS: number;
  /** Press keys in the 500 lines/s window (figure 3). */
  keys: boolean;
  log: (s: string) => void;
}

const pct = (ms: number, durationS: number) => ms / (durationS * 10);

/** Where presses' time went, p50/p95 of each leg (see KeyParts). */
function partsLine(parts: KeyParts[]): string {
  const legs: Array<keyof KeyParts> = [
    'toPty',
    'ptyToRead',
    'readToWritten',
    'writtenToTerminal',
    'probeLate',
  ];
  return legs
    .map((k) => {
      const v = parts.map((p) => p[k]);
      return `${k} ${percentile(v, 50).toFixed(1)}/${percentile(v, 95).toFixed(1)}`;
    })
    .join(', ');
}

export async function loadSuite(
  results: Results,
  fleet: BenchFleet,
  o: LoadOptions,
): Promise<void> {
  const n = fleet.instances.length;
  const section = n === 12 ? 2 : 7;
  const term = terminalFor(n);
  const windows = o.rates.map((rate) => ({
    rate,
    durationS: o.durationS,
    keys: o.keys && rate === 500,
  }));
  const tui: TuiRun[] = [];
  const tmux: TmuxWindow[][] = [];
  for (let r = 0; r < o.runs; r++) {
    tmux.push(await tmuxRun(n, term, windows, workDir()));
    tui.push(await tuiRun(fleet, term, windows));
    const idle = tui[r]!.idle;
    o.log(
      `load ${n} agents run ${r + 1}: start-up ${tui[r]!.startupMs} ms, idle cpu ${(idle.cpuMs / (idle.seconds * 10)).toFixed(2)}% (${idle.frames} frames in ${idle.seconds} s)`,
    );
    o.rates.forEach((rate, k) => {
      const f = tui[r]!.windows[k]!;
      const t = tmux[r]![k]!;
      o.log(
        `  ${rate}/s: fleet-tui cpu ${pct(f.cpuMs, o.durationS).toFixed(1)}% (tmux ${pct(t.serverCpuMs, o.durationS).toFixed(1)}%), ` +
          `peak ${f.peakMb.toFixed(0)} MB, ${f.fps.toFixed(1)} fps, lag p50 ${f.lagP50.toFixed(0)} p95 ${f.lagP95.toFixed(0)} ms ` +
          `(${f.lagSamples} lines)${f.keyLatencies.length ? `, keys ${f.keyLatencies.map((v) => v.toFixed(0)).join(' ')} ms` : ''}`,
      );
      if (f.keyParts.length) o.log(`  key parts p50/p95 ms: ${partsLine(f.keyParts)}`);
    });
  }
  o.rates.forEach((rate, k) => {
    const f = tui.map((x) => x.windows[k]!);
    const t = tmux.map((x) => x[k]!);
    const what = `${n} streams × ${rate} lines/s × ${o.durationS} s, ${term.cols}×${term.rows} terminal`;
    const tuiCmd = `fleet-tui (exec agents: bench/printer.js) — ${what}`;
    const tmuxCmd = `tmux: ${n} panes in one window running bench/printer.js, a client attached — ${what}`;
    const at500 = section === 2 && rate === 500;
    const label = `${n} agents × ${rate} lines/s`;
    const fig = (
      id: string,
      title: string,
      unit: string,
      runs: number[],
      command: string,
      extra: Partial<FigureInput> = {},
    ) =>
      results.add({
        section,
        id: `${id}.${n}.${rate}`,
        title: `${label}: ${title}`,
        unit,
        runs,
        command,
        ...extra,
      });
    fig(
      'tui.cpu',
      'fleet-tui CPU',
      '% of a core',
      f.map((x) => pct(x.cpuMs, o.durationS)),
      tuiCmd,
      {
        note: `its reaped children (git): ${f.map((x) => pct(x.childCpuMs, o.durationS).toFixed(1)).join(', ')} %`,
      },
    );
    fig(
      'tmux.cpu',
      'tmux server CPU',
      '% of a core',
      t.map((x) => pct(x.serverCpuMs, o.durationS)),
      tmuxCmd,
    );
    fig(
      'tui.cpu-ratio',
      'CPU fleet-tui / tmux',
      '×',
      f.map((x, i) => x.cpuMs / t[i]!.serverCpuMs),
      `${tuiCmd}; vs ${tmuxCmd}`,
      section === 2 ? { target: 'fleet-tui ≤ tmux (≤ 1×)', check: (v) => v <= 1 } : {},
    );
    fig(
      'tui.peak-rss',
      'fleet-tui peak RSS',
      'MB',
      f.map((x) => x.peakMb),
      tuiCmd,
      at500 ? { target: '≤ 120 MB', check: (v) => v <= 120 } : {},
    );
    fig(
      'tmux.peak-rss',
      'tmux server peak RSS',
      'MB',
      t.map((x) => x.serverPeakMb),
      tmuxCmd,
    );
    fig(
      'tui.fps',
      'fleet-tui frames/s',
      'fps',
      f.map((x) => x.fps),
      tuiCmd,
    );
    fig(
      'tui.lag-p50',
      'output-to-screen lag p50',
      'ms',
      f.map((x) => x.lagP50),
      tuiCmd,
    );
    fig(
      'tui.lag-p95',
      'output-to-screen lag p95',
      'ms',
      f.map((x) => x.lagP95),
      tuiCmd,
      {
        ...(section === 2 ? { target: '≤ 100 ms', check: (v: number) => v <= 100 } : {}),
        note: `stamped lines seen on screen per run: ${f.map((x) => x.lagSamples).join(', ')}`,
      },
    );
    const presses = f.flatMap((x) => x.keyLatencies);
    if (presses.length) {
      const missed = f.reduce((n, x) => n + x.keysMissed, 0);
      const keyCmd = `Tab pressed once a second in fleet-tui while ${what}`;
      const note = `${presses.length} presses in ${o.runs} runs, ${missed} without a visible focus change within ${KEY_TIMEOUT_MS / 1000} s (counted as ${KEY_TIMEOUT_MS} ms); pooled p50 ${percentile(presses, 50).toFixed(0)} ms, p95 ${percentile(presses, 95).toFixed(0)} ms`;
      const p = (q: number) => f.map((x) => percentile(x.keyLatencies, q));
      results.add({
        section: section === 2 ? 3 : 7,
        id: `keys.${n}.p50`,
        title: `Key press → focus change on screen, p50 (${n} agents × 500/s)`,
        unit: 'ms',
        runs: p(50),
        command: keyCmd,
        note,
      });
      results.add({
        section: section === 2 ? 3 : 7,
        id: `keys.${n}.p95`,
        title: `Key press → focus change on screen, p95 (${n} agents × 500/s)`,
        unit: 'ms',
        runs: p(95),
        command: keyCmd,
        note,
        ...(section === 2 ? { target: '≤ 30 ms', check: (v: number) => v <= 30 } : {}),
      });
      // Where the time of a press goes: inside fleet-tui (key read → its frame written) versus
      // the rest (the pty, the relay and this probe, all on the same loaded machine).
      const inside = f.flatMap((x) => x.keyFrameMs);
      if (inside.length)
        results.add({
          section: section === 2 ? 3 : 7,
          id: `keys.${n}.inside-p95`,
          title: `Key read → its frame written, inside fleet-tui, p95 (${n} agents × 500/s)`,
          unit: 'ms',
          runs: f.map((x) => percentile(x.keyFrameMs, 95)),
          command: `${keyCmd}; FLEET_TUI_TRACE_KEYS`,
          note: `${inside.length} presses; pooled p50 ${percentile(inside, 50).toFixed(0)} ms, p95 ${percentile(inside, 95).toFixed(0)} ms`,
        });
    }
  });
  // Idle is idle: the 12 agents alive and silent (once every pane shows its agent idle).
  const idleCmd = `fleet-tui with ${n} exec agents alive and silent, ${term.cols}×${term.rows} pty, ${tui[0]?.idle.seconds ?? 10} s`;
  results.add({
    section,
    id: `idle.cpu.${n}`,
    title: `${n} agents alive and silent: fleet-tui CPU`,
    unit: '% of a core',
    runs: tui.map((x) => x.idle.cpuMs / (x.idle.seconds * 10)),
    command: idleCmd,
    ...(section === 2 ? { target: '≤ 0.5 % of a core', check: (v: number) => v <= 0.5 } : {}),
  });
  results.add({
    section,
    id: `idle.frames.${n}`,
    title: `${n} agents alive and silent: frames drawn`,
    unit: 'frames',
    runs: tui.map((x) => x.idle.frames),
    command: idleCmd,
    ...(section === 2 ? { target: '0', check: (v: number) => v === 0 } : {}),
  });
  results.add({
    section: section === 2 ? 6 : 7,
    id: `startup.${n}`,
    title: `Start-up: fleet-tui → first complete frame, ${n} instances`,
    unit: 'ms',
    runs: tui.map((x) => x.startupMs),
    command: `fleet-tui (node bin/fleet-tui.js) in a repository of ${n} instances, ${term.cols}×${term.rows} pty; first frame showing every instance id; agents starting, quiet`,
    ...(section === 2 ? { target: '≤ 500 ms', check: (v: number) => v <= 500 } : {}),
  });
}
