// The hostile-input corpus: text fleet-tui does not write itself, as an attacker would craft it.
// Used by the CLI and the TUI corpus tests; each payload, printed raw, would act on a terminal.

/** Each payload and what it does to a terminal that receives it raw. */
export const PAYLOADS = {
  title: '\x1b]0;HACKED\x07', // OSC 0: retitles the window
  clipboard: '\x1b]52;c;SEFDS0VE\x07', // OSC 52: writes the clipboard
  clear: '\x1b[2J\x1b[H', // CSI: clears the screen
  csi8: '\u009b31m', // 8-bit CSI (C1), read by terminals that honour C1 in UTF-8
  st8: '\u009c', // 8-bit string terminator (ends an OSC early)
  newline: 'two\nlines', // splits a report line in two
  cr: 'over\rwrite', // overwrites the start of the line
  bell: '\x07', // rings the bell
  del: '\x7f',
  rlo: '\u202e', // right-to-left override: shows a name as something else
} as const;

/** One string with every payload. */
export const ALL = Object.values(PAYLOADS).join('|');

/**
 * Payloads git accepts in a ref name (no byte below 0x20, no DEL, none of ` ~^:?*[\`): C1 and bidi.
 */
export const REF_SAFE = `${PAYLOADS.csi8}x${PAYLOADS.rlo}y${PAYLOADS.st8}`;

// A control character (C0 but the line feed, DEL, C1) or a bidi/line-separator control.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

/**
 * The first control character in terminal output, with its context, or null. `sgr` allows the
 * SGR colour sequences fleet-tui writes itself (Ink's colours).
 */
export function firstControl(text: string, opts: { sgr?: boolean } = {}): string | null {
  // eslint-disable-next-line no-control-regex
  const t = opts.sgr ? text.replace(/\x1b\[[0-9;]*m/g, '') : text;
  const m = CONTROL.exec(t);
  return m ? JSON.stringify(t.slice(Math.max(0, m.index - 30), m.index + 30)) : null;
}
