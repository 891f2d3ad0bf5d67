import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN, REPO_ROOT, makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

const cli = (args: string[], cwd = REPO_ROOT) =>
  execa(process.execPath, [BIN, ...args], { cwd, reject: false });

describe('CLI entry', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('--help lists every subcommand with one line each', async () => {
    const res = await cli(['--help']);
    expect(res.exitCode).toBe(0);
    for (const name of ['config', 'init'])
      expect(res.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      version: string;
    };
    const res = await cli(['--version']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout.trim()).toBe(pkg.version);
  });

  it('unknown command and unknown flag exit 2 with usage', async () => {
    const a = await cli(['frobnicate']);
    expect(a.exitCode).toBe(2);
    expect(a.stderr).toMatch(/unknown command/);
    const b = await cli(['config', '--nope']);
    expect(b.exitCode).toBe(2);
    expect(b.stderr).toMatch(/unknown option/);
  });

  it("config --json on the repository's own config prints the ten-instance fleet with defaults", async () => {
    const res = await cli(['config', '--json']);
    expect(res.exitCode).toBe(0);
    const cfg = JSON.parse(res.stdout);
    expect(cfg.instances).toHaveLength(10);
    expect(cfg.remote).toBe('origin');
    expect(cfg.migrations).toEqual({
      dir: 'supabase/migrations',
      pattern: '^([0-9]+)_(.*)\\.sql$',
      bandStep: 500,
      outOfOrder: 'warn',
    });
    const ps2 = cfg.instances.find((i: { id: string }) => i.id === 'ps2');
    expect(ps2).toMatchObject({
      worktree: '.claude/worktrees/instance-ps2',
      branch: 'claude/ps2-wip',
      role: 'blog',
    });
    const ps3 = cfg.instances.find((i: { id: string }) => i.id === 'ps3');
    expect(ps3.band).toBe('001000');
    expect(cfg.instances.find((i: { id: string }) => i.id === 'win').band).toBe('010000');
    expect(cfg.instances.find((i: { id: string }) => i.id === 'codex2')).toMatchObject({
      agent: 'codex',
      branch: 'codex/codex2-wip',
    });
    expect(Object.keys(cfg.agents)).toEqual(expect.arrayContaining(['claude', 'codex']));
  });

  it("resolves `import { defineFleet } from 'fleet-tui'` in a repository without node_modules", async () => {
    fx = await makeFleet({ instances: 3 });
    const res = await fx.cli(['config', '--json']);
    expect(res.stderr).toBe('');
    expect(res.exitCode).toBe(0);
    expect(JSON.parse(res.stdout).instances.map((i: { id: string }) => i.id)).toEqual([
      'ps1',
      'ps2',
      'ps3',
    ]);
  });

  it('inside an instance worktree the main worktree config is used', async () => {
    fx = await makeFleet({ instances: 2 });
    const res = await fx.cli(['config', '--json'], { cwd: fx.instances[0]!.worktree });
    expect(res.exitCode).toBe(0);
    expect(JSON.parse(res.stdout).rootDir).toBe(fx.repo);
  });

  it('a plain `export default {…}` works too', async () => {
    fx = await makeFleet({ instances: 1, noConfig: true });
    await fx.write(fx.repo, {
      'fleet.config.ts': `export default { roles: { a: { title: 'A' } }, instances: [{ id: 'x1', role: 'a', agent: 'codex', band: '000000' }] };\n`,
    });
    const res = await fx.cli(['config', '--json']);
    expect(res.exitCode).toBe(0);
    expect(JSON.parse(res.stdout).instances[0]).toMatchObject({ id: 'x1', branch: 'codex/x1-wip' });
  });

  it('init writes a starter config that loads, and refuses to overwrite', async () => {
    fx = await makeFleet({ instances: 1, noConfig: true });
    const first = await fx.cli(['init']);
    expect(first.exitCode).toBe(0);
    const loaded = await fx.cli(['config', '--json']);
    expect(loaded.exitCode).toBe(0);
    expect(JSON.parse(loaded.stdout).instances.length).toBeGreaterThan(0);
    const second = await fx.cli(['init']);
    expect(second.exitCode).toBe(2);
    expect(second.stderr).toMatch(/already exists/);
  });
});
