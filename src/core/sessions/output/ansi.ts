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

/** Remove cursor movement and control bytes from one line; SGR colour sequences stay. */
export function cleanLine(line: string): string {
  if (!NEEDS_CLEANING.test(line)) return line;
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
