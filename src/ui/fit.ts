import cliTruncate from 'cli-truncate';
import stringWidth from 'string-width';

/**
 * Agent output fitted to a pane: each line cut to `width` columns (colours kept) and the lines
 * joined into one string. Ink then neither wraps nor clips it — clipping runs slice-ansi on
 * every line of every frame, which was most of the render time with 12 streaming panes.
 */
export function fitLines(lines: readonly string[], width: number): string {
  return lines
    .map((raw) => {
      const line = raw.includes('\t') ? raw.replace(/\t/g, '  ') : raw;
      return stringWidth(line) > width ? cliTruncate(line, width, { position: 'end' }) : line;
    })
    .join('\n');
}
