// Figure 5: `fleet-tui migrations check` over 5,000 migrations on main and 12 worktrees.
import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { BIN } from '../land/contenders.js';
import { cpuTimes } from '../lib/proc.js';
import type { Results } from '../lib/results.js';
import {
  describeCounts,
  readSpawnCounts,
  spawnCountFile,
  type SpawnCounts,
} from '../lib/spawns.js';
import { migrationFleet } from './fixture.js';

export async function checkSuite(
  results: Results,
  runs: number,
  log: (s: string) => void,
): Promise<void> {
  const fleet = await migrationFleet(12, 5000);
  const times: number[] = [];
  const cpu: number[] = [];
  const floor: number[] = [];
  const spawns: Array<SpawnCounts | null> = [];
  const missTimes: number[] = [];
  const missSpawns: Array<SpawnCounts | null> = [];
  let last = '';
  // What main and the branches' commits are kept as (read-cache.ts): emptied for the miss runs.
  const cacheDir = path.join(fleet.repo, '.git', 'fleet-tui', 'migrations-cache');
  const timedCheck = async () => {
    const countFile = spawnCountFile();
    const c0 = cpuTimes(process.pid).children;
    const t0 = performance.now();
    const res = await execa(process.execPath, [BIN, 'migrations', 'check', '--json'], {
      cwd: fleet.repo,
      reject: false,
      env: { FLEET_TUI_GIT_COUNT: countFile },
    });
    const ms = performance.now() - t0;
    const cpuMs = cpuTimes(process.pid).children - c0;
    const counts = readSpawnCounts(countFile);
    await rm(path.dirname(countFile), { recursive: true, force: true });
    last = `exit ${res.exitCode}`;
    try {
      const json = JSON.parse(String(res.stdout)) as { migrations: number; problems: unknown[] };
      last += `, ${json.migrations} migrations, ${json.problems.length} problems`;
      return { ms: res.exitCode === 2 ? NaN : ms, cpuMs: res.exitCode === 2 ? NaN : cpuMs, counts };
    } catch {
      last += `: ${String(res.stderr).split('\n')[0]}`;
      return { ms: NaN, cpuMs: NaN, counts };
    }
  };
  try {
    // As after any earlier command: the config compiled and its names checked once, and main
    // and the branches read once (a check that runs again while nothing moved reads them kept).
    await execa(process.execPath, [BIN, 'config'], { cwd: fleet.repo });
    await execa(process.execPath, [BIN, 'migrations', 'check', '--json'], {
      cwd: fleet.repo,
      reject: false,
    });
    for (let r = 0; r < runs; r++) {
      const f0 = performance.now();
      await execa(process.execPath, ['-e', '0'], { cwd: fleet.repo });
      floor.push(performance.now() - f0);
      const hit = await timedCheck();
      times.push(hit.ms);
      cpu.push(hit.cpuMs);
      spawns.push(hit.counts);
      log(
        `migrations check run ${r + 1}: ${Math.round(hit.ms)} ms, CPU ${Math.round(hit.cpuMs)} ms (${last})`,
      );
      // As after a land moved main (and so every branch's base): nothing kept applies.
      await rm(cacheDir, { recursive: true, force: true });
      const miss = await timedCheck();
      missTimes.push(miss.ms);
      missSpawns.push(miss.counts);
      log(`migrations check run ${r + 1}, nothing kept: ${Math.round(miss.ms)} ms (${last})`);
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
      'fleet-tui migrations check --json (5,000 migrations on main, 12 worktrees with 3 new each; main and the branches unchanged since the last check)',
    target: '≤ 300 ms',
    check: (v) => v <= 300,
    note: `last run: ${last}`,
  });
  results.add({
    section: 5,
    id: 'migrations.check.5000x12.cpu',
    title: 'fleet-tui migrations check: CPU (user+sys, with its git processes)',
    unit: 'ms',
    runs: cpu,
    command:
      'the same runs: CPU of fleet-tui and every process it waited for (/proc cutime+cstime)',
  });
  results.add({
    section: 5,
    id: 'migrations.check.floor',
    title: 'Floor: node -e 0 (taken before each check run)',
    unit: 'ms',
    runs: floor,
    command: `${process.execPath} -e 0`,
  });
  results.add({
    section: 5,
    id: 'migrations.check.5000x12.ratio',
    title: 'fleet-tui migrations check / node -e 0',
    unit: '×',
    runs: times.map((t, i) => t / floor[i]!),
    command: 'run by run',
  });
  results.add({
    section: 5,
    id: 'migrations.check.5000x12.spawns',
    title: 'fleet-tui migrations check: git processes',
    unit: '',
    runs: spawns.map((c) => c?.spawns ?? NaN),
    command: 'FLEET_TUI_GIT_COUNT=<file> fleet-tui migrations check --json',
    note: describeCounts(spawns.at(-1) ?? null),
  });
  results.add({
    section: 5,
    id: 'migrations.check.5000x12.miss',
    title: 'fleet-tui migrations check, nothing kept (main moved since the last check)',
    unit: 'ms',
    runs: missTimes,
    command:
      'the same, with .git/fleet-tui/migrations-cache/ emptied before each run (alternating with the runs above)',
    note: `git processes: ${describeCounts(missSpawns.at(-1) ?? null)}`,
  });
}
