// Figure 5: `fleet-tui migrations check` over 5,000 migrations on main and 12 worktrees.
import { execa } from 'execa';
import { rm } from 'node:fs/promises';
import { BIN } from '../land/contenders.js';
import type { Results } from '../lib/results.js';
import { migrationFleet } from './fixture.js';

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
