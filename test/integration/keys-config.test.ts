import { afterEach, describe, expect, it } from 'vitest';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

describe('keys in fleet.config.ts', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('accepts a valid override and rejects a clash with the key path and both commands', async () => {
    fx = await makeFleet({ worktrees: false, configExtra: `  keys: { 'panel.log': 'O' },` });
    expect((await fx.cli(['config'])).exitCode).toBe(0);
    await fx.write(fx.repo, {
      'fleet.config.ts': (await fx.git(fx.repo, 'show', 'HEAD:fleet.config.ts')).replace(
        "'O'",
        "'P'",
      ),
    });
    const res = await fx.cli(['config']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(
      /fleet\.config\.ts: keys\.panel\.log: key "P" is bound to both land\.all and panel\.log in the grid view — pick another key/,
    );
  });
});
