// Land records the conflicts it meets in landed.jsonl (issue 17): `report` counts them, and
// "landed today" and pushes saved are unchanged by them. Real git, bare origin.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { fleetWithConfig } from '../helpers/land-helpers.js';

describe('land: conflicts go into landed.jsonl', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('a conflicting instance gets an outcome "conflict" line with its files; report and status count right', async () => {
    const f = await fleetWithConfig({ instances: 3 });
    fx = f.fx;
    const [ps1, ps2, ps3] = fx.instances;
    await fx.commit(ps1!.worktree, { 'shared.txt': 'from ps1\n' }, 'ps1: shared');
    await fx.commit(ps2!.worktree, { 'shared.txt': 'from ps2\n' }, 'ps2: shared');
    await fx.commit(ps3!.worktree, { 'ps3.txt': 'three\n' }, 'ps3: own');
    const r = await land(f.config, { all: true });
    expect(r.instances.map((i) => i.outcome)).toEqual(['landed', 'conflict', 'landed']);

    const lines = (await readFile(path.join(fx.repo, '.git', 'fleet-tui', 'landed.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => [l.id, l.outcome ?? 'landed', l.commits])).toEqual([
      ['ps1', 'landed', 1],
      ['ps2', 'conflict', 0],
      ['ps3', 'landed', 1],
    ]);
    expect(lines[1]).toMatchObject({ files: ['shared.txt'], main: r.main.after });

    const rep = await fx.cli(['report', '--json']);
    expect(rep.exitCode, rep.stderr).toBe(0);
    const j = JSON.parse(rep.stdout) as {
      instances: Array<{ id: string; landed: number; conflicts: number; pushesSaved: number }>;
      fleet: { landed: number; conflicts: number; pushesSaved: number };
    };
    expect(j.instances.map((i) => [i.id, i.landed, i.conflicts, i.pushesSaved])).toEqual([
      ['ps1', 1, 0, 0.5],
      ['ps2', 0, 1, 0],
      ['ps3', 1, 0, 0.5],
    ]);
    expect(j.fleet).toMatchObject({ landed: 2, conflicts: 1, pushesSaved: 1 });

    const st = await fx.cli(['status', '--json']);
    const rows = (
      JSON.parse(st.stdout) as { instances: Array<{ id: string; landedToday: number }> }
    ).instances;
    expect(rows.map((x) => x.landedToday)).toEqual([1, 0, 1]);
  });
});
