// The config load reads the fleet state synchronously (app/fleet-config.ts); every other reader
// awaits it. Both must answer the same for an absent, a good and a malformed state file.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { fleetDir } from '../../../src/core/git/repo.js';
import { readFleetState, readFleetStateSync } from '../../../src/core/state/fleet-state.js';

let dir: string | undefined;
afterEach(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
  dir = undefined;
});

it('readFleetStateSync answers what readFleetState answers', async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-state-read-'));
  const commonDir = path.join(dir, '.git');
  const both = async () => [readFleetStateSync(commonDir), await readFleetState(commonDir)];

  const [absentSync, absent] = await both();
  expect(absentSync).toEqual({ version: 1, roles: {}, sessions: {} });
  expect(absent).toEqual(absentSync);

  await mkdir(fleetDir(commonDir), { recursive: true });
  const file = path.join(fleetDir(commonDir), 'state.json');
  await writeFile(
    file,
    JSON.stringify({ version: 1, roles: { ps1: 'web' }, sessions: { ps1: 's' } }),
  );
  const [goodSync, good] = await both();
  expect(goodSync).toEqual({ version: 1, roles: { ps1: 'web' }, sessions: { ps1: 's' } });
  expect(good).toEqual(goodSync);

  await writeFile(file, JSON.stringify({ roles: { ps1: 3 } }));
  const [badSync, bad] = await both();
  expect(badSync).toEqual({ version: 1, roles: {}, sessions: {} });
  expect(bad).toEqual(badSync);

  // Text that is not JSON is a usage error from both, naming the file (never read as empty:
  // the next role change would write over it).
  await writeFile(file, '{');
  const notJson = /state\.json is not JSON .*: fix it or move it away/;
  expect(() => readFleetStateSync(commonDir)).toThrow(notJson);
  await expect(readFleetState(commonDir)).rejects.toThrow(notJson);
  await expect(readFleetState(commonDir)).rejects.toMatchObject({ exitCode: 2 });
  expect(await readFile(file, 'utf8')).toBe('{');
});
