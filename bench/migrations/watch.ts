// Figure 4: a migration that collides with main, written in one of 12 worktrees → the problem
// appears, both as the guard's watcher event (in-process) and on fleet-tui's screen (the pane
// header's "⚠ N mig"). Each trial writes the file, waits for both, removes it, waits for both
// to clear.
import { rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import {
  watchMigrations,
  type CheckReport,
  type MigrationWatch,
} from '../../src/core/migrations/index.js';
import type { Results } from '../lib/results.js';
import { percentile } from '../lib/stats.js';
import { sleep, terminalFor } from '../load/spec.js';
import { printerAgent, quitTui, startTui } from '../load/tui.js';
import type { TtyProbe } from '../tty/probe.js';
import type { Screen } from '../tty/screen.js';
import { MIGRATIONS_DIR, mainMigrations, migrationFleet } from './fixture.js';

async function startWatch(
  configPath: string,
  onReport: (r: CheckReport) => void,
): Promise<MigrationWatch> {
  return watchMigrations(await loadConfig({ configPath }), onReport, {
    onError: (e) => console.error('watchMigrations:', e),
  });
}

/** The instance's pane header carries the migration alert. */
function headerAlerts(screen: Screen, id: string): boolean {
  const word = new RegExp(`\\b${id}\\b.*⚠`);
  return screen.lines().some((l) => word.test(l));
}

class EventWait {
  private latest: CheckReport = { ok: true, migrations: 0, problems: [] };
  private waiter: (() => void) | undefined;
  onReport = (r: CheckReport) => {
    this.latest = r;
    this.waiter?.();
  };
  names(): Set<string> {
    return new Set(this.latest.problems.flatMap((p) => p.files.map((f) => path.basename(f.path))));
  }
  until(pred: () => boolean, ms: number): Promise<number> {
    return new Promise((resolve) => {
      const done = (v: number) => {
        clearTimeout(timer);
        this.waiter = undefined;
        resolve(v);
      };
      const timer = setTimeout(() => done(NaN), ms);
      this.waiter = () => pred() && done(Date.now());
      this.waiter();
    });
  }
}

const screenWait = (probe: TtyProbe | undefined, pred: (s: Screen) => boolean) =>
  probe ? probe.waitFor(pred, 3000, 'the alert').catch(() => NaN) : Promise.resolve(NaN);

export async function watchSuite(
  results: Results,
  runs: number,
  trials: number,
  log: (s: string) => void,
): Promise<void> {
  const fleet = await migrationFleet(12, 200, printerAgent);
  const events = new EventWait();
  const watcher = await startWatch(path.join(fleet.repo, 'fleet.config.ts'), events.onReport);
  let tui: Awaited<ReturnType<typeof startTui>> | undefined;
  let tuiError = '';
  try {
    tui = await startTui(fleet, terminalFor(12));
  } catch (err) {
    tuiError = (err as Error).message;
  }
  const mainVersion = Object.keys(mainMigrations(200)).at(-1)!.split('/').at(-1)!.split('_')[0]!;
  const event: number[][] = [];
  const screen: number[][] = [];
  try {
    await sleep(1500);
    for (let r = 0; r < runs; r++) {
      event.push([]);
      screen.push([]);
      for (let k = 0; k < trials; k++) {
        const inst = fleet.instances[(r * trials + k) % fleet.instances.length]!;
        const name = `${mainVersion}_collide_${r}_${k}.sql`;
        const file = path.join(inst.worktree, MIGRATIONS_DIR, name);
        const onScreen = screenWait(tui?.probe, (s) => headerAlerts(s, inst.id));
        const t0 = Date.now();
        await writeFile(file, 'select 1;\n');
        const [e, s] = await Promise.all([
          events.until(() => events.names().has(name), 3000),
          onScreen,
        ]);
        event[r]!.push(e - t0);
        screen[r]!.push(s - t0);
        const cleared = screenWait(tui?.probe, (sc) => !headerAlerts(sc, inst.id));
        await unlink(file);
        await Promise.all([events.until(() => !events.names().has(name), 3000), cleared]);
      }
      const show = (xs: number[]) =>
        `p50 ${percentile(xs, 50).toFixed(0)} p95 ${percentile(xs, 95).toFixed(0)} ms`;
      log(
        `migration watch run ${r + 1}: event ${show(event[r]!)}, screen ${show(screen[r]!)} over ${trials} trials`,
      );
    }
  } finally {
    if (tui) await quitTui(tui.probe);
    await watcher.close();
    await rm(fleet.dir, { recursive: true, force: true });
  }
  const q = (xs: number[][], p: number) =>
    xs.map((x) => (x.some((v) => !Number.isFinite(v)) ? NaN : percentile(x, p)));
  const pooled = (xs: number[][]) => {
    const all = xs.flat();
    const missed = all.filter((v) => !Number.isFinite(v)).length;
    return `${all.length} trials in ${runs} runs, pooled p50 ${percentile(all.filter(Number.isFinite), 50).toFixed(0)} ms, p95 ${missed ? `n/a (${missed} not seen within 3 s)` : `${percentile(all, 95).toFixed(0)} ms`}`;
  };
  const setup = `12 worktrees, 200 migrations on main; a file colliding with main's newest version written in one worktree, then removed; ${trials} trials a run`;
  const eventCmd = `watchMigrations(config, onReport) (src/core/migrations), ${setup}`;
  const screenCmd = `fleet-tui on a 160×48 pty, pane header shows "⚠ N mig", ${setup}`;
  results.add({
    section: 4,
    id: 'migrations.watch.event.p50',
    title: 'Migration collision → watcher event, p50',
    unit: 'ms',
    runs: q(event, 50),
    command: eventCmd,
    note: pooled(event),
  });
  results.add({
    section: 4,
    id: 'migrations.watch.event.p95',
    title: 'Migration collision → watcher event, p95',
    unit: 'ms',
    runs: q(event, 95),
    command: eventCmd,
    note: pooled(event),
    target: '≤ 250 ms',
    check: (v) => v <= 250,
  });
  const screenNote = tui ? pooled(screen) : `fleet-tui did not start: ${tuiError}`;
  results.add({
    section: 4,
    id: 'migrations.watch.screen.p50',
    title: 'Migration collision → on screen, p50',
    unit: 'ms',
    runs: q(screen, 50),
    command: screenCmd,
    note: screenNote,
  });
  results.add({
    section: 4,
    id: 'migrations.watch.screen.p95',
    title: 'Migration collision → on screen, p95',
    unit: 'ms',
    runs: q(screen, 95),
    command: screenCmd,
    note: screenNote,
    target: '≤ 250 ms',
    check: (v) => v <= 250,
  });
}
