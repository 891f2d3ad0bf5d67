import { ROTATE_BYTES, TAIL_BYTES } from '../sessions/status/event-file.js';

export { positionAfterRotation } from '../sessions/status/event-file.js';

/**
 * Rotation of an agent's event file on a host, with the limits of a local one (event-file.ts):
 * past 1 MiB it keeps only its last 64 KB of whole lines. Done on the host, in the round trip
 * that reads the file before a start (the agent is not running then, so no hook appends
 * meanwhile). The new file starts with a marker line saying which bytes of the old one it kept:
 *
 *   {"event":"fleet:rotated","t":"…","keptFrom":K,"size":N}
 *
 * so a watcher that was following the old file (this process or another fleet-tui) maps its
 * position into the new one and goes on without losing or repeating a line.
 */

/** Shell text (POSIX sh, after `f` is set to the file): rotate `$f` when `$2` is 1 and it is big. */
export const ROTATE_SH = [
  's=$(wc -c < "$f"); s=$((s))',
  `if [ "$2" = 1 ] && [ "$s" -ge ${ROTATE_BYTES} ]; then`,
  // The kept part starts after the first newline in the last 64 KB (as locally).
  `  k=$((s-${TAIL_BYTES})); l=$(tail -c +$((k+1)) "$f" | head -n 1 | wc -c); k=$((k+l))`,
  '  t="$f.rot.$$"',
  '  { printf \'{"event":"fleet:rotated","t":"%s","keptFrom":%s,"size":%s}\\n\' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$k" "$s"',
  '    tail -c +$((k+1)) "$f" | head -c $((s-k)); } > "$t" && mv -f -- "$t" "$f" || { rm -f -- "$t"; exit 3; }',
  'fi',
].join('\n');
