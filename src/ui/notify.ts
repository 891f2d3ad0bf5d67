import type { Alert } from '../core/fleet/types.js';

/** Control characters would end the OSC sequence early; titles are one plain line. */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f;]/g, ' ').slice(0, 200);
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
