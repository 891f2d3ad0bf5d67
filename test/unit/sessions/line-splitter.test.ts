import { describe, expect, it } from 'vitest';
import stripAnsi from 'strip-ansi';
import { capLine, LINE_CAP } from '../../../src/core/sessions/output/cap-line.js';
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

  it('a CR acts only on its own line, also when the chunk after it has none', () => {
    expect(split(['x\ry\nplain\nmore\n']).lines).toEqual(['y', 'plain', 'more']);
    expect(split(['abc\r', 'def\n', 'ghi\n']).lines).toEqual(['def', 'ghi']);
    expect(split(['abc\r', '\n', 'ghi'])).toEqual({ lines: ['abc'], partial: 'ghi' });
  });

  it('decodes a multibyte character split across chunks', () => {
    const bytes = [...Buffer.from('é🚀\n')];
    expect(split([bytes.slice(0, 1), bytes.slice(1, 3), bytes.slice(3)]).lines).toEqual(['é🚀']);
  });

  it('an ASCII chunk after an unfinished character still goes through the decoder', () => {
    // The lone lead byte is invalid once ASCII follows: it shows as U+FFFD, not dropped.
    expect(split([[0x61, 0xc3], [0x62, 0x0a], 'c\n']).lines).toEqual(['a\ufffdb', 'c']);
    // ASCII, then a character split over three chunks, then ASCII again.
    const rocket = [...Buffer.from('🚀')];
    expect(
      split(['x', rocket.slice(0, 2), rocket.slice(2, 3), [...rocket.slice(3), 0x79, 0x0a], 'z\n'])
        .lines,
    ).toEqual(['x🚀y', 'z']);
  });

  it('replaces invalid UTF-8 with U+FFFD and drops control bytes', () => {
    expect(split([[0x61, 0xff, 0xfe, 0x00, 0x07, 0x62, 0x0a]]).lines).toEqual(['a\ufffd\ufffdb']);
  });

  it('cuts a 5 MB line at LINE_CAP with a visible marker, holding no more than the cap', () => {
    const big = 'x'.repeat(5 * 1024 * 1024);
    const chunks: string[] = [];
    for (let i = 0; i < big.length; i += 65536) chunks.push(big.slice(i, i + 65536));
    const { lines } = split([...chunks, '\nafter\n']);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.startsWith('x'.repeat(LINE_CAP))).toBe(true);
    expect(stripAnsi(lines[0]!).slice(LINE_CAP)).toBe(
      ` … [line cut: ${(big.length - LINE_CAP).toLocaleString('en-US')} more characters]`,
    );
    expect(lines[1]).toBe('after');
    // The unfinished line is cut the same way, and a cut line is never cut twice.
    const s = new LineSplitter(() => undefined);
    for (const c of chunks) s.write(c);
    expect(s.partial()).toBe(lines[0]);
    expect(capLine(lines[0]!)).toBe(lines[0]);
  });

  it('keeps a JSON event line whole up to MAX_LINE (agent events carry tool results)', () => {
    const ev = `{"type":"user","text":"${'y'.repeat(2 * 1024 * 1024)}"}`;
    expect(split([ev, '\n']).lines[0]).toBe(ev);
    const huge = split(['{' + 'y'.repeat(MAX_LINE + 10), '\n']).lines[0]!;
    expect(huge.length).toBeLessThan(LINE_CAP + 100);
    expect(huge).toContain('line cut: ');
  });

  it('a progress bar that never ends its line stays one short line', () => {
    const s = new LineSplitter(() => undefined);
    for (let i = 0; i < 50_000; i++) s.write(`progress ${i}\r`);
    expect(s.partial()).toBe('progress 49999');
    s.write(' and more');
    expect(s.partial()).toBe(' and more');
  });

  it('a cut never ends inside a colour sequence or a surrogate pair', () => {
    const red = `${'a'.repeat(LINE_CAP - 3)}\x1b[31mred`;
    const cut = capLine(red);
    expect(cut.startsWith(`${'a'.repeat(LINE_CAP - 3)}\x1b[0m`)).toBe(true);
    const emoji = `${'a'.repeat(LINE_CAP - 1)}🚀🚀`;
    expect(capLine(emoji).startsWith(`${'a'.repeat(LINE_CAP - 1)}\x1b[0m`)).toBe(true);
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

  it('keeps only plain SGR: sequences that merely end in "m" can act on the terminal', () => {
    // modifyOtherKeys (`CSI > 4 ; 2 m`) and private-mode lookalikes change key reporting.
    expect(cleanLine('a\x1b[>4;2mb\x1b[?1mc\x1b[38:2::1:2:3md\x1b[0m')).toBe(
      'abc\x1b[38:2::1:2:3md\x1b[0m',
    );
    // C1 controls (8-bit CSI/OSC), DCS and APC strings, DEL and NUL are gone.
    expect(cleanLine('x\u009b2Jy\u009d0;t\u0007z\x1bPq#0\x1b\\w\x1b_apc\x1b\\v\x7f\x00')).toBe(
      'x2Jy0;tzwv',
    );
  });

  it('a coloured line with one hostile control anywhere is still cleaned (no fast path for it)', () => {
    // Plain coloured text is returned as it is without a regex; one control anywhere in it —
    // first, last, right after a colour, inside what starts like a colour — must take the
    // general path and be removed.
    const hostile = [
      '\x1b[2J',
      '\x1b]0;title\x07',
      '\x1b]52;c;SEFDS0VE\x07',
      '\x1b[>4;2m',
      '\x1b[?25l',
      '\x1bc',
      '\x1b(B',
      '\x1b[31;1H',
      '\x1b[3\x1b]0;x\x07m',
      '\x1bP1$r\x1b\\',
      '\u009b31m',
      '\u009d0;t\u009c',
      '\u0085',
      '\x7f',
      '\x00',
      '\x07',
      '\b',
      '\r',
      '\x0b',
      '\x1b',
      '\x1b[',
      '\x1b[31',
    ];
    // eslint-disable-next-line no-control-regex
    const sgrOnly = (s: string) => s.replace(/\x1b\[[0-9;:]*m/g, '');
    // eslint-disable-next-line no-control-regex
    const control = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/;
    for (const h of hostile) {
      for (const line of [
        `${h}\x1b[32mok\x1b[0m text`,
        `\x1b[32mok${h}\x1b[0m text`,
        `\x1b[32mok\x1b[0m text${h}`,
        `plain ${h} plain`,
      ]) {
        const out = cleanLine(line);
        expect(control.test(sgrOnly(out)), JSON.stringify([line, out])).toBe(false);
      }
    }
    // What the fast path returns is exactly the line.
    const coloured = '\x1b[32m@k1 i1\x1b[0m #1\tEdit src/app.ts \x1b[38;2;1;2;3mé\x1b[0m';
    expect(cleanLine(coloured)).toBe(coloured);
  });

  it('leaves plain text, tabs, wide characters and emoji alone', () => {
    const s = 'a\tb 漢字 🚀✨';
    expect(cleanLine(s)).toBe(s);
  });
});
