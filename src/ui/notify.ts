import { sanitize } from '../text/sanitize.js';
import type { Alert } from '../core/fleet/types.js';

/**
 * A control character (C1's ST and BEL too) would end the OSC sequence early and let the rest act
 * on the terminal: shown by the one sanitizer; `;` separates OSC 777's fields.
 */
function clean(text: string): string {
  return sanitize(text.slice(0, 200)).replace(/;/g, ' ');
}

/**
 * Bell plus desktop notification: OSC 9 (iTerm2, Windows Terminal, kitty…) and OSC 777
 * (rxvt, foot, Ghostty…). Terminals that know neither ignore them. Neither moves the cursor, so
 * writing them between Ink frames does not disturb the screen.
 */
export function notificationSequence(a: Alert): string {
  const title = clean(a.title);
  const body = clean(a.body);
  return `\x07\x1b]9;${title}: ${body}\x07\x1b]777;notify;${title};${body}\x07`;
}

export function writeNotification(stream: NodeJS.WritableStream, a: Alert): void {
  stream.write(notificationSequence(a));
}
