/**
 * The longest line a pane keeps, in UTF-16 units (≈ bytes for ASCII). Far wider than any
 * terminal, small enough that measuring and fitting a line never costs a frame. The raw output
 * (exec agents' `.out` log, tmux's own history) keeps the whole line.
 */
export const LINE_CAP = 16 * 1024;

const MARKER_END = ' more characters]\x1b[22m';
const MARKER_ROOM = 64;

/** Colours off, dim, the marker, dim off: visible whatever colour the cut line was in. */
function marker(cut: number): string {
  return `\x1b[0m\x1b[2m … [line cut: ${cut.toLocaleString('en-US')}${MARKER_END}`;
}

/**
 * `line` when it is at most `cap` long; otherwise its head with a visible marker saying how much
 * was cut. The head never ends inside an escape sequence or a surrogate pair. `extra` counts
 * characters already dropped before this line reached us (the splitter drops them unbuffered).
 */
export function capLine(line: string, cap = LINE_CAP, extra = 0): string {
  if (extra === 0) {
    if (line.length <= cap) return line;
    // Already cut (by the splitter): cutting again would only stack markers.
    if (line.length <= cap + MARKER_ROOM && line.endsWith(MARKER_END)) return line;
  }
  let head = line.slice(0, cap);
  // An unfinished escape sequence at the cut would swallow the marker: drop it.
  const esc = head.lastIndexOf('\x1b');
  // eslint-disable-next-line no-control-regex
  if (esc >= 0 && !/^\x1b\[[0-?]*[ -/]*[@-~]/.test(head.slice(esc))) head = head.slice(0, esc);
  const last = head.charCodeAt(head.length - 1);
  if (last >= 0xd800 && last <= 0xdbff) head = head.slice(0, -1);
  return head + marker(line.length - head.length + extra);
}
