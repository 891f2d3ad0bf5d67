// What `status --json` pays for "usageToday": a month of Claude Code transcripts for 12 instances
// (360 files, each last written on its day), read whole vs. today only (files written today).
// Usage: npm run build && node bench/usage-today.js
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monthOfTranscripts } from './usage-fixture.js';
const { UsageReader } = await import('../dist/core/insight/usage.js');
const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-today-bench-'));
const now = new Date();
// Day 29 is today; older files were last written an hour into their day.
const dayStart = (day) =>
  new Date(now.getFullYear(), now.getMonth(), now.getDate() - (29 - day), 0, 30);
const { cfg, claude } = monthOfTranscripts(
  dir,
  (day, k) => new Date(Math.min(dayStart(day).getTime() + k * 1000, now.getTime())),
  (day) => (day < 29 ? new Date(dayStart(day).getTime() + 3600e3) : undefined),
);
const env = { CLAUDE_CONFIG_DIR: claude };
async function time(label, fn) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await fn();
  const c = process.cpuUsage(c0);
  console.log(
    `${label}: ${(performance.now() - t0).toFixed(0)} ms wall, ${((c.user + c.system) / 1000).toFixed(0)} ms CPU, ${r} bytes read`,
  );
}
const cacheAll = path.join(dir, 'all.json'),
  cacheToday = path.join(dir, 'today.json');
await time('full month, cold', async () => {
  const r = new UsageReader(cfg, { env, cacheFile: cacheAll });
  await r.read();
  return r.bytesRead;
});
await time('full month, new process from cache', async () => {
  const r = new UsageReader(cfg, { env, cacheFile: cacheAll });
  await r.read();
  return r.bytesRead;
});
await time('today only, cold', async () => {
  const r = new UsageReader(cfg, { env, cacheFile: cacheToday, todayOnly: true });
  await r.read();
  return r.bytesRead;
});
await time('today only, new process from cache', async () => {
  const r = new UsageReader(cfg, { env, cacheFile: cacheToday, todayOnly: true });
  await r.read();
  return r.bytesRead;
});
rmSync(dir, { recursive: true, force: true });
