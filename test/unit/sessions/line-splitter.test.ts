import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE } from '../../../src/core/sessions/output/line-splitter.js';
import { cleanLine } from '../../../src/core/sessions/output/ansi.js';

function split(chunks: Array<string | number[]>): { lines: string[]; partial: string } {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  for (const c of chunks) s.write(typeof c === 'string' ? Buffer.from(c) : Uint8Array.from(c));
  return { lines, partial: s.partial() };
}

describe('LineSplitter', () => {
  it('splits LF and CRLF lines and keeps the unfinished one as partial', () => {
    expect(split(['a\nb\r\nc'])).toEqual({ lines: ['a', 'b'], partial: 'c' });
  });

  it('joins a line split over many chunks, including a CRLF split between chunks', () => {
    expect(split(['hel', 'lo wo', 'rld\r', '\nnext\n'])).toEqual({
      lines: ['hello world', 'next'],
      partial: '',
    });
  });

  it('bare CR: the last state of a progress bar wins, in lines and in the partial', () => {
    expect(split(['10%\r50%\r100%\n'])).toEqual({ lines: ['100%'], partial: '' });
    expect(split(['10%\r50%\r7'])).toEqual({ lines: [], partial: '7' });
    expect(split(['done\r\r\n'])).toEqual({ lines: ['done'], partial: '' });
  });

  it('decodes a multibyte character split across chunks', () => {
    const bytes = [...Buffer.from('é🚀\n')];
    expect(split([bytes.slice(0, 1), bytes.slice(1, 3), bytes.slice(3)]).lines).toEqual(['é🚀']);
  });

  it('replaces invalid UTF-8 with U+FFFD and drops control bytes', () => {
    expect(split([[0x61, 0xff, 0xfe, 0x00, 0x07, 0x62, 0x0a]]).lines).toEqual(['a\ufffd\ufffdb']);
  });

  it('keeps a 5 MB line whole and cuts only past the hard limit', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const chunks: string[] = [];
    for (let i = 0; i < big.length; i += 65536) chunks.push(big.slice(i, i + 65536));
    const { lines } = split([...chunks, '\nafter\n']);
    expect(lines.map((l) => l.length)).toEqual([big.length, 5]);
    const huge = split(['y'.repeat(MAX_LINE + 10)]);
    expect(huge.lines[0]?.length).toBe(MAX_LINE + 10);
  });

  it('end() flushes the unfinished line', () => {
    const lines: string[] = [];
    const s = new LineSplitter((l) => lines.push(l));
    s.write(Buffer.from('tail'));
    s.end();
    expect(lines).toEqual(['tail']);
  });
});

describe('cleanLine', () => {
  it('keeps SGR colours and removes cursor movement, erase, titles and hyperlinks', () => {
    expect(cleanLine('\x1b[31mred\x1b[0m \x1b[2K\x1b[1Gmoved\x1b[3A\x1b]0;title\x07!')).toBe(
      '\x1b[31mred\x1b[0m moved!',
    );
    expect(cleanLine('\x1b]8;;https://x.y\x1b\\link\x1b]8;;\x1b\\')).toBe('link');
    expect(cleanLine('\x1b(Bcharset\x1b[?25l')).toBe('charset');
  });

  it('leaves plain text, tabs, wide characters and emoji alone', () => {
    const s = 'a\tb 漢字 🚀✨';
    expect(cleanLine(s)).toBe(s);
  });
});
