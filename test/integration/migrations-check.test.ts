import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { loadConfig } from '../../src/config/load.js';
import { checkFleet, checkRepo } from '../../src/core/migrations/index.js';

const M = 'supabase/migrations';

describe('migrations check on a real fleet', () => {
  let fx: FleetFixture;
  beforeAll(async () => {
    fx = await makeFleet({
      instances: 3,
      files: { [`${M}/20261120010000_init.sql`]: 'create table a();\n', [`${M}/README.md`]: 'x' },
    });
  });
  afterAll(() => fx.cleanup());
  const ps1 = () => fx.instances[0]!;
  const ps2 = () => fx.instances[1]!;
  const ps3 = () => fx.instances[2]!;

  it('a clean fleet passes; the same file in two worktrees is one migration', async () => {
    await fx.commit(ps1().worktree, { [`${M}/20261123010000_a.sql`]: 'select 1;\n' }, 'ps1 a');
    await fx.write(ps3().worktree, { [`${M}/20261123010000_a.sql`]: 'select 1;\n' });
    // The API here, the CLI below: one CLI run fewer keeps this file fast on a loaded machine.
    const report = await checkFleet(await loadConfig({ cwd: fx.repo }));
    // ps3 carries ps1's file out of its band: that is the only problem.
    expect(report.problems.map((p) => p.rule)).toEqual(['out-of-band']);
    expect(report.migrations).toBe(2);
    expect(report.ok).toBe(false);
    await fx.git(ps3().worktree, 'clean', '-fdq', '--', M);
    const ok = await fx.cli(['migrations', 'check']);
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toContain('2 migrations checked: 0 error(s), 0 warning(s)');
  });

  it('finds a collision between a branch and another worktree, and an edited applied migration', async () => {
    await fx.write(ps2().worktree, { [`${M}/20261123010000_b.sql`]: 'select 2;\n' });
    await fx.write(ps3().worktree, { [`${M}/20261120010000_init.sql`]: 'create table b();\n' });
    const res = await fx.cli(['migrations', 'check', '--json']);
    expect(res.exitCode).toBe(1);
    const report = JSON.parse(res.stdout);
    expect(report.ok).toBe(false);
    const dup = report.problems.find((p: { rule: string }) => p.rule === 'duplicate-version');
    expect(dup.version).toBe('20261123010000');
    expect(dup.files).toEqual([
      { instance: 'ps1', where: 'branch', path: `${M}/20261123010000_a.sql` },
      { instance: 'ps2', where: 'worktree', path: `${M}/20261123010000_b.sql` },
    ]);
    expect(dup.fix).toMatch(
      /^rename ps2's 20261123010000_b\.sql to \d{8}020000_b\.sql — next free slot in ps2's band$/,
    );
    const edited = report.problems.find((p: { rule: string }) => p.rule === 'edited-applied');
    expect(edited.files[1]).toEqual({
      instance: 'ps3',
      where: 'worktree',
      path: `${M}/20261120010000_init.sql`,
    });
    const human = await fx.cli(['migrations', 'check']);
    expect(human.exitCode).toBe(1);
    expect(human.stdout).toMatch(/^error duplicate-version 20261123010000: .*— rename ps2's/m);
    const mine = JSON.parse(
      (await fx.cli(['migrations', 'check', '--json', '--instance', 'ps3'])).stdout,
    );
    expect(mine.problems.map((p: { rule: string }) => p.rule)).toEqual(['edited-applied']);
  });

  it('sees a committed rename of a main file (the API on a loaded config)', async () => {
    await fx.git(ps3().worktree, 'checkout', '-q', '--', M);
    await fx.git(
      ps3().worktree,
      'mv',
      `${M}/20261120010000_init.sql`,
      `${M}/20261120030000_init.sql`,
    );
    await fx.git(ps3().worktree, 'commit', '-qm', 'rename');
    const config = await loadConfig({ cwd: fx.repo });
    const report = await checkFleet(config);
    const edited = report.problems.filter((p) => p.rule === 'edited-applied');
    expect(edited).toHaveLength(1);
    expect(edited[0]!.message).toContain('renames it to');
  });
});

describe('migrations check without a fleet config', () => {
  it('checks the working tree against origin/main', async () => {
    const fx = await makeFleet({
      noConfig: true,
      worktrees: false,
      files: { [`${M}/20261120010000_init.sql`]: 'a' },
    });
    try {
      await fx.write(fx.repo, { [`${M}/20261120010000_other.sql`]: 'b', [`${M}/notes.sql`]: 'c' });
      const res = await fx.cli(['migrations', 'check', '--json']);
      expect(res.exitCode).toBe(1);
      const report = JSON.parse(res.stdout);
      expect(report.problems.map((p: { rule: string }) => p.rule)).toEqual([
        'duplicate-version',
        'bad-name',
      ]);
      expect(report.problems[0].files[1]).toEqual({
        instance: null,
        where: 'worktree',
        path: `${M}/20261120010000_other.sql`,
      });
      const api = await checkRepo(fx.repo);
      expect(api.ok).toBe(false);
    } finally {
      await fx.cleanup();
    }
  });
});
