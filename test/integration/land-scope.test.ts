// land.scope (issue 17): 'block' refuses an instance whose commits being landed change files
// outside its role, naming them; 'warn' (default) lands and says so. Real git, bare origin.
import { afterEach, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { fleetWithConfig, mainSubjects } from '../helpers/land-helpers.js';

describe('land.scope', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  async function straying(configExtra: string) {
    const f = await fleetWithConfig({ instances: 2, configExtra });
    fx = f.fx;
    const [ps1, ps2] = f.fx.instances;
    await f.fx.commit(ps1!.worktree, { 'role-ps1/a.ts': 'a\n' }, 'ps1 in role');
    await f.fx.commit(ps1!.worktree, { 'web/page.ts': 'p\n', 'shared/x.md': 'x\n' }, 'ps1 strays');
    // A dirty file outside the role is not part of the land: it must not count.
    await f.fx.write(ps1!.worktree, { 'elsewhere/dirty.ts': 'd\n' });
    await f.fx.commit(ps2!.worktree, { 'role-ps2/b.ts': 'b\n' }, 'ps2 in role');
    return f;
  }

  it("'block': the instance is blocked with the files in the reason; the others land", async () => {
    const f = await straying("  sharedPaths: ['shared/**'],\n  land: { scope: 'block' },");
    const notices: string[] = [];
    const r = await land(f.config, { all: true, onNotice: (t) => notices.push(t) });
    const ps1 = r.instances.find((i) => i.id === 'ps1')!;
    expect(ps1.outcome).toBe('blocked');
    expect(ps1.files).toEqual(['web/page.ts']);
    expect(ps1.reason).toContain('web/page.ts');
    expect(ps1.reason).not.toContain('shared/x.md');
    expect(ps1.reason).not.toContain('dirty.ts');
    expect(r.instances.find((i) => i.id === 'ps2')!.outcome).toBe('landed');
    const subjects = await mainSubjects(f.fx);
    expect(subjects).toContain('ps2 in role');
    expect(subjects).not.toContain('ps1 strays');
    expect(subjects).not.toContain('ps1 in role');
    // The CLI's --dry-run judges the same way.
    const dry = await f.fx.cli(['land', 'ps1', '--dry-run', '--json']);
    const d = JSON.parse(dry.stdout) as { instances: Array<{ outcome: string; files: string[] }> };
    expect(d.instances[0]).toMatchObject({ outcome: 'blocked', files: ['web/page.ts'] });
  });

  it("'warn' (the default): lands, and the notice names the files", async () => {
    const f = await straying('');
    expect(f.config.land.scope).toBe('warn');
    const notices: string[] = [];
    const r = await land(f.config, { all: true, onNotice: (t) => notices.push(t) });
    expect(r.instances.map((i) => i.outcome)).toEqual(['landed', 'landed']);
    expect(notices.join('\n')).toMatch(
      /ps1: lands 2 files outside role role-ps1 \(shared\/x\.md, web\/page\.ts\)/,
    );
    expect(await mainSubjects(f.fx)).toContain('ps1 strays');
  });

  it("'block' over several instances at once: each instance is judged by its own commits only, whatever the names", async () => {
    const f = await fleetWithConfig({ instances: 3, configExtra: "  land: { scope: 'block' }," });
    fx = f.fx;
    const [ps1, ps2, ps3] = f.fx.instances;
    // ps2's commit id as a file name in ps1's commit: the fleet's files are read in one
    // diff-tree, and that name must not start "ps2's" list.
    const ps2sha = await f.fx.commit(ps2!.worktree, { 'role-ps2/b.ts': 'b\n' }, 'ps2 in role');
    await f.fx.commit(ps1!.worktree, { [ps2sha]: 'x\n', 'role-ps1/a.ts': 'a\n' }, 'ps1 strays');
    await f.fx.commit(ps3!.worktree, { 'role-ps3/c.ts': 'c\n' }, 'ps3 in role');
    await f.fx.commit(ps3!.worktree, { 'odd dir/x y.ts': 'y\n' }, 'ps3 strays');
    const r = await land(f.config, { all: true });
    const by = (id: string) => r.instances.find((i) => i.id === id)!;
    expect([by('ps1').outcome, by('ps2').outcome, by('ps3').outcome]).toEqual([
      'blocked',
      'landed',
      'blocked',
    ]);
    expect(by('ps1').files).toEqual([ps2sha]);
    expect(by('ps3').files).toEqual(['odd dir/x y.ts']);
  });

  it('a bad value is a config error naming the key', async () => {
    fx = await makeFleet({ instances: 1, configExtra: "  land: { scope: 'stop' }," });
    const res = await fx.cli(['config']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('land.scope');
  });
});
