// The schema's result is kept per evaluated config (plain data only), so an unchanged config
// loads without zod. It must never let a config through that the schema would refuse, and it
// must give what the schema gives. Real files, real git, the built CLI.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { isPlainData, zodVersion } from '../../src/config/validated-cache.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

let fx: FleetFixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

const entries = async (repo: string) =>
  (await readdir(path.join(repo, '.git', 'fleet-tui', 'config-valid')).catch(() => [])).filter(
    (e) => e.endsWith('.json'),
  );

/** A config whose band comes from the environment: valid, or not, depending on this start. */
const ENV_CONFIG = `import { defineFleet } from 'fleet-tui';
export default defineFleet({
  roles: { app: { title: 'App', paths: ['app/**'] } },
  instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: process.env.FLEET_BAND ?? '001000' }],
});
`;

describe('validated config cache', () => {
  it('keeps the parse of plain data; a later start that evaluates to other data is checked again', async () => {
    fx = await makeFleet({ instances: 1, worktrees: false });
    await writeFile(path.join(fx.repo, 'fleet.config.ts'), ENV_CONFIG);
    const first = await fx.cli(['config', '--json']);
    expect(first.exitCode).toBe(0);
    expect(await entries(fx.repo)).toHaveLength(1);
    const second = await fx.cli(['config', '--json']);
    expect(second.stdout).toBe(first.stdout);
    // The same file, evaluated to an invalid band: refused as before, never taken from the cache.
    const bad = await fx.cli(['config', '--json'], { env: { FLEET_BAND: '12:00' } });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/band/);
    expect(await entries(fx.repo)).toHaveLength(1);
    // A valid other value is parsed and kept beside the first.
    expect((await fx.cli(['config', '--json'], { env: { FLEET_BAND: '002000' } })).exitCode).toBe(
      0,
    );
    expect(await entries(fx.repo)).toHaveLength(2);
  });

  it('a kept parse equals the schema parse, defaults included', async () => {
    fx = await makeFleet({ instances: 2, worktrees: false });
    const file = path.join(fx.repo, 'fleet.config.ts');
    const fresh = await loadConfig({ configPath: file });
    const [entry] = await entries(fx.repo);
    const kept = JSON.parse(
      await readFile(path.join(fx.repo, '.git', 'fleet-tui', 'config-valid', entry!), 'utf8'),
    ) as { data: unknown };
    expect(kept.data).toMatchObject({ remote: 'origin', mainBranch: 'main' });
    expect(await loadConfig({ configPath: file })).toEqual(fresh);
    // And the next start takes it from there (an edited entry shows through: no parse ran).
    const at = path.join(fx.repo, '.git', 'fleet-tui', 'config-valid', entry!);
    const edited = kept as { version: number; data: { sessions: { idleAfterMs: number } } };
    edited.data.sessions.idleAfterMs = 4321;
    await writeFile(at, JSON.stringify(edited));
    expect((await loadConfig({ configPath: file })).sessions.idleAfterMs).toBe(4321);
  });

  it('a config that is not plain data (a getter) is parsed every time, never kept', async () => {
    fx = await makeFleet({ instances: 1, worktrees: false });
    await writeFile(
      path.join(fx.repo, 'fleet.config.ts'),
      ENV_CONFIG.replace('roles: {', 'get remote() { return "origin"; },\n  roles: {'),
    );
    expect((await fx.cli(['config', '--json'])).exitCode).toBe(0);
    expect(await entries(fx.repo)).toEqual([]);
  });
});

describe('isPlainData', () => {
  class Box {
    v = 1;
  }
  const holes: unknown[] = [1];
  holes[3] = 2;
  const withExtra = Object.assign([1, 2], { extra: true });
  it.each<[string, unknown, boolean]>([
    ['nested objects, arrays and scalars', { a: [1, 'x', true, null, { b: {} }] }, true],
    ['a null-prototype object', Object.assign(Object.create(null) as object, { a: 1 }), true],
    ['a getter', Object.defineProperty({}, 'a', { get: () => 1, enumerable: true }), false],
    ['a Proxy', new Proxy({}, {}), false],
    ['a function', { f: () => 1 }, false],
    ['a class instance', new Box(), false],
    ['undefined', { a: undefined }, false],
    ['NaN', { a: NaN }, false],
    ['-0', { a: -0 }, false],
    ['a symbol key', { [Symbol('s')]: 1 }, false],
    ['a non-enumerable key', Object.defineProperty({}, 'a', { value: 1 }), false],
    ['an array with holes', holes, false],
    ['an array with an extra key', withExtra, false],
    ['a Date', { d: new Date(0) }, false],
    ['a __proto__ key', JSON.parse('{"__proto__": {"x": 1}}') as unknown, false],
  ])('%s → %s', (_name, value, plain) => {
    expect(isPlainData(value)).toBe(plain);
  });
});

describe('zodVersion', () => {
  // Part of every kept parse's key: found by a walk of node's lookup paths instead of node's
  // own resolution (which is slow through zod's exports map), it must find the same zod.
  it("is the version of the zod that node resolves for 'zod'", () => {
    const { version } = createRequire(import.meta.url)('zod/package.json') as { version: string };
    expect(zodVersion()).toBe(version);
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
  });
});
