import { describe, expect, it } from 'vitest';
import { badName } from '../../../src/core/migrations/rules/bad-name.js';
import { editedApplied } from '../../../src/core/migrations/rules/edited-applied.js';
import { outOfBand } from '../../../src/core/migrations/rules/out-of-band.js';
import { outOfOrder } from '../../../src/core/migrations/rules/out-of-order.js';
import { bad, ctx, edit, inst, mig, model } from './helpers.js';

describe('edited-applied', () => {
  const main = [mig('20261120001000_init.sql', 'main')];
  it.each(['modified', 'deleted', 'renamed'] as const)(
    'flags an instance that %s a migration on main',
    (change) => {
      const m = model(main, [
        inst('ps1', '001000', {
          edits: [edit('20261120001000_init.sql', 'ps1', change, 'worktree')],
        }),
      ]);
      const [p, ...rest] = editedApplied(m, ctx(m));
      expect(rest).toEqual([]);
      expect(p).toMatchObject({
        rule: 'edited-applied',
        severity: 'error',
        version: '20261120001000',
      });
      expect(p!.files[1]).toMatchObject({ instance: 'ps1', where: 'worktree' });
      expect(p!.fix).toContain(
        'git checkout origin/main -- supabase/migrations/20261120001000_init.sql',
      );
    },
  );
  it('ignores edits of files that are not on main', () => {
    const m = model(main, [
      inst('ps1', '001000', { edits: [edit('20261121001000_mine.sql', 'ps1', 'modified')] }),
    ]);
    expect(editedApplied(m, ctx(m))).toEqual([]);
  });
});

describe('out-of-band', () => {
  const check = (file: string, id = 'ps1', band = '001000') => {
    const m = model([], [inst(id, band, { added: [mig(file, 'worktree', id)] })]);
    return outOfBand(m, ctx(m));
  };
  it('accepts [band start, next band start) and rejects the next band start', () => {
    expect(check('20261123001000_a.sql')).toEqual([]);
    expect(check('20261123001999_a.sql')).toEqual([]);
    const [p] = check('20261123002000_a.sql');
    expect(p).toMatchObject({ rule: 'out-of-band', severity: 'error', version: '20261123002000' });
    expect(p!.message).toContain('[001000, 002000)');
    expect(check('20261123000959_a.sql')).toHaveLength(1);
  });
  it('the last band ends at 240000', () => {
    expect(check('20261123235959_a.sql', 'ps3', '010000')).toEqual([]);
    expect(check('20261123240000_a.sql', 'ps3', '010000')).toHaveLength(1);
  });
  it('versions that are not 14 digits are outside every band (8 and 13 digits)', () => {
    expect(check('20261123_a.sql')[0]!.message).toContain('not a YYYYMMDDHHMMSS version');
    expect(check('2026112300100_a.sql')).toHaveLength(1);
  });
  it('does not band-check an instance without a band (single-repo check)', () => {
    const m = model([], [inst(null, null, { added: [mig('20261123002000_a.sql', 'worktree')] })]);
    expect(outOfBand(m, ctx(m))).toEqual([]);
  });
});

describe('out-of-order', () => {
  const main = [mig('20261123010000_a.sql', 'main')];
  it('warns about a version lower than main’s newest, compared as text', () => {
    const m = model(main, [
      inst('ps1', '001000', {
        added: [
          mig('20261123001000_x.sql', 'branch', 'ps1', 'x'),
          mig('9_y.sql', 'branch', 'ps1', 'y'),
        ],
      }),
    ]);
    const ps = outOfOrder(m, ctx(m));
    // "9" sorts after "2026…" as text, so only the first is out of order.
    expect(ps).toHaveLength(1);
    expect(ps[0]).toMatchObject({
      rule: 'out-of-order',
      severity: 'warning',
      version: '20261123001000',
    });
  });
  it("is an error when outOfOrder is 'error'", () => {
    const m = model(main, [
      inst('ps1', '001000', { added: [mig('20261122001000_x.sql', 'branch', 'ps1', 'x')] }),
    ]);
    expect(outOfOrder(m, ctx(m, { outOfOrder: 'error' }))[0]!.severity).toBe('error');
    expect(outOfOrder(m, ctx(m, { day: '20261124' }))[0]!.fix).toContain('to 20261124001000_x.sql');
  });
});

describe('bad-name', () => {
  it('warns about .sql files the pattern skips, on main and in instances', () => {
    const m = model(
      [],
      [inst('ps1', '001000', { badNames: [bad('add posts.sql', 'worktree', 'ps1')] })],
      [bad('seed.sql', 'main')],
    );
    const ps = badName(m, ctx(m));
    expect(ps.map((p) => [p.rule, p.severity, p.files[0]!.path])).toEqual([
      ['bad-name', 'warning', 'supabase/migrations/seed.sql'],
      ['bad-name', 'warning', 'supabase/migrations/add posts.sql'],
    ]);
    expect(ps[1]!.fix).toBe(
      "rename ps1's add posts.sql to 20261123001000_add_posts.sql — next free slot in ps1's band",
    );
  });
});
