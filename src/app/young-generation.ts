import { PerformanceObserver } from 'node:perf_hooks';
import { getHeapSpaceStatistics, setFlagsFromString } from 'node:v8';

/** The young generation's size (both semi-spaces) the TUI lets V8 grow it to, in MB. */
const YOUNG_MB = Number(process.env.FLEET_TUI_YOUNG_MB ?? 0);

const newSpaceBytes = () =>
  getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? 0;

/**
 * Keep V8's young generation small in the TUI process. Streaming output makes V8 grow it to 16 MB
 * semi-spaces (≈ 33 MB of RSS on top of the heap), and the peak RSS at 12 × 500 lines/s with it.
 * The semi-space size itself is fixed when the heap is created (`--max-semi-space-size` only
 * works on node's command line, and re-running node with it would cost a second process and its
 * start), but the growth factor is read at each growth, so setting it to 1 from inside the
 * process stops the growth: at once (`mb` 0: 1 MB semi-spaces), or once the young generation has
 * grown to `mb` (seen after each garbage collection; one doubling may reach it). Smaller means
 * more scavenges (CPU), larger more RSS.
 */
export function keepYoungGenerationSmall(mb = YOUNG_MB): void {
  const stop = () => setFlagsFromString('--semi-space-growth-factor=1');
  if (!(mb > 0)) return stop();
  const cap = mb * 1024 * 1024;
  if (newSpaceBytes() >= cap) return stop();
  const gc = new PerformanceObserver(() => {
    if (newSpaceBytes() < cap) return;
    stop();
    gc.disconnect();
  });
  gc.observe({ entryTypes: ['gc'] });
}
