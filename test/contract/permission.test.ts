// Contract: approve / deny from the grid (issue 17) against the REAL claude and codex binaries in
// real tmux: fleet-tui presses the agent kind's own keys only when its screen shows a permission
// dialog, and the agent then runs (or does not run) the command. Never on a trust dialog.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { FleetActions } from '../../src/core/fleet/actions.js';
import { FleetStore } from '../../src/core/fleet/store.js';
import type { FleetServices } from '../../src/core/fleet/types.js';
import type { SessionManager } from '../../src/core/sessions/index.js';
import { screenStatus } from '../../src/core/sessions/screen/patterns.js';
import { contractSkipReason, contractTitle, type AgentKind } from './agents.js';
import { agentFleet, settle, trustHooks, type AgentFleet } from './agent-fleet.js';
import { startMockModelServer, type MockModelServer } from './mock-model-server.js';

const skipClaude = contractSkipReason('claude') !== null;
const skipCodex = contractSkipReason('codex') !== null;
let mock: MockModelServer;
let f: AgentFleet | null = null;

beforeAll(async () => {
  if (!skipClaude || !skipCodex) mock = await startMockModelServer();
});
afterAll(async () => {
  await mock?.close();
});
afterEach(async () => {
  await f?.cleanup();
  f = null;
});

const has = (t: string) => (s: string) => s.includes(t);
const lastLog = (store: FleetStore) => store.getFacts().log.at(-1)?.text ?? '';
const DIALOG = { claude: 'Do you want to proceed?', codex: 'Would you like to run' };

/** The grid's actions on a real session manager: what the y / n keys call. */
async function actionsFor(fl: AgentFleet, m: SessionManager) {
  const config = await loadConfig({ configPath: path.join(fl.fx.repo, 'fleet.config.ts') });
  const store = new FleetStore(config);
  // Only what answering a dialog reads: the config and the live sessions.
  const services = { config, session: (id: string) => m.session(id) } as unknown as FleetServices;
  return { actions: new FleetActions(services, store), store };
}

async function idleFleet(kind: AgentKind, trusted = true) {
  f = await agentFleet({ mock, kind, trusted });
  const fl = f;
  const m = await fl.manager();
  await m.startAll();
  if (kind === 'codex') await trustHooks(fl);
  const { actions, store } = await actionsFor(fl, m);
  return { fl, m, actions, store };
}

async function toDialog(fl: AgentFleet, kind: AgentKind, file: string) {
  await fl.lab.waitForScreen(
    fl.target('ps1'),
    'input box',
    (s) => screenStatus(kind, s) === 'idle',
    40_000,
  );
  await fl.lab.submit(fl.target('ps1'), `make a file [[bash:touch ${file}]]`);
  await fl.lab.waitForScreen(fl.target('ps1'), 'permission dialog', has(DIALOG[kind]), 30_000);
}

for (const kind of ['claude', 'codex'] as const) {
  const skip = kind === 'claude' ? skipClaude : skipCodex;
  describe.skipIf(skip)(contractTitle(kind, `${kind}: approve / deny from the grid`), () => {
    // Claude drops a key it reads too soon after drawing its dialog (as it measures the paint,
    // late on a loaded machine): answerPermission waits for a steady dialog and counts only once
    // the dialog left the screen. No retry here: each attempt must work.
    it('approve presses its own key: the command runs; deny declines: it does not', async () => {
      const { fl, actions, store } = await idleFleet(kind);
      const made = path.join(fl.worktree('ps1'), 'approved.txt');
      await toDialog(fl, kind, 'approved.txt');
      // One press of y, as a person gives it: the dialog must go and the command must run.
      expect(await actions.answerPermission('ps1', 'approve'), lastLog(store)).toBe(true);
      if (!(await settle(() => existsSync(made), 30_000))) {
        const screen = await fl.lab.capture(fl.target('ps1'));
        const reqs = mock.requests.map((r) => `${r.api} ${r.reply} ${r.prompt.slice(0, 60)}`);
        const ev = fl.events('ps1').map((e) => e.event);
        throw new Error(
          `the approved command did not run; screen:\n${screen}\nmodel requests:\n${reqs.join('\n')}\nhook events: ${ev.join(',')}\nlog: ${JSON.stringify(store.getFacts().log.slice(-5))}`,
        );
      }
      await fl.lab.waitForScreen(fl.target('ps1'), 'dialog gone', (s) => !s.includes(DIALOG[kind]));

      const denied = path.join(fl.worktree('ps1'), 'denied.txt');
      await toDialog(fl, kind, 'denied.txt');
      expect(await actions.answerPermission('ps1', 'deny'), lastLog(store)).toBe(true);
      await fl.lab.waitForScreen(fl.target('ps1'), 'dialog gone', (s) => !s.includes(DIALOG[kind]));
      await fl.lab.waitForScreen(
        fl.target('ps1'),
        'back to input',
        (s) => screenStatus(kind, s) === 'idle',
      );
      expect(existsSync(denied)).toBe(false);
    });
  });
}

describe.skipIf(skipClaude)(contractTitle('claude', 'claude: never answers a trust dialog'), () => {
  it('approve on the trust dialog sends nothing and says why', async () => {
    const { fl, m, actions, store } = await idleFleet('claude', false);
    await fl.lab.waitForScreen(fl.target('ps1'), 'trust dialog', has('trust this folder'));
    // fleet-tui's own capture shows it too: the refusal is the screen's word, not a blank read.
    await expect
      .poll(() => m.session('ps1').tail(500).join('\n'), { timeout: 15_000 })
      .toContain('trust this folder');
    expect(await actions.answerPermission('ps1', 'approve')).toBe(false);
    expect(store.getFacts().log.at(-1)?.text).toMatch(/no permission dialog on its screen/);
    // Still the trust dialog a little later: no key reached it.
    await settle(() => false, 1500);
    expect(await fl.lab.capture(fl.target('ps1'))).toContain('trust this folder');
  });
});
