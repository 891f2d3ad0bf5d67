import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { instanceScope, touchedFiles } from '../../src/core/insight/scope-git.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

describe('role scope from real git (unlanded commits + staged, unstaged, untracked files)', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('lists each file outside the role once, repository-relative; shared paths and owned paths are in', async () => {
    fx = await makeFleet({
      instances: 2,
      configExtra: "  sharedPaths: ['package-lock.json', 'docs/'],",
      files: { 'role-ps1/a.ts': 'a\n', 'web/page.ts': 'p\n' },
    });
    const ps1 = fx.instances[0]!.worktree;
    await fx.git(ps1, 'pull', '-q', 'origin', 'main');
    await fx.commit(
      ps1,
      {
        'role-ps1/b.ts': 'b\n',
        'web/x.ts': 'x\n',
        'package-lock.json': '{}\n',
        'docs/n.md': 'n\n',
      },
      'mixed commit',
    );
    await fx.commit(ps1, { 'api/deep/y.ts': 'y\n' }, 'outside commit');
    await fx.write(ps1, { 'staged/s.ts': 's\n' });
    await fx.git(ps1, 'add', 'staged/s.ts');
    await fx.git(ps1, 'mv', 'role-ps1/a.ts', 'lib-a.ts'); // a staged rename: both names touched
    await fx.write(ps1, { 'web/page.ts': 'changed\n' }); // unstaged
    await fx.write(ps1, {
      'new/dir/u1.txt': '1',
      'new/dir/u2.txt': '2',
      'odd name ü\t.txt': 'o',
      'role-ps1/untracked-ok.ts': 'fine',
    });
    const cfg = await loadConfig({ configPath: `${fx.repo}/fleet.config.ts` });
    const scope = await instanceScope(cfg, cfg.instances[0]!);
    expect(scope.outside).toEqual(
      [
        'api/deep/y.ts',
        'lib-a.ts',
        'new/dir/u1.txt',
        'new/dir/u2.txt',
        'odd name ü\t.txt',
        'staged/s.ts',
        'web/page.ts',
        'web/x.ts',
      ].sort(),
    );
    // ps2 touched nothing.
    expect(await instanceScope(cfg, cfg.instances[1]!)).toEqual({ outside: [] });
  });

  it('commits main already has (landed as a patch, or merged from main) are not counted', async () => {
    fx = await makeFleet({ instances: 1 });
    const ps1 = fx.instances[0]!.worktree;
    await fx.commit(ps1, { 'landed/x.ts': 'same\n' }, 'landed elsewhere');
    // The same change reaches main through another commit (what land's replay does), and the
    // branch has not been synced yet.
    await fx.pushFromOutside({ 'landed/x.ts': 'same\n' }, 'replayed');
    await fx.git(ps1, 'fetch', '-q', 'origin');
    const cfg0 = await loadConfig({ configPath: `${fx.repo}/fleet.config.ts` });
    expect(await touchedFiles(cfg0, cfg0.instances[0]!)).toEqual([]);
    // Then main moves on and the agent merges it in: main's files are not the instance's.
    await fx.pushFromOutside({ 'from-main/m.ts': 'm\n' }, 'someone else');
    await fx.git(ps1, 'fetch', '-q', 'origin');
    await fx.git(ps1, 'merge', '-q', '--no-edit', 'origin/main');
    await fx.commit(ps1, { 'mine/z.ts': 'z\n' }, 'still unlanded');
    const cfg = await loadConfig({ configPath: `${fx.repo}/fleet.config.ts` });
    expect((await touchedFiles(cfg, cfg.instances[0]!)).sort()).toEqual(['mine/z.ts']);
    expect((await instanceScope(cfg, cfg.instances[0]!)).outside).toEqual(['mine/z.ts']);
  });

  it('a role without paths has nothing outside; a missing worktree has nothing', async () => {
    fx = await makeFleet({ instances: 1, worktrees: false });
    const cfg = await loadConfig({ configPath: `${fx.repo}/fleet.config.ts` });
    expect(await instanceScope(cfg, cfg.instances[0]!)).toEqual({ outside: [] });
    const noPaths = { ...cfg, roles: { 'role-ps1': { title: 'R', paths: [] } } };
    await fx.git(fx.repo, 'worktree', 'add', '-q', '-b', 'b1', fx.instances[0]!.worktree);
    await fx.write(fx.instances[0]!.worktree, { 'anything.ts': 'x' });
    expect(await instanceScope(noPaths, cfg.instances[0]!)).toEqual({ outside: [] });
    expect(await instanceScope(cfg, cfg.instances[0]!)).toEqual({ outside: ['anything.ts'] });
  });
});
