// Benchmark of `usage` reading: a month of Claude Code transcripts for 12 instances (360 files,
// 108,000 calls, ~146 MB), read cold, refreshed with nothing new, read by a new process from the
// cache, and refreshed after one appended call. Prints wall and CPU time and bytes read.
// Usage: npm run build && node bench/usage.js
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveConfig } from '../dist/config/resolve.js';
import { fleetConfigSchema } from '../dist/config/schema.js';
import { encodeProjectDir } from '../dist/core/insight/claude-transcripts.js';
import { UsageReader, summarizeUsage } from '../dist/core/insight/usage.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-usage-bench-'));
const ids = Array.from({ length: 12 }, (_, i) => `ps${i + 1}`);
const cfg = resolveConfig(
  fleetConfigSchema.parse({
    roles: { r: { title: 'R' } },
    instances: ids.map((id, i) => ({
      id,
      role: 'r',
      agent: 'claude',
      band: String(100000 + i * 1000),
    })),
  }),
  path.join(dir, 'repo'),
  null,
);
const claude = path.join(dir, 'claude');
const pad = 'x'.repeat(400);
let bytes = 0;
for (const inst of cfg.instances) {
  const proj = path.join(claude, 'projects', encodeProjectDir(inst.worktreePath));
  mkdirSync(proj, { recursive: true });
  for (let day = 1; day <= 30; day++) {
    const sid = `${inst.id}-day-${day}`;
    const out = [];
    for (let k = 0; k < 300; k++) {
      out.push(
        JSON.stringify({
          type: 'assistant',
          sessionId: sid,
          requestId: `req_${sid}_${k}`,
          timestamp: new Date(Date.UTC(2026, 10, day, 9, 0, k)).toISOString(),
          message: {
            id: `msg_${sid}_${k}`,
            model: 'claude-sonnet-4-5-20250929',
            content: [{ type: 'text', text: pad }],
            usage: {
              input_tokens: 10,
              output_tokens: 200,
              cache_creation_input_tokens: 500,
              cache_read_input_tokens: 20000,
            },
          },
        }),
        JSON.stringify({ type: 'user', sessionId: sid, message: { role: 'user', content: pad } }),
      );
    }
    const text = `${out.join('\n')}\n`;
    bytes += text.length;
    writeFileSync(path.join(proj, `${sid}.jsonl`), text);
  }
}
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
  path.join(
    claude,
    'projects',
    encodeProjectDir(cfg.instances[0].worktreePath),
    'ps1-day-30.jsonl',
  ),
  `${JSON.stringify({ type: 'assistant', sessionId: 'x', requestId: 'rq', timestamp: '2026-11-30T10:00:00Z', message: { id: 'mm', model: 'claude-sonnet-4-5-20250929', usage: { input_tokens: 1, output_tokens: 1 } } })}\n`,
);
await time('refresh after one appended call', r);
rmSync(dir, { recursive: true, force: true });
