// Figures 2, 3 and 6 (and the scale rows of 7): fleet-tui and tmux under the same streams.
import os from 'node:os';
import { buildFleet, type BenchFleet } from '../fixtures/fleet.js';
import type { Results } from '../lib/results.js';
import { percentile } from '../lib/stats.js';
import { PRINTER, terminalFor, type StreamSpec } from './spec.js';
import { tmuxRun, type TmuxRun } from './tmux.js';
import { goFile, launchTui, quitTui, showsEveryInstance, tuiRun, type TuiRun } from './tui.js';

/** A fleet whose agents are the printer (exec backend), all waiting for one go file. */
export function printerFleet(n: number): Promise<BenchFleet> {
  return buildFleet({
    instances: n,
    agent: (dir) => ({
      command: process.execPath,
      args: [PRINTER, '{instance}', goFile({ dir })],
      backend: 'exec',
    }),
  });
}

const pct = (ms: number, durationS: number) => ms / (durationS * 10);

export interface LoadOptions {
  n: number;
  rates: number[];
  runs: number;
  durationS: number;
  log: (s: string) => void;
}

export async function loadSuite(
  results: Results,
  fleet: BenchFleet,
  o: LoadOptions,
): Promise<void> {
  const section = o.n === 12 ? 2 : 7;
  const term = terminalFor(o.n);
  for (const rate of o.rates) {
    const spec: StreamSpec = { instances: o.n, rate, durationS: o.durationS, ...term };
    const tui: TuiRun[] = [];
    const tmux: TmuxRun[] = [];
    for (let r = 0; r < o.runs; r++) {
      const t = await tmuxRun(spec, os.tmpdir());
      tmux.push(t);
      const f = await tuiRun(fleet, spec, { keys: rate === 500 && o.n === 12 });
      tui.push(f);
      o.log(
        `load ${o.n}×${rate}/s run ${r + 1}: fleet-tui cpu ${pct(f.cpuMs, o.durationS).toFixed(1)}% ` +
          `(tmux ${pct(t.serverCpuMs, o.durationS).toFixed(1)}%), peak ${f.peakMb.toFixed(0)} MB, ` +
          `${f.fps.toFixed(1)} fps, lag p50 ${f.lagP50.toFixed(0)} p95 ${f.lagP95.toFixed(0)} ms (${f.lagSamples} lines)`,
      );
    }
    const what = `${o.n} streams × ${rate} lines/s × ${o.durationS} s, ${term.cols}×${term.rows} terminal`;
    const tuiCmd = `fleet-tui (exec agents: bench/printer.js) — ${what}`;
    const tmuxCmd = `tmux: ${o.n} panes in one window running bench/printer.js, a client attached — ${what}`;
    const at500 = section === 2 && rate === 500;
    const label = `${o.n} agents × ${rate} lines/s`;
    results.add({
      section,
      id: `tui.${o.n}.${rate}.cpu`,
      title: `${label}: fleet-tui CPU`,
      unit: '% of a core',
      runs: tui.map((x) => pct(x.cpuMs, o.durationS)),
      command: tuiCmd,
      note: `children (git runs reaped in the window): ${tui.map((x) => pct(x.childCpuMs, o.durationS).toFixed(1)).join(', ')} %`,
    });
    results.add({
      section,
      id: `tmux.${o.n}.${rate}.cpu`,
      title: `${label}: tmux server CPU`,
      unit: '% of a core',
      runs: tmux.map((x) => pct(x.serverCpuMs, o.durationS)),
      command: tmuxCmd,
    });
    results.add({
      section,
      id: `tui.${o.n}.${rate}.cpu-ratio`,
      title: `${label}: CPU fleet-tui / tmux`,
      unit: '×',
      runs: tui.map((x, i) => x.cpuMs / tmux[i]!.serverCpuMs),
      command: `${tuiCmd}; vs ${tmuxCmd}`,
      ...(at500 ? { target: 'fleet-tui ≤ tmux (≤ 1×)', check: (v: number) => v <= 1 } : {}),
    });
    results.add({
      section,
      id: `tui.${o.n}.${rate}.peak-rss`,
      title: `${label}: fleet-tui peak RSS`,
      unit: 'MB',
      runs: tui.map((x) => x.peakMb),
      command: tuiCmd,
      ...(at500 ? { target: '≤ 150 MB', check: (v: number) => v <= 150 } : {}),
    });
    results.add({
      section,
      id: `tmux.${o.n}.${rate}.peak-rss`,
      title: `${label}: tmux server peak RSS`,
      unit: 'MB',
      runs: tmux.map((x) => x.serverPeakMb),
      command: tmuxCmd,
    });
    results.add({
      section,
      id: `tui.${o.n}.${rate}.fps`,
      title: `${label}: fleet-tui frames/s`,
      unit: 'fps',
      runs: tui.map((x) => x.fps),
      command: tuiCmd,
    });
    results.add({
      section,
      id: `tui.${o.n}.${rate}.lag-p50`,
      title: `${label}: output-to-screen lag p50`,
      unit: 'ms',
      runs: tui.map((x) => x.lagP50),
      command: tuiCmd,
    });
    results.add({
      section,
      id: `tui.${o.n}.${rate}.lag-p95`,
      title: `${label}: output-to-screen lag p95`,
      unit: 'ms',
      runs: tui.map((x) => x.lagP95),
      command: tuiCmd,
      ...(at500 ? { target: '≤ 150 ms', check: (v: number) => v <= 150 } : {}),
      note: `stamped lines seen on screen per run: ${tui.map((x) => x.lagSamples).join(', ')}`,
    });
    if (tui.some((x) => x.keyLatencies.length)) {
      const pooled = tui.flatMap((x) => x.keyLatencies);
      const missed = pooled.filter((v) => !Number.isFinite(v)).length;
      const keyCmd = `Tab pressed every second in fleet-tui while ${what}`;
      const note = `${pooled.length} presses, ${missed} without a visible focus change within 1.5 s`;
      results.add({
        section: 3,
        id: `keys.${o.n}.p50`,
        title: 'Key press → focus change on screen, p50',
        unit: 'ms',
        runs: tui.map((x) => percentile(x.keyLatencies.filter(Number.isFinite), 50)),
        command: keyCmd,
        note,
      });
      results.add({
        section: 3,
        id: `keys.${o.n}.p95`,
        title: 'Key press → focus change on screen, p95',
        unit: 'ms',
        runs: tui.map((x) =>
          x.keyLatencies.some((v) => !Number.isFinite(v)) ? NaN : percentile(x.keyLatencies, 95),
        ),
        command: keyCmd,
        target: '≤ 50 ms',
        check: (v: number) => v <= 50,
        note,
      });
    }
  }
}

/** Figure 6: `fleet-tui` to the first frame showing every instance (agents started, quiet). */
export async function startupSuite(
  results: Results,
  fleet: BenchFleet,
  runs: number,
  log: (s: string) => void,
): Promise<void> {
  const ids = fleet.instances.map((i) => i.id);
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const probe = launchTui(fleet, terminalFor(ids.length));
    try {
      await probe.started();
      const at = await probe.waitFor(
        (s) => showsEveryInstance(s, ids),
        15_000,
        'every instance on screen',
      );
      times.push(at - probe.startedAt);
      log(`start-up run ${r + 1}: ${times.at(-1)} ms`);
    } catch (err) {
      times.push(NaN);
      log(`start-up run ${r + 1}: ${(err as Error).message}`);
    } finally {
      await quitTui(probe);
    }
  }
  results.add({
    section: 6,
    id: `startup.${ids.length}`,
    title: `Start-up: fleet-tui → first complete frame, ${ids.length} instances`,
    unit: 'ms',
    runs: times,
    command: `fleet-tui in a repository of ${ids.length} instances (node bin/fleet-tui.js, 160×48 pty)`,
    target: '≤ 700 ms',
    check: (v) => v <= 700,
  });
}
