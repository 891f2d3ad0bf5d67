// Ignored files are user data: a sync never overwrites or deletes one (it refuses that instance
// instead), and `down` asks before deleting any that are not disposable build output.
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { land } from '../../src/core/land/index.js';
import { fleetWithConfig } from '../helpers/land-helpers.js';

const GITIGNORE = '.claude/worktrees/\nnode_modules/\n*.env\nlocal/\n';

/** Another instance lands tracked files at `paths` (force-added: they are ignored names). */
async function landTrackedFiles(
  fx: FleetFixture,
  config: Awaited<ReturnType<typeof fleetWithConfig>>['config'],
  files: Record<string, string>,
): Promise<void> {
  const ps2 = fx.instances[1]!;
  await fx.write(ps2.worktree, files);
  await fx.git(ps2.worktree, 'add', '-f', '--', ...Object.keys(files));
  await fx.git(ps2.worktree, 'commit', '-q', '-m', 'ps2: track them');
  const r = await land(config, { ids: ['ps2'] });
  expect(r.instances[0]!.outcome).toBe('landed');
}

describe('ignored files', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('a sync that would overwrite or delete ignored files refuses that instance and names them', async () => {
    const f = await fleetWithConfig({ instances: 2, files: { '.gitignore': GITIGNORE } });
    fx = f.fx;
    const ps1 = fx.instances[0]!;
    await fx.write(ps1.worktree, {
      'config/prod.env': 'SECRET=mine\n',
      'local/data.db': 'my data\n',
      'node_modules/x/index.js': 'cache\n',
    });
    const head = await fx.git(ps1.worktree, 'rev-parse', 'HEAD');
    await landTrackedFiles(fx, f.config, {
      'config/prod.env': 'SECRET=theirs\n',
      'local/data.db': 'their data\n',
    });
    const res = await fx.cli(['sync', 'ps1']);
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toMatch(/ps1\s+needs-sync .*ignored files .*config\/prod\.env/);
    expect(res.stdout).toMatch(/local\/data\.db/);
    expect(res.stdout).not.toMatch(/node_modules/);
    expect(await readFile(path.join(ps1.worktree, 'config/prod.env'), 'utf8')).toBe(
      'SECRET=mine\n',
    );
    expect(await readFile(path.join(ps1.worktree, 'local/data.db'), 'utf8')).toBe('my data\n');
    expect(await fx.git(ps1.worktree, 'rev-parse', 'HEAD')).toBe(head);
    expect(await fx.git(ps1.worktree, 'status', '--porcelain')).toBe('');
  });

  it("a land's catch-up sync leaves a worktree whose ignored file main now tracks as it was", async () => {
    const f = await fleetWithConfig({ instances: 3, files: { '.gitignore': GITIGNORE } });
    fx = f.fx;
    const ps1 = fx.instances[0]!;
    await fx.write(ps1.worktree, { 'prod.env': 'SECRET=mine\n' });
    const head = await fx.git(ps1.worktree, 'rev-parse', 'HEAD');
    const ps2 = fx.instances[1]!;
    await fx.write(ps2.worktree, { 'prod.env': 'SECRET=theirs\n' });
    await fx.git(ps2.worktree, 'add', '-f', 'prod.env');
    await fx.git(ps2.worktree, 'commit', '-q', '-m', 'ps2: track prod.env');
    const r = await land(f.config, { all: true });
    expect(r.instances.find((i) => i.id === 'ps2')!.outcome).toBe('landed');
    expect(await readFile(path.join(ps1.worktree, 'prod.env'), 'utf8')).toBe('SECRET=mine\n');
    expect(await fx.git(ps1.worktree, 'rev-parse', 'HEAD')).toBe(head);
    // An instance with no ignored file in the way still catches up.
    const ps3 = fx.instances[2]!;
    expect(await fx.git(ps3.worktree, 'rev-parse', 'HEAD')).toBe(
      await fx.git(fx.origin, 'rev-parse', 'main'),
    );
  });

  it('a sync with ignored files that nothing touches goes ahead', async () => {
    const f = await fleetWithConfig({ instances: 2, files: { '.gitignore': GITIGNORE } });
    fx = f.fx;
    const ps1 = fx.instances[0]!;
    await fx.write(ps1.worktree, { 'prod.env': 'SECRET=mine\n', 'node_modules/a.js': 'x\n' });
    await landTrackedFiles(fx, f.config, { 'src/app.ts': 'app\n' });
    const res = await fx.cli(['sync', 'ps1']);
    expect(res.exitCode, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/ps1\s+synced/);
    expect(await readFile(path.join(ps1.worktree, 'prod.env'), 'utf8')).toBe('SECRET=mine\n');
  });

  it('down refuses while ignored files outside down.disposable are there, naming up to five', async () => {
    const f = await fleetWithConfig({ instances: 2, files: { '.gitignore': GITIGNORE } });
    fx = f.fx;
    const [ps1, ps2] = fx.instances;
    const mine: Record<string, string> = { 'prod.env': 'SECRET=mine\n' };
    for (let i = 0; i < 6; i++) mine[`keys/k${i}.env`] = `${i}\n`;
    await fx.write(ps1!.worktree, { ...mine, 'node_modules/x/i.js': 'cache\n' });
    const refused = await fx.cli(['down', 'ps1']);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/ps1: not removed/);
    const named = refused.stderr.split('\n').filter((l) => /^\s+ignored: .*\.env$/.test(l));
    expect(named).toHaveLength(5);
    expect(refused.stderr).toMatch(/ignored: … and 2 more/);
    expect(refused.stderr).not.toMatch(/node_modules/);
    expect(refused.stderr).toMatch(/down\.disposable|--force/);
    expect(await readFile(path.join(ps1!.worktree, 'prod.env'), 'utf8')).toBe('SECRET=mine\n');

    // Only disposable build output: removed without asking.
    await mkdir(path.join(ps2!.worktree, 'node_modules', 'y'), { recursive: true });
    await writeFile(path.join(ps2!.worktree, 'node_modules', 'y', 'i.js'), 'cache\n');
    const clean = await fx.cli(['down', 'ps2']);
    expect(clean.exitCode, clean.stderr).toBe(0);
    expect(existsSync(ps2!.worktree)).toBe(false);

    // --force says what goes with it.
    const forced = await fx.cli(['down', 'ps1', '--force']);
    expect(forced.exitCode).toBe(0);
    expect(forced.stdout).toMatch(/ignored: keys\/k0\.env/);
    expect(existsSync(ps1!.worktree)).toBe(false);
  });

  it('down.disposable in the config extends what down may delete', async () => {
    const f = await fleetWithConfig({
      instances: 1,
      files: { '.gitignore': GITIGNORE },
      configExtra: "  down: { disposable: ['node_modules', 'local/cache'] },",
    });
    fx = f.fx;
    const ps1 = fx.instances[0]!;
    await fx.write(ps1.worktree, { 'local/cache/a.bin': 'x\n', 'node_modules/b.js': 'y\n' });
    const res = await fx.cli(['down', 'ps1']);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(existsSync(ps1.worktree)).toBe(false);
    const cfg = await fx.cli(['config', '--json']);
    expect(JSON.parse(cfg.stdout).down).toEqual({ disposable: ['node_modules', 'local/cache'] });
  });
});
