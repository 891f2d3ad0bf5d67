// Benchmark of `usage` reading: a month of Claude Code transcripts for 12 instances (360 files,
// 108,000 calls, ~146 MB), read cold, refreshed with nothing new, read by a new process from the
// cache, and refreshed after one appended call. Prints wall and CPU time and bytes read.
// Usage: npm run build && node bench/usage.js
import { appendFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageReader, summarizeUsage } from '../dist/core/insight/usage.js';
import { monthOfTranscripts } from './usage-fixture.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-usage-bench-'));
const { cfg, claude, bytes, files } = monthOfTranscripts(
  dir,
  (day, k) => new Date(Date.UTC(2026, 10, day + 1, 9, 0, k)),
);
const env = { CLAUDE_CONFIG_DIR: claude, CODEX_HOME: path.join(dir, 'codex') };
const cacheFile = path.join(dir, 'usage-cache.json');
const ALL = { fromMs: 0, toMs: Date.parse('2100-01-01') };
const time = async (label, reader) => {
  const t = performance.now();
  const c = process.cpuUsage();
  summarizeUsage(cfg, await reader.read(), ALL);
  const d = process.cpuUsage(c);
  const ms = (n) => `${Math.round(n)} ms`;
  console.log(
    `${label.padEnd(36)} wall ${ms(performance.now() - t)}, cpu ${ms((d.user + d.system) / 1000)}, read ${reader.bytesRead} bytes`,
  );
};
console.log(`360 files, 108000 calls, ${(bytes / 1e6).toFixed(0)} MB`);
const r = new UsageReader(cfg, { env, cacheFile });
await time('cold', r);
console.log(`cache file ${(statSync(cacheFile).size / 1e6).toFixed(1)} MB`);
await time('refresh, nothing new', r);
await time('new process, from the cache', new UsageReader(cfg, { env, cacheFile }));
appendFileSync(
  files.get('ps1-day-30'),
  `${JSON.stringify({ type: 'assistant', sessionId: 'x', requestId: 'rq', timestamp: '2026-11-30T10:00:00Z', message: { id: 'mm', model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 1, output_tokens: 1 } } })}\n`,
);
await time('refresh after one appended call', r);
rmSync(dir, { recursive: true, force: true });
