import { setFlagsFromString } from 'node:v8';

/**
 * Keep V8's young generation at its initial size (semi-spaces of 1 MB) in the TUI process.
 * Streaming output makes V8 grow it to 16 MB semi-spaces (≈ 33 MB of RSS on top of the heap),
 * and the peak RSS at 12 × 500 lines/s with it. The semi-space size itself is fixed when the
 * heap is created (`--max-semi-space-size` only works on node's command line, and re-running
 * node with it would cost a second process and its start), but the growth factor is read at each
 * growth, so setting it to 1 from inside the process stops the growth. The cost is more
 * scavenges. Measured paired on the shared 2-core machine (load average 4–17): peak RSS at
 * 12 × 500 lines/s 124–143 → 99–116 MB, CPU the same (11.5 → 11.7 % of a core, means of 4 pairs;
 * 15.1 → 14.6 % at load 4); at 50 lines/s 118–124 → 95–99 MB, CPU 7.0 → 8.0 % (2 pairs) and
 * 9.1 → 9.7 % (at load 4): a little more.
 */
export function keepYoungGenerationSmall(): void {
  setFlagsFromString('--semi-space-growth-factor=1');
}
