import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Output that breaks naive line handling (for tests): binary bytes, invalid UTF-8, a 5 MB line,
 * `\r` progress bars, wide characters and emoji, cursor movement, CRLF, a split multibyte
 * character and an unfinished last line.
 */
export async function hostileOutput(write: (s: string | Uint8Array) => void): Promise<void> {
  write('crlf line\r\n');
  write(Uint8Array.from([0x62, 0x69, 0x6e, 0x00, 0x01, 0x02, 0x7f, 0x1b, 0x5b, 0x32, 0x4a, 0x0a])); // "bin" + NUL, ESC[2J
  write(Uint8Array.from([0x62, 0x61, 0x64, 0x20, 0xff, 0xfe, 0x20, 0xc3, 0x28, 0x0a])); // invalid UTF-8
  for (let p = 0; p <= 100; p += 25) {
    write(`progress ${p}%\r`);
    await sleep(5);
  }
  write('\n');
  write('wide 漢字 and emoji 🚀✨\n');
  write('\x1b[31mred\x1b[0m \x1b[2K\x1b[1Gmoved\x1b[3A\x1b]0;title\x07 done\n');
  write(Buffer.from('split é char\n').subarray(0, 7));
  await sleep(5);
  write(Buffer.from('split é char\n').subarray(7));
  write(`long:${'x'.repeat(5 * 1024 * 1024)}\n`);
  write('after long\n');
  write('unfinished');
}
