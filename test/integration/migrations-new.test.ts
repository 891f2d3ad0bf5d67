import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { createMigration, nextVersion, utcDay } from '../../src/core/migrations/index.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

const M = 'supabase/migrations';
const day = (d: string) => new Date(`${d}T12:00:00Z`);

describe('migrations new / next', () => {
  let fx: FleetFixture;
  let config: ResolvedConfig;
  beforeAll(async () => {
    // Step 5000: ps1's band [010000, 020000) holds two slots a day, 010000 and 015000.
    fx = await makeFleet({ instances: 2, configExtra: '  migrations: { bandStep: 5000 },' });
    config = await loadConfig({ cwd: fx.repo });
  });
  afterAll(() => fx.cleanup());

  it('allocates the band slots of a day in order, then says the band is full; a new day starts over', async () => {
    const a = await createMigration(config, 'ps1', 'Add Posts!', day('2026-11-23'));
    expect(a).toEqual({
      version: '20261123010000',
      path: path.join(fx.instances[0]!.worktree, M, '20261123010000_add_posts.sql'),
    });
    expect(existsSync(a.path)).toBe(true);
    expect((await createMigration(config, 'ps1', 'b', day('2026-11-23'))).version).toBe(
      '20261123015000',
    );
    await expect(createMigration(config, 'ps1', 'c', day('2026-11-23'))).rejects.toThrow(
      /ps1's band \[010000, 020000\) is full for 20261123/,
    );
    expect(await nextVersion(config, 'ps1', day('2026-11-24'))).toBe('20261124010000');
  });

  it('counts versions anywhere: another instance’s branch and main', async () => {
    // ps2 (wrongly) committed a version inside ps1's band; main holds one too.
    await fx.commit(fx.instances[1]!.worktree, { [`${M}/20261125012000_x.sql`]: 'x' }, 'ps2 x');
    expect(await nextVersion(config, 'ps1', day('2026-11-25'))).toBe('20261125015000');
    await fx.pushFromOutside({ [`${M}/20261126010000_y.sql`]: 'y' }, 'main y');
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    expect(await nextVersion(config, 'ps1', day('2026-11-26'))).toBe('20261126015000');
  });

  it('CLI: concurrent calls never share a version; a full band exits 1; next prints the version', async () => {
    const today = utcDay();
    const next = await fx.cli(['migrations', 'next', 'ps1']);
    expect(next).toMatchObject({ exitCode: 0, stdout: `${today}010000` });
    const runs = await Promise.all(
      ['one', 'two', 'three'].map((n) => fx.cli(['migrations', 'new', 'ps1', n, '--json'])),
    );
    const ok = runs.filter((r) => r.exitCode === 0).map((r) => JSON.parse(r.stdout).version);
    expect(ok.sort()).toEqual([`${today}010000`, `${today}015000`]);
    const failed = runs.filter((r) => r.exitCode !== 0);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.exitCode).toBe(1);
    expect(failed[0]!.stderr).toMatch(
      /^fleet-tui: ps1's band \[010000, 020000\) is full for \d{8}/,
    );
    const unknown = await fx.cli(['migrations', 'new', 'nope', 'x']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('unknown instance "nope"');
  });
});
