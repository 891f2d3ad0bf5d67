// Figures 4 and 5: the migration guard's live watch latency and the full check's wall time.
import { execa } from 'execa';
import { rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { BIN, REPO_ROOT } from '../land/contenders.js';
import type { Results } from '../lib/results.js';
import { percentile } from '../lib/stats.js';
import { sleep } from '../load/spec.js';
import { MIGRATIONS_DIR, mainMigrations, migrationFleet } from './fixture.js';

export async function checkSuite(
  results: Results,
  runs: number,
  log: (s: string) => void,
): Promise<void> {
  const fleet = await migrationFleet(12, 5000);
  const times: number[] = [];
  let last = '';
  try {
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const res = await execa(process.execPath, [BIN, 'migrations', 'check', '--json'], {
        cwd: fleet.repo,
        reject: false,
      });
      const ms = performance.now() - t0;
      last = `exit ${res.exitCode}`;
      try {
        const json = JSON.parse(String(res.stdout)) as { migrations: number; problems: unknown[] };
        last += `, ${json.migrations} migrations, ${json.problems.length} problems`;
        times.push(res.exitCode === 2 ? NaN : ms);
      } catch {
        last += `: ${String(res.stderr).split('\n')[0]}`;
        times.push(NaN);
      }
      log(`migrations check run ${r + 1}: ${Math.round(ms)} ms (${last})`);
    }
  } finally {
    await rm(fleet.dir, { recursive: true, force: true });
  }
  results.add({
    section: 5,
    id: 'migrations.check.5000x12',
    title: 'fleet-tui migrations check, 5,000 on main + 12 worktrees',
    unit: 'ms',
    runs: times,
    command:
      'fleet-tui migrations check --json (5,000 migrations on main, 12 worktrees with 3 new each)',
    target: '≤ 1000 ms',
    check: (v) => v <= 1000,
    note: `last run: ${last}`,
  });
}

interface Report {
  problems: Array<{ rule: string; files: Array<{ path: string }> }>;
}
type Watch = (
  config: unknown,
  onReport: (r: Report) => void,
) => Promise<{ close(): Promise<void> | void }> | { close(): Promise<void> | void };

/** Dynamic so the harness builds before the guard exists; the path is the guard's public module. */
async function loadWatcher(): Promise<{
  watch: Watch;
  load: (configPath: string) => Promise<unknown>;
}> {
  const mod = (await import(path.join(REPO_ROOT, 'src/core/migrations/index.js'))) as {
    watchMigrations: Watch;
  };
  const cfg = (await import(path.join(REPO_ROOT, 'src/config/load.js'))) as {
    loadConfig: (o: object) => Promise<unknown>;
  };
  return {
    watch: mod.watchMigrations,
    load: (configPath) => cfg.loadConfig({ configPath, applyState: false }),
  };
}

/** Figure 4 (event): a colliding file written in one of 12 worktrees → the watcher's report names it. */
export async function watchSuite(
  results: Results,
  runs: number,
  trials: number,
  log: (s: string) => void,
): Promise<void> {
  const fleet = await migrationFleet(12, 200);
  const { watch, load } = await loadWatcher();
  const config = await load(path.join(fleet.repo, 'fleet.config.ts'));
  let latest: Report = { problems: [] };
  let changed: () => void = () => undefined;
  const watcher = await watch(config, (r) => {
    latest = r;
    changed();
  });
  const names = (r: Report) =>
    new Set(r.problems.flatMap((p) => p.files.map((f) => path.basename(f.path))));
  const until = (pred: () => boolean, ms: number) =>
    new Promise<number>((resolve) => {
      const timer = setTimeout(() => resolve(NaN), ms);
      const test = () => {
        if (!pred()) return;
        clearTimeout(timer);
        changed = () => undefined;
        resolve(performance.now());
      };
      changed = test;
      test();
    });
  const mainVersion = Object.keys(mainMigrations(200)).at(-1)!.split('/').at(-1)!.split('_')[0]!;
  const p50s: number[] = [];
  const p95s: number[] = [];
  try {
    await sleep(1000);
    for (let r = 0; r < runs; r++) {
      const lat: number[] = [];
      for (let k = 0; k < trials; k++) {
        const inst = fleet.instances[(r * trials + k) % fleet.instances.length]!;
        const name = `${mainVersion}_collide_${r}_${k}.sql`;
        const file = path.join(inst.worktree, MIGRATIONS_DIR, name);
        const t0 = performance.now();
        await writeFile(file, 'select 1;\n');
        lat.push((await until(() => names(latest).has(name), 3000)) - t0);
        await unlink(file);
        await until(() => !names(latest).has(name), 3000);
      }
      p50s.push(percentile(lat.filter(Number.isFinite), 50));
      p95s.push(lat.some((v) => !Number.isFinite(v)) ? NaN : percentile(lat, 95));
      log(
        `migration watch run ${r + 1}: p50 ${p50s.at(-1)?.toFixed(0)} ms, p95 ${p95s.at(-1)?.toFixed(0)} ms over ${trials} trials`,
      );
    }
  } finally {
    await watcher.close();
    await rm(fleet.dir, { recursive: true, force: true });
  }
  const command = `watchMigrations(config, onReport) from src/core/migrations, 12 worktrees; a file colliding with main written, then removed; ${trials} trials a run`;
  results.add({
    section: 4,
    id: 'migrations.watch.event.p50',
    title: 'Migration collision written → watcher event, p50',
    unit: 'ms',
    runs: p50s,
    command,
  });
  results.add({
    section: 4,
    id: 'migrations.watch.event.p95',
    title: 'Migration collision written → watcher event, p95',
    unit: 'ms',
    runs: p95s,
    command,
    target: '≤ 250 ms',
    check: (v) => v <= 250,
  });
}
