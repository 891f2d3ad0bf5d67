/**
 * Terminal output cleaning: keep colours (SGR `ESC[…m`), drop everything that moves the cursor,
 * erases, sets titles or links, plus stray control bytes. A pane renders lines, not a screen.
 */
// CSI (final byte @-~), OSC (ended by BEL or ST), DCS/SOS/PM/APC strings, 2-byte escapes, C0/DEL
// except TAB, and C1 controls.
const SEQUENCE =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]?|[\x00-\x08\x0b-\x1a\x1c-\x1f\x7f\x80-\x9f]/g;
// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/;

// Only plain SGR (`ESC [ digits ; : m`): `ESC [ > 4 ; 2 m` also ends in `m` but sets the
// terminal's key reporting.
// eslint-disable-next-line no-control-regex
const SGR = /^\x1b\[[0-9;:]*m$/;

function keepSgr(seq: string): string {
  return SGR.test(seq) ? seq : '';
}

/**
 * True when cleaning would leave `line` as it is: nothing but printable characters, TAB and plain
 * SGR (`ESC [ digits ; : m`). One pass over the line without a regex — the common agent line
 * (coloured text) — where the general path runs SEQUENCE's replace. Any other control (ESC that
 * is not plain SGR, C0, DEL, C1) answers false and takes the general path.
 */
function onlyTextAndSgr(line: string): boolean {
  const n = line.length;
  for (let i = 0; i < n; i++) {
    const c = line.charCodeAt(i);
    if ((c >= 0x20 && c < 0x7f) || c >= 0xa0 || c === 0x09) continue;
    if (c !== 0x1b || line.charCodeAt(i + 1) !== 0x5b) return false;
    let j = i + 2;
    // Parameters: '0'–'9', ':' and ';' (0x30–0x3b), then the final 'm'.
    for (let d = line.charCodeAt(j); d >= 0x30 && d <= 0x3b; d = line.charCodeAt(++j));
    if (line.charCodeAt(j) !== 0x6d) return false;
    i = j;
  }
  return true;
}

/** Remove cursor movement and control bytes from one line; SGR colour sequences stay. */
export function cleanLine(line: string): string {
  if (onlyTextAndSgr(line) || !NEEDS_CLEANING.test(line)) return line;
  return line.replace(SEQUENCE, keepSgr);
}

/** Small SGR helpers for lines fleet-tui renders itself (parsed JSON events). */
export const sgr = {
  dim: (s: string) => `\x1b[2m${s}\x1b[22m`,
  bold: (s: string) => `\x1b[1m${s}\x1b[22m`,
  red: (s: string) => `\x1b[31m${s}\x1b[39m`,
  green: (s: string) => `\x1b[32m${s}\x1b[39m`,
  yellow: (s: string) => `\x1b[33m${s}\x1b[39m`,
  cyan: (s: string) => `\x1b[36m${s}\x1b[39m`,
  magenta: (s: string) => `\x1b[35m${s}\x1b[39m`,
};
