import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import {
  watchMigrations,
  type CheckReport,
  type MigrationWatch,
} from '../../src/core/migrations/index.js';
import { execa } from 'execa';
import { BIN, makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

const M = 'supabase/migrations';
const rules = (r: CheckReport) => r.problems.map((p) => p.rule).join(',');

// Each test has its own fleet (main starts without a migrations directory: every worktree gets
// it later) and its own watch, so the tests pass in any order (`--sequence.shuffle`).
let fx: FleetFixture;
const mig = (k: number) => path.join(fx.instances[k]!.worktree, M);

beforeEach(async () => {
  fx = await makeFleet({ instances: 2 });
});
afterEach(async () => {
  await fx.cleanup();
});

/** main gets a migration whose version is 20261123010000 (pushed by someone else, fetched). */
async function mainGetsVersion010000(): Promise<void> {
  await fx.pushFromOutside({ [`${M}/20261123010000_z.sql`]: 'z' }, 'main z');
  await fx.git(fx.repo, 'fetch', '-q', 'origin');
}

describe('watchMigrations (chokidar on the migrations directories only)', () => {
  let w: MigrationWatch;
  let reports: CheckReport[];
  let errors: unknown[];
  const latest = () => reports[reports.length - 1];
  /** Resolves when the newest report satisfies `pred`. */
  const until = (pred: (r: CheckReport) => boolean, what: string) =>
    vi.waitFor(
      () => {
        const r = latest();
        if (!r || !pred(r)) throw new Error(`no report with ${what}: ${JSON.stringify(r)}`);
      },
      { timeout: 5000, interval: 5 },
    );

  beforeEach(async () => {
    reports = [];
    errors = [];
    const config = await loadConfig({ cwd: fx.repo });
    w = await watchMigrations(config, (r) => reports.push(r), {
      onError: (e) => errors.push(e),
    });
  });
  afterEach(async () => {
    await w.close();
    // No re-read failed along the way (they would leave the report stale without a word).
    expect(errors).toEqual([]);
  });

  /** ps1 writes version 20261123010000 and main gets the same: a collision. */
  async function collideWithMain(): Promise<void> {
    await mkdir(mig(0), { recursive: true });
    await writeFile(path.join(mig(0), '20261123010000_a.sql'), 'a');
    await until((r) => r.migrations === 1, 'one migration');
    await mainGetsVersion010000();
    await until((r) => rules(r) === 'duplicate-version', 'the collision with main');
  }

  it('reports at start, and a file in a directory created later', async () => {
    await until((r) => r.ok && r.migrations === 0, 'an empty fleet');
    await mkdir(mig(0), { recursive: true });
    await writeFile(path.join(mig(0), '20261123010000_a.sql'), 'a');
    await until((r) => r.migrations === 1, 'one migration');
  });

  it('a push to main that collides shows up after the fetch', async () => {
    await collideWithMain();
    expect(latest()!.problems[0]!.files.map((f) => f.where)).toEqual(['main', 'worktree']);
  });

  it('a rename clears it; an atomic save (temp file + rename), a delete and a re-made directory', async () => {
    await collideWithMain();
    await rename(
      path.join(mig(0), '20261123010000_a.sql'),
      path.join(mig(0), '20261123010500_a.sql'),
    );
    await until((r) => r.problems.length === 0 && r.migrations === 2, 'no problems');
    await mkdir(mig(1), { recursive: true });
    const tmp = path.join(mig(1), '.20261123010000_c.sql.tmp');
    await writeFile(tmp, 'c');
    const t0 = Date.now();
    await rename(tmp, path.join(mig(1), '20261123010000_c.sql'));
    await until((r) => rules(r) === 'duplicate-version,out-of-band', 'ps2 colliding out of band');
    const ms = Date.now() - t0;
    await rm(path.join(mig(1), '20261123010000_c.sql'));
    await until((r) => r.problems.length === 0, 'the delete clearing it');
    // The whole directory removed and made again: the watch follows it. The removal changes no
    // report (nothing to wait on); the pause lets the watcher see it as an event of its own
    // rather than coalesced with the re-make. Either way the file below must be seen.
    await rm(mig(1), { recursive: true });
    await new Promise((r) => setTimeout(r, 100));
    await mkdir(mig(1));
    await writeFile(path.join(mig(1), '20261123010000_e.sql'), 'e');
    await until(
      (r) => rules(r) === 'duplicate-version,out-of-band',
      'a file in the re-made directory',
    );
    await rm(path.join(mig(1), '20261123010000_e.sql'));
    await until((r) => r.problems.length === 0, 'that file removed');
    // The target is 250 ms on an idle machine; this only catches a watcher that polls or hangs.
    expect(ms).toBeLessThan(2000);
  });
});

describe('fleet-tui migrations watch', () => {
  it('prints problems as they appear and clear', async () => {
    await mainGetsVersion010000();
    const child = execa(process.execPath, [BIN, 'migrations', 'watch'], {
      cwd: fx.repo,
      reject: false,
    });
    let text = '';
    child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
    const seen = (re: RegExp) =>
      vi.waitFor(
        () => {
          if (!re.test(text)) throw new Error(`watch printed: ${text}`);
        },
        { timeout: 45_000, interval: 20 },
      );
    try {
      await seen(/^watching 2 worktrees/m);
      const file = path.join(mig(1), '20261123010000_d.sql');
      await mkdir(mig(1), { recursive: true });
      await writeFile(file, 'd');
      await seen(/^\+ error duplicate-version 20261123010000: /m);
      await rm(file);
      await seen(/^ok: no migration problems$/m);
    } finally {
      child.kill('SIGTERM');
      await child;
    }
  });
});
