// The simulated agents' transcripts (issue 17 item 6) are the real formats: ccusage 18.0.11 and
// @ccusage/codex 18.0.11 read what TranscriptWriter writes to the same totals as fleet-tui's
// readers, and nothing is written outside the sandbox's CLAUDE_CONFIG_DIR / CODEX_HOME.
import { execa } from 'execa';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/resolve.js';
import { fleetConfigSchema } from '../../src/config/schema.js';
import { UsageReader, summarizeUsage } from '../../src/core/insight/usage.js';
import { TranscriptWriter } from '../../src/core/insight/transcript-writer.js';
import { REPO_ROOT } from '../helpers/git-fixture.js';

const CCUSAGE = path.join(REPO_ROOT, 'node_modules', 'ccusage', 'dist', 'index.js');
const CCUSAGE_CODEX = path.join(REPO_ROOT, 'node_modules', '@ccusage', 'codex', 'dist', 'index.js');

describe('TranscriptWriter: the formats ccusage reads', () => {
  let dir: string;
  let env: Record<string, string>;
  let usage: ReturnType<typeof summarizeUsage>;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-writer-'));
    env = { CLAUDE_CONFIG_DIR: path.join(dir, 'claude'), CODEX_HOME: path.join(dir, 'codex') };
    const config = resolveConfig(
      fleetConfigSchema.parse({
        roles: { r: { title: 'R' } },
        instances: [
          { id: 'ps1', role: 'r', agent: 'claude', band: '001000' },
          { id: 'cx', role: 'r', agent: 'codex', band: '002000' },
        ],
      }),
      path.join(dir, 'repo'),
      null,
    );
    const wt = (id: string) => config.instances.find((i) => i.id === id)!.worktreePath;
    const claude = new TranscriptWriter({ kind: 'claude', cwd: wt('ps1'), env });
    const codex = new TranscriptWriter({ kind: 'codex', cwd: wt('cx'), env });
    for (let k = 1; k <= 5; k++) {
      claude.call({ input: 100 * k, output: 40 * k, cacheCreation: 1000 * k, cacheRead: 5000 * k });
      codex.call({ input: 300 * k, output: 70 * k, cacheRead: 2000 * k });
    }
    usage = summarizeUsage(config, await new UsageReader(config, { env, cacheFile: null }).read(), {
      fromMs: 0,
      toMs: Date.parse('2100-01-01'),
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('writes only under the sandbox directories it was given', async () => {
    expect((await readdir(dir)).sort()).toEqual(['claude', 'codex']);
  });

  it('Claude Code lines: fleet-tui and ccusage daily --json --offline agree', async () => {
    const ps1 = usage.instances[0]!;
    expect(ps1).toMatchObject({
      inputTokens: 1500,
      outputTokens: 600,
      cacheCreationTokens: 15000,
      cacheReadTokens: 75000,
      sessions: 1,
    });
    const cc = await execa(process.execPath, [CCUSAGE, 'daily', '--json', '--offline'], {
      env: { ...process.env, ...env },
      reject: false,
    });
    expect(cc.exitCode, cc.stderr).toBe(0);
    const want = (JSON.parse(cc.stdout) as { totals: Record<string, number> }).totals;
    expect([
      want.inputTokens,
      want.outputTokens,
      want.cacheCreationTokens,
      want.cacheReadTokens,
    ]).toEqual([1500, 600, 15000, 75000]);
    expect(Math.abs(ps1.costUsd - want.totalCost!)).toBeLessThanOrEqual(want.totalCost! * 0.01);
    expect(ps1.costUsd).toBeGreaterThan(0);
  });

  it('Codex rollout: fleet-tui and @ccusage/codex daily --json --offline agree', async () => {
    const cx = usage.instances[1]!;
    expect(cx).toMatchObject({
      inputTokens: 4500,
      outputTokens: 1050,
      cacheReadTokens: 30000,
      sessions: 1,
    });
    const cc = await execa(process.execPath, [CCUSAGE_CODEX, 'daily', '--json', '--offline'], {
      env: { ...process.env, ...env },
      reject: false,
    });
    expect(cc.exitCode, cc.stderr).toBe(0);
    const want = (JSON.parse(cc.stdout) as { totals: Record<string, number> }).totals;
    expect(want.inputTokens).toBe(4500 + 30000);
    expect(want.cachedInputTokens).toBe(30000);
    expect(want.outputTokens).toBe(1050);
    expect(Math.abs(cx.costUsd - want.costUSD!)).toBeLessThanOrEqual(want.costUSD! * 0.01);
    expect(cx.costUsd).toBeGreaterThan(0);
  });
});
