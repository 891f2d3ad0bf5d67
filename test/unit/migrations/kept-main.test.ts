import { describe, expect, it } from 'vitest';
import { decodeMain, encodeMain } from '../../../src/core/migrations/kept-main.js';
import {
  buildMainView,
  compilePattern,
  type MainView,
} from '../../../src/core/migrations/model.js';
import { bad, mig } from './helpers.js';

const layout = { dir: 'supabase/migrations', re: compilePattern('^([0-9]+)_(.*)\\.sql$') };

/** Every question the rules ask, answered by a view (the eager one is the reference). */
function answers(m: MainView, files: string[], versions: string[]) {
  return {
    entries: m.entries,
    badNames: m.badNames,
    maxVersion: m.maxVersion,
    count: m.count,
    repeated: m.repeated,
    byName: files.map((f) => m.byName(f) ?? null),
    holds: files.flatMap((f) => [m.holds({ file: f, oid: 'o1' }), m.holds({ file: f, oid: 'x' })]),
    withVersion: versions.map((v) => m.withVersion(v)),
    versionsFrom: ['', '2026', '20261123', '20261123010000', '3', '1'].map((p) =>
      [...m.versionsFrom(p)].sort(),
    ),
  };
}

describe('kept-main: main kept as text answers as main in memory', () => {
  // Out of order, a version three times, a name with characters beyond the BMP and beyond ASCII
  // (their order as text differs from git's bytes), a one-row and an empty main.
  const entries = [
    mig('20261123010000_b.sql', 'main', null, 'o1'),
    mig('20261120010000_init.sql', 'main', null, 'o2'),
    mig('20261123010000_a.sql', 'main', null, 'o3'),
    mig('20261124010000_😀.sql', 'main', null, 'o1'),
    mig('20261124020000_\uffefz.sql', 'main', null, 'o4'),
    mig('20261123010000_c.sql', 'main', null, 'o5'),
    mig('1_short.sql', 'main', null, 'o6'),
  ];
  const files = [...entries.map((e) => e.file), 'missing.sql', '', '20261123010000_bb.sql'];
  const versions = [...entries.map((e) => e.version), '20261123', '9', ''];
  const cases: Array<[string, MainView]> = [
    ['many', buildMainView(entries, [bad('x.sql', 'main'), bad('y z.SQL', 'main')])],
    ['one', buildMainView([entries[0]!], [])],
    ['none', buildMainView([], [bad('x.sql', 'main')])],
    // More rows than one base-36 digit numbers: two-character row numbers.
    [
      'wide',
      buildMainView(
        Array.from({ length: 40 }, (_, k) =>
          mig(`2026112${k % 3}0${String(k).padStart(5, '0')}_m${k}.sql`, 'main', null, `o${k}`),
        ),
        [],
      ),
    ],
  ];
  it.each(cases)('%s', (_, main) => {
    const text = encodeMain(main)!;
    const kept = decodeMain(text, layout)!;
    expect(kept).not.toBeNull();
    const all = [...files, ...main.entries.map((e) => e.file)];
    const vs = [...versions, ...main.entries.map((e) => e.version)];
    expect(answers(kept, all, vs)).toEqual(answers(main, all, vs));
  });

  it('main in the top-level directory: paths are the file names', () => {
    const top = { ...layout, dir: '.' };
    const e = { ...mig('20261123010000_b.sql', 'main'), path: '20261123010000_b.sql' };
    const kept = decodeMain(encodeMain(buildMainView([e], []))!, top)!;
    expect(kept.entries).toEqual([e]);
  });

  it('a main with one file name twice is not kept (a tree never has one)', () => {
    const e = mig('20261123010000_b.sql', 'main');
    expect(encodeMain(buildMainView([e, { ...e, oid: 'o9' }], []))).toBeNull();
  });

  it('a text of another shape is refused, whatever part is off', () => {
    const main = cases[0]![1];
    const text = encodeMain(main)!;
    const nl = text.indexOf('\n');
    const header = JSON.parse(text.slice(0, nl)) as Record<string, unknown>;
    const withHeader = (h: Record<string, unknown>) => `${JSON.stringify(h)}${text.slice(nl)}`;
    const rows = text.slice(nl + 1, text.lastIndexOf('/') + 1);
    const orders = text.slice(text.lastIndexOf('/') + 1);
    const broken = [
      '',
      'not json\n',
      text.slice(0, nl),
      withHeader({ ...header, n: 6 }),
      withHeader({ ...header, n: 8 }),
      withHeader({ ...header, w: 2 }),
      withHeader({ ...header, repeated: 'x' }),
      withHeader({ ...header, bad: [1] }),
      withHeader({ ...header, max: null }),
      // A row with a field more, a field less; a row gone; an order cut, with a row twice, not
      // base 36. (Orders are not checked to be sorted: the checksum guards what the writer wrote.)
      text.replace('20261123010000_b.sql\0', '20261123010000_b.sql\0\0'),
      text.replace('20261123010000\0b\0', '20261123010000b\0'),
      text.replace(/1_short\.sql[^/]*\//, ''),
      text.slice(0, -1),
      `${text.slice(0, nl + 1)}${rows}${orders.slice(0, 7)}0000000`,
      `${text.slice(0, -1)}A`,
      `${text.slice(0, -1)}z`,
    ];
    for (const t of broken) expect(decodeMain(t, layout)).toBeNull();
    expect(decodeMain(text, layout)).not.toBeNull();
  });
});
