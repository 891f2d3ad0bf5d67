// fleet.config.ts is compiled once per content (its own and that of the local files it imports)
// and the compiled module is reused; evaluation still runs on every load. Real files, real git.
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadFleetConfig } from '../../src/app/fleet-config.js';
import { compiledConfig } from '../../src/config/compile-cache.js';
import { loadConfig } from '../../src/config/load.js';
import { observeGit } from '../../src/core/git/run.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

const DEFINE = path.resolve(import.meta.dirname, '../../src/config/define.ts');

let fx: FleetFixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
  delete process.env.FLEET_CACHE_TEST_TITLE;
});

const CONFIG = `import { defineFleet } from 'fleet-tui';
import { title } from './fleet/roles';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
const here: string = path.basename(path.dirname(fileURLToPath(import.meta.url)));
export default defineFleet({
  roles: { app: { title: \`\${title} \${process.env.FLEET_CACHE_TEST_TITLE ?? ''} \${here} \${path.basename(__dirname)}\` } },
  instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: '001000' }],
});
`;

async function withLocalImport(title: string): Promise<string> {
  fx = await makeFleet({ instances: 1, worktrees: false });
  await mkdir(path.join(fx.repo, 'fleet'), { recursive: true });
  await writeFile(
    path.join(fx.repo, 'fleet', 'roles.ts'),
    `export const title: string = '${title}';\n`,
  );
  const file = path.join(fx.repo, 'fleet.config.ts');
  await writeFile(file, CONFIG);
  return file;
}

describe('config transpile cache', () => {
  it('compiles once, then reuses the entry in the git common dir while nothing changed', async () => {
    const file = await withLocalImport('First');
    expect((await compiledConfig(file, DEFINE)).cached).toBe(false);
    const again = await compiledConfig(file, DEFINE);
    expect(again.cached).toBe(true);
    expect(again.inputs).toContain(path.join(fx!.repo, 'fleet', 'roles.ts'));
    const entries = await readdir(path.join(fx!.repo, '.git', 'fleet-tui', 'config-cache'));
    expect(entries.filter((e) => e.endsWith('.json'))).toHaveLength(1);
  });

  it('a change in a locally imported file compiles again (the cache covers local imports)', async () => {
    const file = await withLocalImport('First');
    const dirName = path.basename(fx!.repo);
    expect((await loadConfig({ configPath: file })).roles.app!.title).toBe(
      `First  ${dirName} ${dirName}`,
    );
    await writeFile(path.join(fx!.repo, 'fleet', 'roles.ts'), `export const title = 'Second';\n`);
    expect((await compiledConfig(file, DEFINE)).cached).toBe(false);
    expect((await loadConfig({ configPath: file })).roles.app!.title).toMatch(/^Second /);
  });

  it('evaluates on every load: a cached config still reads the environment of this start', async () => {
    const file = await withLocalImport('T');
    await loadConfig({ configPath: file });
    process.env.FLEET_CACHE_TEST_TITLE = 'from-env';
    expect((await compiledConfig(file, DEFINE)).cached).toBe(true);
    expect((await loadConfig({ configPath: file })).roles.app!.title).toMatch(/^T from-env /);
  });

  it('git check-ref-format runs once per new name; a refused name is asked again', async () => {
    const file = await withLocalImport('T');
    const seen: string[] = [];
    const stop = observeGit(
      (args) => void (args[0] === 'check-ref-format' && seen.push(args.at(-1)!)),
    );
    try {
      await loadConfig({ configPath: file });
      expect(seen.length).toBeGreaterThanOrEqual(3); // remote, main branch, ps1's branch
      seen.length = 0;
      await loadConfig({ configPath: file });
      expect(seen).toEqual([]);
      await writeFile(file, CONFIG.replace("band: '001000'", "band: '001000', branch: 'a..b'"));
      await expect(loadConfig({ configPath: file })).rejects.toThrow(/not a valid git branch name/);
      await expect(loadConfig({ configPath: file })).rejects.toThrow(/not a valid git branch name/);
      expect(seen).toEqual(['a..b', 'a..b']);
    } finally {
      stop();
    }
  });

  it('top-level await compiles to ESM and still resolves packages from the config directory', async () => {
    const file = await withLocalImport('Awaited');
    await writeFile(file, `const wait = await Promise.resolve(1);\n${CONFIG}`);
    const compiled = await compiledConfig(file, DEFINE);
    expect(compiled.format).toBe('esm');
    const dirName = path.basename(fx!.repo);
    expect((await loadConfig({ configPath: file })).roles.app!.title).toBe(
      `Awaited  ${dirName} ${dirName}`,
    );
    expect((await compiledConfig(file, DEFINE)).cached).toBe(true);
  });
});

describe('where the config comes from', () => {
  it("inside a linked worktree, the main worktree's config wins over the checked-out copy", async () => {
    fx = await makeFleet({ instances: 1 });
    const wt = fx.instances[0]!.worktree;
    const copy = await readFile(path.join(wt, 'fleet.config.ts'), 'utf8');
    await writeFile(
      path.join(wt, 'fleet.config.ts'),
      copy.replace(/title: '[^']*'/, "title: 'Stale copy'"),
    );
    const cfg = await loadConfig({ cwd: wt });
    expect(cfg.configPath).toBe(path.join(fx.repo, 'fleet.config.ts'));
    expect(Object.values(cfg.roles).map((r) => r.title)).not.toContain('Stale copy');
  });

  it('role reassignments from the fleet state are applied by the app loader, not by loadConfig', async () => {
    fx = await makeFleet({ instances: 2, worktrees: false });
    const file = path.join(fx.repo, 'fleet.config.ts');
    const plain = await loadConfig({ configPath: file });
    const [a, b] = plain.instances;
    await mkdir(path.join(fx.repo, '.git', 'fleet-tui'), { recursive: true });
    await writeFile(
      path.join(fx.repo, '.git', 'fleet-tui', 'state.json'),
      JSON.stringify({ version: 1, roles: { [a!.id]: b!.role, [b!.id]: 'no-such-role' } }),
    );
    expect((await loadConfig({ configPath: file })).instances[0]!.role).toBe(a!.role);
    const run = await loadFleetConfig({ configPath: file });
    expect(run.instances[0]).toMatchObject({ role: b!.role, configRole: a!.role });
    // A reassignment to a role the config no longer has is ignored.
    expect(run.instances[1]!.role).toBe(b!.role);
  });
});
