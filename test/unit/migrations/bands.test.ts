import { describe, expect, it } from 'vitest';
import { bandOf, nextSlot, utcDay } from '../../../src/core/migrations/bands.js';
import { compilePattern, parseName, blobOid } from '../../../src/core/migrations/model.js';
import { normalizeName } from '../../../src/core/migrations/rules/index.js';

const bands = ['001000', '010000', '002000'];

describe('bands', () => {
  it('a band runs to the next band start; the last to 240000', () => {
    expect(bandOf('001000', bands)).toEqual({ start: 1000, end: 2000 });
    expect(bandOf('010000', bands)).toEqual({ start: 10000, end: 240000 });
  });
  it('next slot is the lowest above every version of that band and day', () => {
    const b = bandOf('010000', bands);
    expect(nextSlot('20261123', b, 500, [])).toBe('20261123010000');
    expect(
      nextSlot('20261123', b, 500, ['20261123010000', '20261123010730', '20261123001000']),
    ).toBe('20261123011000');
    // Other days and other bands do not count; a new day starts at the band start again.
    expect(nextSlot('20261124', b, 500, ['20261123010000', '20261123011000'])).toBe(
      '20261124010000',
    );
  });
  it('a full band has no next slot', () => {
    const b = bandOf('001000', bands);
    expect(nextSlot('20261123', b, 500, ['20261123001500'])).toBeNull();
  });
  it('utcDay is the UTC date', () => {
    expect(utcDay(new Date('2026-11-23T23:59:59Z'))).toBe('20261123');
  });
});

describe('model', () => {
  const re = compilePattern('^([0-9]+)_(.*)\\.sql$');
  it('parses versions of any length; name is the rest', () => {
    expect(parseName('20261123001000_add_posts.sql', re)).toEqual({
      version: '20261123001000',
      name: 'add_posts',
    });
    expect(parseName('20261123_x.sql', re)).toEqual({ version: '20261123', name: 'x' });
    expect(parseName('seed.sql', re)).toBeNull();
    expect(parseName('1_x.sql.bak', re)).toBeNull();
  });
  it('blob ids match git', () => {
    // `printf 'hello\n' | git hash-object --stdin`
    expect(blobOid(Buffer.from('hello\n'))).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });
  it('names normalize to [a-z0-9_]', () => {
    expect(normalizeName('Add Posts-Table!')).toBe('add_posts_table');
    expect(normalizeName('***')).toBe('');
  });
});
