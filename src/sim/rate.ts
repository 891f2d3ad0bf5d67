import { setTimeout as sleep } from 'node:timers/promises';
import type { SimOptions } from './options.js';
import type { SimOutput } from './output.js';

/** `--rate N`: N lines a second, each stamped `t=<epoch ms>` so a reader can measure lag. */
export async function rateMode(
  o: Pick<SimOptions, 'instance' | 'durationMs'> & { rate: number },
  out: SimOutput,
): Promise<number> {
  const start = Date.now();
  let sent = 0;
  for (;;) {
    const now = Date.now();
    // The last batch brings the count to rate × duration however late this loop ran (a loaded
    // machine starves it), so a reader can count on exactly that many lines.
    const end = o.durationMs !== null && now - start >= o.durationMs;
    const elapsed = end ? o.durationMs! : now - start;
    const due = Math.floor((elapsed / 1000) * o.rate) - sent;
    for (let i = 0; i < due; i++)
      out.say(`t=${now} seq=${++sent} ${o.instance} lorem ipsum dolor sit amet`);
    if (end || out.closed) return 0;
    await sleep(10);
  }
}
