import chalk from 'chalk';

const RGB = /^rgb\(\s?(\d+),\s?(\d+),\s?(\d+)\s?\)$/;
const ANSI256 = /^ansi256\(\s?(\d+)\s?\)$/;

/** Ink's colorize: a named chalk colour, #hex, rgb(r,g,b) or ansi256(n). */
export function colorize(
  s: string,
  color: string | undefined,
  type: 'foreground' | 'background',
): string {
  if (!color) return s;
  const fg = type === 'foreground';
  if (color in chalk) {
    const name = fg ? color : `bg${color[0]!.toUpperCase()}${color.slice(1)}`;
    const fn = (chalk as unknown as Record<string, ((s: string) => string) | undefined>)[name];
    return typeof fn === 'function' ? fn(s) : s;
  }
  if (color.startsWith('#')) return fg ? chalk.hex(color)(s) : chalk.bgHex(color)(s);
  const a = ANSI256.exec(color);
  if (a) return fg ? chalk.ansi256(Number(a[1]))(s) : chalk.bgAnsi256(Number(a[1]))(s);
  const m = RGB.exec(color);
  if (m) {
    const [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return fg ? chalk.rgb(r, g, b)(s) : chalk.bgRgb(r, g, b)(s);
  }
  return s;
}
