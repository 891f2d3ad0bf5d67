// status --json rows gain "scope" (files outside the role) and "usageToday" (issue 17), read from
// real git and from transcripts in the agents' own formats.
import { mkdtemp, rm, utimes } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { TranscriptWriter } from '../../src/core/insight/transcript-writer.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

interface Row {
  id: string;
  scope: { outside: string[] };
  usageToday: { costUsd: number; inputTokens: number; outputTokens: number };
}

describe('status --json: scope and usageToday', () => {
  let fx: FleetFixture | undefined;
  let homes: string | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    if (homes) await rm(homes, { recursive: true, force: true });
    fx = homes = undefined;
  });

  it('lists files outside the role and counts only today’s calls; zeros and [] for an idle instance', async () => {
    fx = await makeFleet({
      instances: [{ id: 'ps1' }, { id: 'ps2' }, { id: 'cx', agent: 'codex' }],
      configExtra: "  sharedPaths: ['docs/**'],",
    });
    const [ps1, , cx] = fx.instances;
    await fx.commit(
      ps1!.worktree,
      { 'role-ps1/ok.ts': '1\n', 'web/stray.ts': '2\n', 'docs/shared.md': '3\n' },
      'work',
    );
    await fx.write(ps1!.worktree, { 'api/untracked one.ts': 'u\n', 'api/two.ts': 'u\n' });
    homes = await mkdtemp(path.join(os.tmpdir(), 'fleet-homes-'));
    const env = {
      CLAUDE_CONFIG_DIR: path.join(homes, 'claude'),
      CODEX_HOME: path.join(homes, 'codex'),
    };
    const yesterday = new Date(Date.now() - 86_400_000 - 60_000);
    // Yesterday's session, in a file last written yesterday: not read at all.
    const old = new TranscriptWriter({
      kind: 'claude',
      cwd: ps1!.worktree,
      env,
      now: () => yesterday,
    });
    old.call({ input: 500_000, output: 500_000 });
    await utimes(old.file, yesterday, yesterday);
    // A session that began yesterday and went on today: only today's call counts.
    let clock = yesterday;
    const spans = new TranscriptWriter({
      kind: 'claude',
      cwd: ps1!.worktree,
      env,
      now: () => clock,
    });
    spans.call({ input: 700_000, output: 1 });
    clock = new Date();
    spans.call({ input: 1000, output: 200, cacheRead: 5000 });
    new TranscriptWriter({ kind: 'codex', cwd: cx!.worktree, env }).call({
      input: 3000,
      output: 400,
      cacheRead: 1000,
    });

    const res = await fx.cli(['status', '--json'], { env });
    expect(res.exitCode, res.stderr).toBe(0);
    const rows = (JSON.parse(res.stdout) as { instances: Row[] }).instances;
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    expect(by.ps1!.scope).toEqual({
      outside: ['api/two.ts', 'api/untracked one.ts', 'web/stray.ts'],
    });
    expect(by.ps2!.scope).toEqual({ outside: [] });
    expect(by.ps1!.usageToday.inputTokens).toBe(1000);
    expect(by.ps1!.usageToday.outputTokens).toBe(200);
    // Sonnet 4.5: $3/M input, $15/M output, $0.30/M cache read.
    expect(by.ps1!.usageToday.costUsd).toBeCloseTo(0.003 + 0.003 + 0.0015, 6);
    expect(by.ps2!.usageToday).toEqual({ costUsd: 0, inputTokens: 0, outputTokens: 0 });
    expect(by.cx!.usageToday.inputTokens).toBe(3000);
    expect(by.cx!.usageToday.outputTokens).toBe(400);
    expect(by.cx!.usageToday.costUsd).toBeGreaterThan(0);

    // The same figures as `usage` for today (one reading of the transcripts, two commands).
    const today = new Date();
    const day = `${today.getFullYear()}-${String(today.getMonth() + 1).padStart(2, '0')}-${String(today.getDate()).padStart(2, '0')}`;
    const usage = await fx.cli(['usage', '--json', '--since', day, '--until', day], { env });
    const u = JSON.parse(usage.stdout) as { instances: Array<{ id: string; costUsd: number }> };
    for (const r of u.instances) expect(by[r.id]!.usageToday.costUsd).toBeCloseTo(r.costUsd, 6);

    // The text view names them too.
    const text = await fx.cli(['status'], { env });
    expect(text.stdout).toMatch(/ps1 .*\$0\.01 today 3 outside role/);
  });
});
