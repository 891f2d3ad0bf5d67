// Measures what 12 exec agents printing 500 lines/s each cost this process (the simulated
// agents are separate processes and not counted). A benchmark, not a test: it runs only with
// FLEET_SESSIONS_BENCH=1 (coalescing and the ring bound are tested in sessions-exec.test.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { simFleet, waitFor, type SimFleet } from './sessions-helpers.js';

const FULL = process.env.FLEET_SESSIONS_BENCH === '1';
const AGENTS = 12;
const RATE = 500;
const SECONDS = Number(process.env.FLEET_SESSIONS_BENCH_SECONDS ?? 10);

let f: SimFleet | null = null;
afterEach(async () => {
  await f?.manager.stopAll();
  f?.manager.dispose();
  await f?.fx.cleanup();
  f = null;
});

describe('exec sessions under load', () => {
  it.skipIf(!FULL)(
    `${AGENTS} agents × ${RATE} lines/s for ${SECONDS}s: in-process CPU and output-to-tail lag`,
    async () => {
      f = await simFleet({
        instances: AGENTS,
        simArgs: ['--rate', String(RATE), '--duration', String((SECONDS + 1) * 1000)],
      });
      const sessions = f.manager.sessions();
      await Promise.all(sessions.map((s) => s.start()));
      await waitFor('all agents printing', () => sessions.every((s) => s.version > 10), 30_000);
      const lags: number[] = [];
      let notifications = 0;
      const offs = sessions.map((s) =>
        s.on('output', () => {
          notifications++;
          const last = s.tail(1)[0] ?? '';
          const t = Number(/t=(\d+)/.exec(last)?.[1]);
          if (t) lags.push(Date.now() - t);
        }),
      );
      const v0 = sessions.reduce((n, s) => n + s.version, 0);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await new Promise((r) => setTimeout(r, SECONDS * 1000));
      const cpu = process.cpuUsage(cpu0);
      const wall = performance.now() - t0;
      const lines = sessions.reduce((n, s) => n + s.version, 0) - v0;
      for (const off of offs) off();
      lags.sort((a, b) => a - b);
      const pct = (p: number) =>
        lags[Math.min(lags.length - 1, Math.floor(lags.length * p))] ?? NaN;
      const cpuPct = ((cpu.user + cpu.system) / 1000 / wall) * 100;
      const report = {
        agents: AGENTS,
        linesPerSecond: Math.round((lines / wall) * 1000),
        cpuPercentOfOneCore: Number(cpuPct.toFixed(1)),
        notificationsPerSecond: Math.round((notifications / wall) * 1000),
        lagMsP50: pct(0.5),
        lagMsP95: pct(0.95),
        heapMB: Math.round(process.memoryUsage().heapUsed / 1e6),
      };
      console.log(`sessions bench: ${JSON.stringify(report)}`);
      expect(lines).toBeGreaterThan(AGENTS * RATE * SECONDS * 0.5);
      // Coalesced: about one notification per session per 40 ms, never one per line.
      expect(report.notificationsPerSecond).toBeLessThan(AGENTS * 30);
    },
  );
});
