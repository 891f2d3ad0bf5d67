// The long figure (opt-in, `--long`): fleet-tui's RSS over 10 minutes of 12 agents at 500
// lines/s. It must stay flat: the ring buffers bound what output can hold on to.
import { rmSync } from 'node:fs';
import type { BenchFleet } from '../fixtures/fleet.js';
import { memory } from '../lib/proc.js';
import type { Results } from '../lib/results.js';
import { go, sleep, terminalFor } from './spec.js';
import { goFile, quitTui, startTui } from './tui.js';

export async function longSuite(
  results: Results,
  fleet: BenchFleet,
  log: (s: string) => void,
  minutes = 10,
): Promise<void> {
  const file = goFile(fleet);
  rmSync(file, { force: true });
  const { probe, pid } = await startTui(fleet, terminalFor(fleet.instances.length));
  const perMinute: number[] = [];
  try {
    const [start] = go(file, { rate: 500, durationS: minutes * 60 });
    for (let minute = 1; minute <= minutes; minute++) {
      await sleep(start + minute * 60_000 - Date.now());
      perMinute.push(memory(pid).rssMb);
      log(`long run: RSS after ${minute} min ${perMinute.at(-1)!.toFixed(1)} MB`);
    }
  } finally {
    await quitTui(probe);
    rmSync(file, { force: true });
  }
  const base = perMinute[1] ?? NaN;
  const last = perMinute.at(-1) ?? NaN;
  const command = `fleet-tui, 12 exec agents × 500 lines/s for ${minutes} min (npm run bench -- --long); one run`;
  results.add({
    section: 2,
    id: 'tui.rss-10min.12.500',
    title: `RSS after ${minutes} min at 500 lines/s (one run)`,
    unit: 'MB',
    runs: [last],
    command,
    note: `RSS each minute: ${perMinute.map((v) => v.toFixed(1)).join(', ')} MB`,
  });
  results.add({
    section: 2,
    id: 'tui.rss-growth.12.500',
    title: `RSS growth, minute 2 → ${minutes} (one run)`,
    unit: 'MB',
    runs: [last - base],
    command,
    target: 'flat (≤ 10% of the minute-2 RSS)',
    check: (v) => v <= base * 0.1,
  });
}
