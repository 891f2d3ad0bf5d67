import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import { fleetConfigSchema } from '../../../src/config/schema.js';
import type { ResolvedConfig } from '../../../src/config/types.js';
import { encodeProjectDir } from '../../../src/core/insight/claude-transcripts.js';
import { UsageReader, summarizeUsage } from '../../../src/core/insight/usage.js';
import { installTranscripts, type AgentHomes } from '../../helpers/transcripts.js';

const ALL = { fromMs: 0, toMs: Date.parse('2100-01-01') };

function fleet(root: string): ResolvedConfig {
  const parsed = fleetConfigSchema.parse({
    roles: { r: { title: 'R' } },
    instances: [
      { id: 'ps1', role: 'r', agent: 'claude', band: '001000' },
      { id: 'ps2', role: 'r', agent: 'claude', band: '002000' },
      { id: 'codex1', role: 'r', agent: 'codex', band: '003000' },
    ],
  });
  return resolveConfig(parsed, root, null);
}

describe('UsageReader: incremental reads', () => {
  let dir: string;
  let cfg: ResolvedConfig;
  let homes: AgentHomes;
  let cacheFile: string;
  const wt = (id: string) => cfg.instances.find((i) => i.id === id)!.worktreePath;
  const reader = () => new UsageReader(cfg, { env: homes.env, cacheFile });
  const ps1File = () =>
    path.join(
      homes.claudeConfigDir,
      'projects',
      encodeProjectDir(wt('ps1')),
      '6e8a1d2f-3c4b-4d6e-9f0a-1b2c3d4e5f60.jsonl',
    );
  const line = (id: string, input: number) =>
    JSON.stringify({
      type: 'assistant',
      sessionId: '6e8a1d2f-3c4b-4d6e-9f0a-1b2c3d4e5f60',
      timestamp: '2026-12-01T12:00:00.000Z',
      requestId: `req_${id}`,
      message: {
        id: `msg_${id}`,
        model: 'claude-sonnet-4-5-20250929',
        usage: { input_tokens: input, output_tokens: 1 },
      },
    });

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-usage-'));
    cfg = fleet(path.join(dir, 'repo'));
    homes = await installTranscripts(
      path.join(dir, 'agents'),
      Object.fromEntries(cfg.instances.map((i) => [i.id, i.worktreePath])),
    );
    cacheFile = path.join(dir, 'usage-cache.json');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads each byte once; a second read, and a new process with the cache, read nothing', async () => {
    const r = reader();
    const first = summarizeUsage(cfg, await r.read(), ALL).total;
    expect(r.bytesRead).toBeGreaterThan(50_000);
    await r.read();
    expect(r.bytesRead).toBe(0);
    const again = reader();
    const second = summarizeUsage(cfg, await again.read(), ALL).total;
    expect(again.bytesRead).toBe(0);
    expect(second).toEqual(first);
  });

  it('an appended call costs its own bytes only; a half-written line waits for its newline', async () => {
    const r = reader();
    const before = summarizeUsage(cfg, await r.read(), ALL).total.inputTokens;
    const full = `${line('new1', 1000)}\n`;
    await appendFile(ps1File(), full.slice(0, 40));
    let u = await r.read();
    expect(summarizeUsage(cfg, u, ALL).total.inputTokens).toBe(before);
    await appendFile(ps1File(), full.slice(40));
    u = await r.read();
    // The half line is read again whole, from the end of the last complete line.
    expect(r.bytesRead).toBe(Buffer.byteLength(full));
    expect(summarizeUsage(cfg, u, ALL).total.inputTokens).toBe(before + 1000);
    // The next process continues from the cached offset.
    await appendFile(ps1File(), `${line('new2', 7)}\n`);
    const next = reader();
    const n = summarizeUsage(cfg, await next.read(), ALL).total.inputTokens;
    expect(next.bytesRead).toBe(Buffer.byteLength(`${line('new2', 7)}\n`));
    expect(n).toBe(before + 1007);
  });

  it('a transcript rewritten shorter is read again from the start', async () => {
    const r = reader();
    await r.read();
    await writeFile(ps1File(), `${line('only', 5)}\n`);
    const u = summarizeUsage(cfg, await r.read(), ALL).instances[0]!;
    // ps1 keeps its other files; this file now holds only the 5-token call.
    const r2 = new UsageReader(cfg, { env: homes.env, cacheFile: null });
    expect(summarizeUsage(cfg, await r2.read(), ALL).instances[0]).toEqual(u);
  });

  it('a damaged cache file is ignored, not trusted', async () => {
    await reader().read();
    await writeFile(cacheFile, '{"version":1,"files":{"x":');
    const r = reader();
    const t = summarizeUsage(cfg, await r.read(), ALL).total;
    expect(r.bytesRead).toBeGreaterThan(50_000);
    expect(t.inputTokens).toBeGreaterThan(0);
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toHaveProperty('version', 1);
  });
});
