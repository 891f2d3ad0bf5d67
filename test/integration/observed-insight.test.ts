// Observed sessions (issue 17 item 5): a claude run by hand in an instance's worktree fires the
// same hooks without fleet-tui's instance marker. The TUI's insight reading shows it apart, with
// its status from its hooks and its cost from its own transcript; the managed agent is untouched.
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { InsightReader } from '../../src/core/insight/index.js';
import { TranscriptWriter } from '../../src/core/insight/transcript-writer.js';
import { eventFilePath } from '../../src/core/sessions/index.js';
import { HOOK_SCRIPT } from '../../src/core/sessions/launch.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

describe('observed sessions in the insight reading', () => {
  let fx: FleetFixture | undefined;
  let homes: string | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    if (homes) await rm(homes, { recursive: true, force: true });
    fx = homes = undefined;
  });

  it('a hand-run session: its own status and counted cost, never the managed agent’s', async () => {
    fx = await makeFleet({ instances: 2 });
    homes = await mkdtemp(path.join(os.tmpdir(), 'fleet-obs-'));
    const env = {
      CLAUDE_CONFIG_DIR: path.join(homes, 'claude'),
      CODEX_HOME: path.join(homes, 'codex'),
    };
    const config = await loadConfig({ cwd: fx.repo });
    const wt = fx.instances[0]!.worktree;
    const events = eventFilePath(path.join(fx.repo, '.git'), 'ps1');
    const byHand = new TranscriptWriter({ kind: 'claude', cwd: wt, env });
    // The hook as Claude Code runs it: payload on stdin, no FLEET_TUI_INSTANCE in the environment.
    const hook = async (event: string) => {
      const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
      delete childEnv.FLEET_TUI_INSTANCE;
      await execa('node', [HOOK_SCRIPT, '--file', events, '--instance', 'ps1'], {
        input: JSON.stringify({ hook_event_name: event, session_id: byHand.sessionId, cwd: wt }),
        env: childEnv,
        extendEnv: false,
      });
    };
    await hook('SessionStart');
    await hook('UserPromptSubmit');
    byHand.call({ input: 2000, output: 300 });
    const reader = new InsightReader(config, { env, cacheFile: null });
    let got = await reader.read();
    expect(got.observed.ps1).toMatchObject({ sessionId: byHand.sessionId, status: 'working' });
    expect(got.observed.ps1!.costUsdToday).toBeGreaterThan(0);
    expect(got.observed.ps1!.costUsdToday).toBeCloseTo(got.usageToday.ps1!.costUsd, 6);
    expect(got.observed.ps2).toBeNull();
    await hook('Notification');
    got = await reader.read();
    expect(got.observed.ps1!.status).toBe('waiting');
    await hook('SessionEnd');
    got = await reader.read();
    expect(got.observed.ps1!.status).toBe('ended');

    // The managed agent (none runs) is still stopped: observed hooks never set its status.
    const st = await fx.cli(['status', '--json'], { env });
    const row = (
      JSON.parse(st.stdout) as {
        instances: Array<{ id: string; agentState: { status: string } | null }>;
      }
    ).instances[0]!;
    expect(row.agentState?.status ?? 'stopped').toBe('stopped');
  });
});
