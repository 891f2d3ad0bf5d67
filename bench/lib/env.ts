// Isolate every git the benchmark starts (the baselines', fleet-tui's, the fixtures') from the
// developer's own configuration, and keep background maintenance from adding noise to timings.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where this run keeps everything it creates: one directory, removed as a whole at the end. */
export function workDir(): string {
  return process.env.FLEET_BENCH_DIR ?? os.tmpdir();
}

export function isolateEnvironment(): string {
  const base = mkdtempSync(path.join(os.tmpdir(), 'fleet-tui-bench-'));
  const home = path.join(base, 'home');
  mkdirSync(home, { recursive: true });
  const gitconfig = path.join(base, 'gitconfig');
  writeFileSync(
    gitconfig,
    [
      '[user]',
      '\tname = Fleet Bench',
      '\temail = fleet-bench@example.invalid',
      '[init]',
      '\tdefaultBranch = main',
      '[commit]',
      '\tgpgsign = false',
      // The same for the baselines and fleet-tui: no auto-gc or maintenance mid-measurement.
      '[gc]',
      '\tauto = 0',
      '[maintenance]',
      '\tauto = false',
      '[advice]',
      '\tdetachedHead = false',
      '\tskippedCherryPicks = false',
      '',
    ].join('\n'),
  );
  Object.assign(process.env, {
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    TZ: 'UTC',
    FLEET_BENCH_DIR: base,
  });
  // Ink drops synchronized-output markers (our frame delimiters) when it thinks it runs in CI.
  for (const key of Object.keys(process.env)) {
    if (key === 'CI' || key === 'CONTINUOUS_INTEGRATION' || key.startsWith('CI_')) {
      delete process.env[key];
    }
  }
  return base;
}
