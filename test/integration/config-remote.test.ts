// `remote` and `mainBranch` reach git's command line: a value git would read as an option (or
// an ambiguous one) is a config error for every command, and commands that contact the remote
// check that it exists. `--upload-pack=touch PWNED;` used to run that command on land and sync.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { createServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/load.js';

async function findNamed(dir: string, name: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.name === name) found.push(path.join(e.parentPath, e.name));
  }
  return found;
}

const BAD: Array<[string, string, string, RegExp]> = [
  [
    'remote that is an option',
    `remote: '--upload-pack=touch PWNED;',`,
    'remote',
    /starts with "-"/,
  ],
  ['mainBranch that is an option', `mainBranch: '-D',`, 'mainBranch', /starts with "-"/],
  ['mainBranch git refuses', `mainBranch: 'a..b',`, 'mainBranch', /not a valid git branch name/],
  ['remote named like the branch', `remote: 'main',`, 'remote', /also the main branch's name/],
  ['remote git refuses', `remote: 'my remote',`, 'remote', /not a valid git remote name/],
];

describe('remote and mainBranch', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it.each(BAD)('%s: exit 2 naming the key, for every command', async (_name, extra, key, why) => {
    fx = await makeFleet({ instances: 1, configExtra: `  ${extra}` });
    for (const args of [['status'], ['land', '--all'], ['sync', '--all']]) {
      const res = await fx.cli(args);
      expect(res.exitCode, `${args.join(' ')}: ${res.stderr}`).toBe(2);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`fleet.config.ts: ${key}: `);
      expect(lines[0]).toMatch(why);
      expect(lines[0]).toMatch(/ — /);
    }
  });

  it("remote: '--upload-pack=touch PWNED;' runs nothing on land and sync", async () => {
    fx = await makeFleet({ instances: 2, configExtra: `  remote: '--upload-pack=touch PWNED;',` });
    await fx.commit(fx.instances[0]!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    for (const cwd of [fx.repo, fx.instances[0]!.worktree]) {
      expect((await fx.cli(['land', '--all'], { cwd })).exitCode).toBe(2);
      expect((await fx.cli(['sync', '--all'], { cwd })).exitCode).toBe(2);
    }
    expect(await findNamed(fx.dir, 'PWNED')).toEqual([]);
  });

  it('a remote the repository does not have: one line, exit 2, for land and sync; status still works', async () => {
    fx = await makeFleet({ instances: 1, configExtra: `  remote: 'upstream',` });
    for (const args of [
      ['land', '--all'],
      ['sync', '--all'],
    ]) {
      const res = await fx.cli(args);
      expect(res.exitCode, res.stderr).toBe(2);
      const lines = res.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /remote: "upstream" is not a remote of .* \(this repository has origin\) — .*git remote add upstream/,
      );
    }
    expect((await fx.cli(['status'])).exitCode).toBe(0);
  });

  it('a missing remote named like a repository beside it: land neither fetches from nor pushes to it', async () => {
    // git reads a remote name it does not know as a path: `upstream/` in the repository is a
    // bare clone of origin that a land must never touch (the check runs before the fetch).
    fx = await makeFleet({ instances: 1, configExtra: `  remote: 'upstream',` });
    const stray = path.join(fx.repo, 'upstream');
    await fx.git(fx.dir, 'clone', '-q', '--bare', fx.origin, stray);
    await fx.commit(fx.instances[0]!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    const strayMain = await fx.git(stray, 'rev-parse', 'main');
    const res = await fx.cli(['land', '--all']);
    expect(res.exitCode, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/remote: "upstream" is not a remote of /);
    expect(await fx.git(stray, 'rev-parse', 'main')).toBe(strayMain);
    expect(await fx.git(fx.repo, 'for-each-ref', 'refs/remotes/upstream')).toBe('');
    // Nothing left behind: the next land starts clean (no journal, no lock).
    const again = await fx.cli(['land', '--all']);
    expect(again.stderr).not.toMatch(/did not finish|recover|lock/);
    expect(again.exitCode).toBe(2);
  });

  it("the TUI's land (services) refuses a missing remote with the same line, before any fetch", async () => {
    fx = await makeFleet({ instances: 1, configExtra: `  remote: 'upstream',` });
    await fx.commit(fx.instances[0]!.worktree, { 'a.txt': 'a\n' }, 'ps1: a');
    const services = await createServices(await loadConfig({ cwd: fx.repo }), { sessions: false });
    await expect(services.land({ all: true })).rejects.toThrow(
      /remote: "upstream" is not a remote of .* \(this repository has origin\)/,
    );
    expect(await fx.git(fx.repo, 'for-each-ref', 'refs/fleet/backup')).toBe('');
  });
});
