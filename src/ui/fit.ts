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
      const line = visiblePrefix(raw.includes('\t') ? raw.replace(/\t/g, '  ') : raw, width);
      return stringWidth(line) > width ? cliTruncate(line, width, { position: 'end' }) : line;
    })
    .join('\n');
}

/**
 * A long line cut, before it is measured, to what can show in `width` columns: every character
 * is at least one column wide (zero-width ones aside), so 2 × width characters — SGR sequences
 * not counted, and kept — are more than enough. Measuring a 16 KiB line costs more than a frame
 * when twelve panes each show forty of them; measuring this prefix costs what the pane shows.
 */
function visiblePrefix(line: string, width: number): string {
  const budget = Math.max(16, width * 2);
  if (line.length <= budget) return line;
  let shown = 0;
  let i = 0;
  while (i < line.length && shown < budget) {
    if (line.charCodeAt(i) === 0x1b) {
      // Pane lines hold only SGR (`ESC [ … m`): skip the whole sequence.
      const end = line.indexOf('m', i);
      i = end < 0 ? line.length : end + 1;
      continue;
    }
    const c = line.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff ? 2 : 1;
    shown++;
  }
  return i >= line.length ? line : line.slice(0, i);
}
