/**
 * The one sanitizer for text fleet-tui did not write itself (file and branch names, commit
 * subjects, git's messages, role titles, agent names) on its way to a terminal. A control
 * character is shown, never emitted: ESC becomes the four characters `\x1b`, a newline `\n`, so
 * no escape sequence (title, clipboard via OSC 52, cursor moves) can act on the terminal and a
 * name with a newline cannot split a report line in two.
 *
 * Shown: C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F: 8-bit CSI, OSC, ST…), and the
 * Unicode line/paragraph separators and bidirectional overrides and isolates (U+2028–U+2029,
 * U+202A–U+202E, U+2066–U+2069) that make a line display as something it is not. Everything
 * else, backslashes included, passes unchanged.
 *
 * `--json` does not come through here: JSON keeps the exact value (see `escapeJsonControls`).
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const HAS_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function visible(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every control character shown as an escape (`\x1b`, `\n`, `\x9b`, `\u202e`). */
export function sanitize(text: string): string {
  // The common case (nothing to show) costs one regex test and no new string.
  return HAS_UNSAFE.test(text) ? text.replace(UNSAFE, visible) : text;
}

/** Several lines of text: line breaks stay line breaks (`\r\n` too), the rest is `sanitize`d. */
export function sanitizeLines(text: string): string {
  return HAS_UNSAFE.test(text) ? text.split(/\r?\n/).map(sanitize).join('\n') : text;
}

// A complete SGR sequence (colours, bold…): nothing but parameters and the final `m`.
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/g;

/**
 * Rendered agent output printed by the CLI (`agents tail` on a terminal): SGR colour sequences
 * stay, every other control character is shown. Only for lines whose colours fleet-tui means to
 * keep; names and messages use `sanitize`.
 */
export function sanitizeKeepingColours(text: string): string {
  if (!HAS_UNSAFE.test(text)) return text;
  let out = '';
  let at = 0;
  for (const m of text.matchAll(SGR)) {
    out += sanitize(text.slice(at, m.index)) + m[0];
    at = m.index + m[0].length;
  }
  return out + sanitize(text.slice(at));
}

// JSON.stringify escapes C0 but writes DEL, C1 and the bidi controls raw; a terminal reading the
// output would still act on an 8-bit CSI (U+009B).
const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * JSON text whose remaining raw control characters are written as `\uXXXX` escapes: still valid
 * JSON with exactly the same values, and safe to print. Only valid on `JSON.stringify` output
 * (those characters can occur only inside strings there).
 */
export function escapeJsonControls(json: string): string {
  return json.replace(JSON_RAW, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
