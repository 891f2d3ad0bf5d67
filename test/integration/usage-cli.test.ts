import { execa } from 'execa';
import { readFileSync, writeFileSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet, REPO_ROOT, type FleetFixture } from '../helpers/git-fixture.js';
import { installTranscripts, type AgentHomes } from '../helpers/transcripts.js';

const CCUSAGE = path.join(REPO_ROOT, 'node_modules', 'ccusage', 'dist', 'index.js');
const CCUSAGE_CODEX = path.join(REPO_ROOT, 'node_modules', '@ccusage', 'codex', 'dist', 'index.js');
const RANGE = ['--since', '2026-11-01', '--until', '2026-12-31'];
const OTHER_PROJECT = 'rollout-2026-12-01T09-00-00-0199b000-0000-7000-8000-000000000001.jsonl';

interface Row {
  id: string;
  agent: string;
  costUsd: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationTokens: number;
  cacheReadTokens: number;
  sessions: number;
}

describe('fleet-tui usage (transcripts of Claude Code and Codex)', () => {
  let fx: FleetFixture;
  let homes: AgentHomes;
  const env = () => ({ ...homes.env, TZ: 'UTC' });

  beforeAll(async () => {
    fx = await makeFleet({
      instances: [{ id: 'ps1' }, { id: 'ps2' }, { id: 'codex1', agent: 'codex' }, { id: 'ps3' }],
    });
    const wt = Object.fromEntries(fx.instances.map((i) => [i.id, i.worktree]));
    homes = await installTranscripts(path.join(fx.dir, 'agents'), wt);
  });
  afterAll(() => fx.cleanup());

  it('--json has exactly the contract shape, one row per instance in config order', async () => {
    const r = await fx.cli(['usage', '--json', ...RANGE], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as {
      since: string;
      until: string;
      instances: Row[];
      total: Row;
    };
    expect(Object.keys(j)).toEqual(['since', 'until', 'instances', 'total']);
    expect([j.since, j.until]).toEqual(['2026-11-01', '2026-12-31']);
    const fields = [
      'id',
      'agent',
      'costUsd',
      'inputTokens',
      'outputTokens',
      'cacheCreationTokens',
      'cacheReadTokens',
      'sessions',
    ];
    for (const row of [...j.instances, j.total]) expect(Object.keys(row)).toEqual(fields);
    expect(j.instances.map((i) => [i.id, i.agent])).toEqual([
      ['ps1', 'claude'],
      ['ps2', 'claude'],
      ['codex1', 'codex'],
      ['ps3', 'claude'],
    ]);
    // ps3 has no transcript: zeros, not missing.
    expect(j.instances[3]).toMatchObject({ costUsd: 0, inputTokens: 0, sessions: 0 });
  });

  it('Claude figures agree with ccusage 18.0.11 daily --json --offline on the same files', async () => {
    const cc = await execa(process.execPath, [CCUSAGE, 'daily', '--json', '--offline'], {
      env: { ...env(), CLAUDE_CONFIG_DIR: homes.claudeConfigDir },
      reject: false,
    });
    expect(cc.exitCode, cc.stderr).toBe(0);
    const want = (JSON.parse(cc.stdout) as { totals: Record<string, number> }).totals;
    const r = await fx.cli(['usage', '--json', ...RANGE], { env: env() });
    const rows = (JSON.parse(r.stdout) as { instances: Row[] }).instances.filter(
      (i) => i.agent === 'claude',
    );
    const sum = (k: keyof Row) => rows.reduce((s, i) => s + (i[k] as number), 0);
    expect(want.inputTokens).toBeGreaterThan(0);
    expect(sum('inputTokens')).toBe(want.inputTokens);
    expect(sum('outputTokens')).toBe(want.outputTokens);
    expect(sum('cacheCreationTokens')).toBe(want.cacheCreationTokens);
    expect(sum('cacheReadTokens')).toBe(want.cacheReadTokens);
    expect(Math.abs(sum('costUsd') - want.totalCost!)).toBeLessThanOrEqual(want.totalCost! * 0.01);
  });

  it('Codex: calls matched to the worktree by recorded cwd (subdirectories too), cached input apart', async () => {
    const r = await fx.cli(['usage', '--json', ...RANGE], { env: env() });
    const codex1 = (JSON.parse(r.stdout) as { instances: Row[] }).instances[2]!;
    // Worked by hand from the fixtures: recorded turn (9000 in / 6400 cached / 420 out), the added
    // turn (12000 / 8960 / 610), the old log's two running-total deltas (7000/3000/300 and
    // 9000/6000/500). The other project's session (99999 input) is not counted.
    expect(codex1).toMatchObject({
      inputTokens: 2600 + 3040 + 4000 + 3000,
      cacheReadTokens: 6400 + 8960 + 3000 + 6000,
      outputTokens: 420 + 610 + 300 + 500,
      cacheCreationTokens: 0,
      sessions: 2,
    });
    const prices = JSON.parse(
      readFileSync(path.join(REPO_ROOT, 'prices', 'litellm-2026-05-17.json'), 'utf8'),
    ) as Record<string, Record<string, number>>;
    const cost = (m: string, inp: number, cached: number, out: number) =>
      inp * prices[m]!.input_cost_per_token! +
      cached * prices[m]!.cache_read_input_token_cost! +
      out * prices[m]!.output_cost_per_token!;
    const want =
      cost('gpt-5.1-codex', 2600 + 3040, 6400 + 8960, 420 + 610) +
      cost('gpt-5-codex', 4000 + 3000, 3000 + 6000, 300 + 500);
    expect(codex1.costUsd).toBeCloseTo(want, 6);
  });

  it('Codex figures agree with @ccusage/codex 18.0.11 daily --json --offline on the fleet’s logs', async () => {
    // @ccusage/codex counts every session; give it only the fleet's (a copy without the other
    // project's log) — fleet-tui must count the same with or without that log.
    const only = path.join(fx.dir, 'codex-fleet-only');
    await cp(homes.codexHome, only, { recursive: true });
    await rm(path.join(only, 'sessions', '2026', '12', '01', OTHER_PROJECT));
    const cc = await execa(process.execPath, [CCUSAGE_CODEX, 'daily', '--json', '--offline'], {
      env: { ...env(), CODEX_HOME: only },
      reject: false,
    });
    expect(cc.exitCode, cc.stderr).toBe(0);
    const want = (JSON.parse(cc.stdout) as { totals: Record<string, number> }).totals;
    const r = await fx.cli(['usage', '--json', ...RANGE], { env: env() });
    const codex1 = (JSON.parse(r.stdout) as { instances: Row[] }).instances[2]!;
    expect(want.inputTokens).toBeGreaterThan(0);
    // ccusage's input includes the cached part; fleet-tui's inputTokens is the uncached rest.
    expect(codex1.inputTokens + codex1.cacheReadTokens).toBe(want.inputTokens);
    expect(codex1.cacheReadTokens).toBe(want.cachedInputTokens);
    expect(codex1.outputTokens).toBe(want.outputTokens);
    expect(Math.abs(codex1.costUsd - want.costUSD!)).toBeLessThanOrEqual(want.costUSD! * 0.01);
  });

  it('--since/--until select days; a day outside holds nothing', async () => {
    const nov = await fx.cli(
      ['usage', '--json', '--since', '2026-11-30', '--until', '2026-11-30'],
      {
        env: env(),
      },
    );
    const dec = await fx.cli(
      ['usage', '--json', '--since', '2026-12-01', '--until', '2026-12-01'],
      {
        env: env(),
      },
    );
    const all = await fx.cli(['usage', '--json', ...RANGE], { env: env() });
    const t = (s: string) => (JSON.parse(s) as { total: Row }).total;
    expect(t(nov.stdout).inputTokens).toBeGreaterThan(0);
    expect(t(dec.stdout).inputTokens).toBeGreaterThan(0);
    expect(t(nov.stdout).inputTokens + t(dec.stdout).inputTokens).toBe(t(all.stdout).inputTokens);
    const oct = await fx.cli(
      ['usage', '--json', '--since', '2026-10-01', '--until', '2026-10-31'],
      {
        env: env(),
      },
    );
    expect(t(oct.stdout)).toMatchObject({ costUsd: 0, inputTokens: 0, sessions: 0 });
  });

  it('bad dates and a bad price file: exit 2, one line', async () => {
    for (const args of [
      ['--since', '2026-13-01'],
      ['--until', '2026-02-30'],
      ['--since', 'yesterday'],
      ['--since', '2026-12-05', '--until', '2026-12-01'],
      ['--prices', path.join(fx.dir, 'missing.json')],
    ]) {
      const r = await fx.cli(['usage', ...args], { env: env() });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^fleet-tui: (--since|--until|--prices) /);
    }
  });

  it('--prices FILE replaces the snapshot (LiteLLM format); models it lacks count 0 with a warning', async () => {
    const file = path.join(fx.dir, 'prices.json');
    // Only Codex's model, at one dollar per token of each kind.
    writeFileSync(
      file,
      JSON.stringify({
        sample_spec: { input_cost_per_token: 'not a number' },
        'gpt-5.1-codex': {
          input_cost_per_token: 1,
          output_cost_per_token: 1,
          cache_read_input_token_cost: 1,
        },
      }),
    );
    const r = await fx.cli(
      ['usage', '--json', '--since', '2026-12-01', '--until', '2026-12-01', '--prices', file],
      {
        env: env(),
      },
    );
    expect(r.exitCode).toBe(0);
    const rows = (JSON.parse(r.stdout) as { instances: Row[] }).instances;
    // 2026-12-01 holds the recorded Codex session only (gpt-5.1-codex): every token costs 1.
    expect(rows[2]!.costUsd).toBe(2600 + 3040 + 6400 + 8960 + 420 + 610);
    expect(rows[0]!.costUsd).toBe(0);
    const text = await fx.cli(
      ['usage', '--since', '2026-12-01', '--until', '2026-12-01', '--prices', file],
      {
        env: env(),
      },
    );
    expect(text.stderr).toMatch(/^fleet-tui: warning: no price for "claude-/);
  });

  it('text output: a table with every instance and the total', async () => {
    const r = await fx.cli(['usage', ...RANGE], { env: env() });
    expect(r.exitCode).toBe(0);
    for (const id of ['ps1', 'ps2', 'codex1', 'ps3', 'total'])
      expect(r.stdout).toMatch(new RegExp(`^${id}\\s`, 'm'));
    expect(r.stdout).toMatch(/5-hour window/);
  });
});
