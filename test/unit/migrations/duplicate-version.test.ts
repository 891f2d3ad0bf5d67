import { describe, expect, it } from 'vitest';
import { duplicateVersion } from '../../../src/core/migrations/rules/duplicate-version.js';
import { ctx, inst, mig, model } from './helpers.js';

const run = (m: ReturnType<typeof model>) => duplicateVersion(m, ctx(m));

describe('duplicate-version', () => {
  it('flags a worktree file sharing a version with a different file on main, with a fix in the band', () => {
    const m = model(
      [mig('20261123001000_init.sql', 'main')],
      [
        inst('ps1', '001000', {
          added: [mig('20261123001000_add_posts.sql', 'worktree', 'ps1', 'o2')],
        }),
      ],
    );
    const [p, ...rest] = run(m);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      rule: 'duplicate-version',
      severity: 'error',
      version: '20261123001000',
    });
    expect(p!.files).toEqual([
      { instance: null, where: 'main', path: 'supabase/migrations/20261123001000_init.sql' },
      {
        instance: 'ps1',
        where: 'worktree',
        path: 'supabase/migrations/20261123001000_add_posts.sql',
      },
    ]);
    expect(p!.fix).toBe(
      "rename ps1's 20261123001000_add_posts.sql to 20261123001500_add_posts.sql — next free slot in ps1's band",
    );
  });

  it('same name with different content is a collision; same name and content is one migration', () => {
    const same = model(
      [mig('20261123001000_a.sql', 'main', null, 'x')],
      [
        inst('ps1', '001000', { added: [mig('20261123001000_a.sql', 'branch', 'ps1', 'x')] }),
        inst('ps2', '002000', { added: [mig('20261123001000_a.sql', 'worktree', 'ps2', 'x')] }),
      ],
    );
    expect(run(same)).toEqual([]);
    const differs = model(
      [mig('20261123001000_a.sql', 'main', null, 'x')],
      [inst('ps1', '001000', { added: [mig('20261123001000_a.sql', 'worktree', 'ps1', 'y')] })],
    );
    expect(run(differs)).toHaveLength(1);
  });

  it('finds collisions between two worktrees and inside one tree', () => {
    const two = model(
      [],
      [
        inst('ps1', '001000', { added: [mig('20261123001000_a.sql', 'worktree', 'ps1', 'a')] }),
        inst('ps2', '002000', { added: [mig('20261123001000_b.sql', 'branch', 'ps2', 'b')] }),
      ],
    );
    const [p] = run(two);
    // ps1 owns 001000 (its band), so ps2 is told to move.
    expect(p!.fix).toMatch(/^rename ps2's 20261123001000_b\.sql to 20261123002000_b\.sql/);
    const inMain = model(
      [
        mig('20261123001000_a.sql', 'main', null, 'a'),
        mig('20261123001000_b.sql', 'main', null, 'b'),
      ],
      [],
    );
    expect(run(inMain)).toHaveLength(1);
    expect(run(inMain)[0]!.fix).toMatch(/on origin\/main already/);
  });

  it('compares versions as text: different lengths and leading zeros never collide', () => {
    const m = model(
      [
        mig('20261123_a.sql', 'main'),
        mig('2026112300100_b.sql', 'main'),
        mig('20261123001000_c.sql', 'main'),
      ],
      [
        inst('ps1', '001000', {
          added: [
            mig('020261123_d.sql', 'worktree', 'ps1', 'o9'),
            mig('1_e.sql', 'worktree', 'ps1', 'o8'),
          ],
        }),
      ],
    );
    expect(run(m)).toEqual([]);
    const only = model(
      [mig('0001_a.sql', 'main', null, 'a')],
      [inst('ps1', '001000', { added: [mig('0001_b.sql', 'worktree', 'ps1', 'b')] })],
    );
    expect(run(only)).toHaveLength(1);
  });

  it('hands out distinct fix slots to two colliding files, and says when the band is full', () => {
    const m = model(
      [mig('20261123010000_a.sql', 'main'), mig('20261123010500_b.sql', 'main')],
      [
        inst('ps3', '010000', {
          added: [
            mig('20261123010000_x.sql', 'worktree', 'ps3', 'x'),
            mig('20261123010500_y.sql', 'worktree', 'ps3', 'y'),
          ],
        }),
      ],
    );
    const fixes = run(m).map((p) => p.fix);
    expect(fixes[0]).toContain('to 20261123011000_x.sql');
    expect(fixes[1]).toContain('to 20261123011500_y.sql');
    // ps1's band is [001000, 002000): two slots, both taken.
    const full = model(
      [mig('20261123001000_a.sql', 'main'), mig('20261123001500_b.sql', 'main')],
      [inst('ps1', '001000', { added: [mig('20261123001000_x.sql', 'worktree', 'ps1', 'x')] })],
    );
    expect(run(full)[0]!.fix).toMatch(/^ps1's band is full for today/);
  });
});
