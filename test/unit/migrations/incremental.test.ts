import { describe, expect, it } from 'vitest';
import { applyFileChange } from '../../../src/core/migrations/incremental.js';

const head = new Map([
  ['m/1_a.sql', 'A'],
  ['m/notes.sql', ''],
]);

describe('applyFileChange (watcher update without git status)', () => {
  it('classifies a file by comparing its blob id with HEAD', () => {
    expect(applyFileChange([], head, 'm/2_b.sql', 'B')).toEqual([
      { xy: '??', path: 'm/2_b.sql', oid: 'B' },
    ]);
    expect(applyFileChange([], head, 'm/1_a.sql', 'X')).toEqual([
      { xy: ' M', path: 'm/1_a.sql', oid: 'X' },
    ]);
    expect(applyFileChange([], head, 'm/1_a.sql', null)).toEqual([
      { xy: ' D', path: 'm/1_a.sql', oid: null },
    ]);
  });
  it('a file back to its HEAD content, or a new file removed again, leaves no change', () => {
    const modified = applyFileChange([], head, 'm/1_a.sql', 'X');
    expect(applyFileChange(modified, head, 'm/1_a.sql', 'A')).toEqual([]);
    const added = applyFileChange([], head, 'm/2_b.sql', 'B');
    expect(applyFileChange(added, head, 'm/2_b.sql', null)).toEqual([]);
  });
  it('keeps the other files’ changes', () => {
    const two = applyFileChange(
      applyFileChange([], head, 'm/2_b.sql', 'B'),
      head,
      'm/3_c.sql',
      'C',
    );
    expect(two.map((w) => w.path)).toEqual(['m/2_b.sql', 'm/3_c.sql']);
  });
});
