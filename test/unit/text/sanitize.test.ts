import { describe, expect, it } from 'vitest';
import {
  escapeJsonControls,
  sanitize,
  sanitizeKeepingColours,
  sanitizeLines,
} from '../../../src/text/sanitize.js';

describe('the one sanitizer', () => {
  it('shows C0, DEL, C1 and bidi controls as escapes; leaves everything else alone', () => {
    expect(sanitize('x\x1b]0;T\x07y')).toBe('x\\x1b]0;T\\x07y');
    expect(sanitize('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(sanitize('\x00\x7f\u0080\u009b\u009f')).toBe('\\x00\\x7f\\x80\\x9b\\x9f');
    expect(sanitize('evil\u202egnp.exe\u2066\u2028')).toBe('evil\\u202egnp.exe\\u2066\\u2028');
    const plain = 'ps3 — café ✱ 日本語 C:\\path \\x1b (already text)';
    expect(sanitize(plain)).toBe(plain);
    // Every code point from U+0000 to U+00FF: the output has no control character at all.
    const all = Array.from({ length: 256 }, (_, k) => String.fromCharCode(k)).join('');
    // eslint-disable-next-line no-control-regex
    expect(sanitize(all)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });

  it('sanitizeLines keeps line breaks; sanitizeKeepingColours keeps only plain SGR', () => {
    expect(sanitizeLines('one\x1b[2J\r\ntwo\n')).toBe('one\\x1b[2J\ntwo\n');
    expect(sanitizeKeepingColours('\x1b[31mred\x1b[0m \x1b]52;c;x\x07 \x1b[>4;2m')).toBe(
      '\x1b[31mred\x1b[0m \\x1b]52;c;x\\x07 \\x1b[>4;2m',
    );
  });

  it('escapeJsonControls: still the same JSON value, no raw DEL/C1/bidi left', () => {
    const value = { s: 'a\u009b31m\x7f\u202e\x1b' };
    const text = escapeJsonControls(JSON.stringify(value));
    // eslint-disable-next-line no-control-regex
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202e]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
