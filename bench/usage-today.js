// What `status --json` pays for "usageToday": a month of Claude Code transcripts for 12 instances
// (360 files, each last written on its day), read whole vs. today only (files written today).
// Usage: npm run build && node bench/usage-today.js
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
const D = new URL('../dist', import.meta.url).pathname;
const { resolveConfig } = await import(`${D}/config/resolve.js`);
const { fleetConfigSchema } = await import(`${D}/config/schema.js`);
const { encodeProjectDir } = await import(`${D}/core/insight/claude-transcripts.js`);
const { UsageReader } = await import(`${D}/core/insight/usage.js`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-today-bench-'));
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
const now = new Date();
for (const inst of cfg.instances) {
  const proj = path.join(claude, 'projects', encodeProjectDir(inst.worktreePath));
  mkdirSync(proj, { recursive: true });
  for (let d = 29; d >= 0; d--) {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - d, 0, 30);
    const sid = `${inst.id}-d${d}`;
    const out = [];
    for (let k = 0; k < 300; k++)
      out.push(
        JSON.stringify({
          type: 'assistant',
          sessionId: sid,
          requestId: `r${sid}${k}`,
          timestamp: new Date(Math.min(day.getTime() + k * 1000, now.getTime())).toISOString(),
          message: {
            id: `m${sid}${k}`,
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
    const f = path.join(proj, `${sid}.jsonl`);
    writeFileSync(f, `${out.join('\n')}\n`);
    if (d > 0) utimesSync(f, new Date(day.getTime() + 3600e3), new Date(day.getTime() + 3600e3));
  }
}
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
