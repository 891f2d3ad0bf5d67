// The demo's simulated agents write transcripts in the real formats into the sandbox's own
// CLAUDE_CONFIG_DIR / CODEX_HOME (issue 17), so `usage` shows figures there — and nothing lands
// in the person's ~/.claude or ~/.codex.
import { execa } from 'execa';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { BIN } from '../helpers/git-fixture.js';

describe('demo: simulated agents write real-format transcripts into the sandbox', () => {
  let dir: string | undefined;
  afterAll(() => (dir ? rm(dir, { recursive: true, force: true }) : undefined));

  it('one turn of a claude and a codex sim agent shows in `usage`; the person’s home is untouched', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-demo-tx-'));
    const home = path.join(dir, 'home');
    const sandbox = path.join(dir, 'sandbox');
    // A home of our own: whatever a sim agent wrote "to the person" would show up here.
    const env = { HOME: home, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '' };
    const built = await execa(process.execPath, [BIN, 'demo', '--no-tui', '--dir', sandbox], {
      env,
      reject: false,
    });
    expect(built.exitCode, built.stderr).toBe(0);
    const hint =
      /its agents' cost: cd .* && (CLAUDE_CONFIG_DIR=\S+) (CODEX_HOME=\S+) fleet-tui usage/.exec(
        built.stdout,
      );
    expect(hint, built.stdout).not.toBeNull();
    const config = await loadConfig({ cwd: path.join(sandbox, 'repo') });
    const claude = config.instances.find((i) => i.agent === 'claude')!;
    const codex = config.instances.find((i) => i.agent === 'codex')!;
    for (const inst of [claude, codex]) {
      // Launched as the sandbox config says (its command, args and env), for one quick turn.
      const spec = config.agents[inst.agent]!;
      const args = spec.args.map((a) => a.replace('{instance}', inst.id));
      const run = await execa(
        spec.command,
        [
          ...args,
          '--exit-after',
          '1',
          '--pace',
          '0',
          '--permission-every',
          '0',
          '--migrate-every',
          '0',
        ],
        { cwd: inst.worktreePath, env: { ...env, ...spec.env }, reject: false },
      );
      expect(run.exitCode, run.stderr).toBe(0);
    }
    expect(existsSync(path.join(home, '.claude'))).toBe(false);
    expect(existsSync(path.join(home, '.codex'))).toBe(false);
    const homes = Object.fromEntries(
      [hint![1]!, hint![2]!].map((kv) => kv.split('=') as [string, string]),
    );
    expect(homes.CLAUDE_CONFIG_DIR!.startsWith(sandbox)).toBe(true);
    expect(homes.CODEX_HOME!.startsWith(sandbox)).toBe(true);
    const usage = await execa(process.execPath, [BIN, 'usage', '--json'], {
      cwd: path.join(sandbox, 'repo'),
      env: { ...env, ...homes },
      reject: false,
    });
    expect(usage.exitCode, usage.stderr).toBe(0);
    const rows = (
      JSON.parse(usage.stdout) as {
        instances: Array<{ id: string; costUsd: number; inputTokens: number; sessions: number }>;
      }
    ).instances;
    const by = Object.fromEntries(rows.map((r) => [r.id, r]));
    for (const inst of [claude, codex]) {
      expect(by[inst.id]!.costUsd, inst.id).toBeGreaterThan(0);
      expect(by[inst.id]!.inputTokens).toBe(1810);
      expect(by[inst.id]!.sessions).toBe(1);
    }
    // The others did not run.
    expect(
      rows
        .filter((r) => r.costUsd > 0)
        .map((r) => r.id)
        .sort(),
    ).toEqual([claude.id, codex.id].sort());
    // Without the sandbox's directories, `usage` reads the (empty) home: zeros, never a failure.
    const bare = await execa(process.execPath, [BIN, 'usage', '--json'], {
      cwd: path.join(sandbox, 'repo'),
      env,
      reject: false,
    });
    expect((JSON.parse(bare.stdout) as { total: { costUsd: number } }).total.costUsd).toBe(0);
  }, 120_000);
});
