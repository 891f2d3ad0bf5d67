import { setFlagsFromString } from 'node:v8';

/**
 * Keep V8's young generation at its initial size (semi-spaces of 1 MB) in the TUI process.
 * Streaming output makes V8 grow it to 16 MB semi-spaces (≈ 33 MB of RSS on top of the heap),
 * and the peak RSS at 12 × 500 lines/s with it. The semi-space size itself is fixed when the
 * heap is created (`--max-semi-space-size` only works on node's command line, and re-running
 * node with it would cost a second process and its start), but the growth factor is read at each
 * growth, so setting it to 1 from inside the process stops the growth. Measured paired at
 * 12 × 500 lines/s on the loaded 2-core machine: peak RSS 124–135 → 102–116 MB, CPU 11.5 →
 * 11.7 % of a core (means of 4 runs each); at 50 lines/s 118–124 → 95–96 MB, CPU 7.0 → 8.0 %
 * (2 runs each, inside the spread of repeated runs).
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
