// Records the real agents' screens into test/fixtures/screens/<kind>-<version>-<state>.txt:
// each CLI runs in real tmux (100×30) against the mock model server, is driven into a state, and
// its settled screen is saved as `capture-pane -p` prints it. The screen-pattern table
// (src/core/sessions/screen/patterns.ts) is unit-tested against these files.
//   npm run agents:record-screens [-- claude|codex]
// Rerun after bumping scripts/agent-versions.json; new files get the new version in their name.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { mergeHooks } from '../../src/core/sessions/status/claude-hooks.js';
import { REPO_ROOT } from '../helpers/git-fixture.js';
import { AGENT_PINS, agentBin, type AgentKind } from './agents.js';
import { startMockModelServer, type MockModelServer } from './mock-model-server.js';
import { makeAgentSandbox, type AgentSandbox } from './sandbox.js';
import { TmuxLab } from './tmux-lab.js';

const OUT = path.join(REPO_ROOT, 'test', 'fixtures', 'screens');

interface Ctx {
  lab: TmuxLab;
  sb: AgentSandbox;
  proj: string;
  save: (state: string) => Promise<string>;
}

async function withAgent(
  kind: AgentKind,
  mock: MockModelServer,
  setup: {
    trusted: boolean;
    provider?: boolean;
    claudeHooks?: boolean;
    /** A project hooks file (<proj>/.codex/hooks.json) Codex has not been told to trust. */
    codexHooks?: boolean;
    args?: string[];
  },
  drive: (c: Ctx) => Promise<void>,
): Promise<void> {
  const bin = agentBin(kind);
  if (!bin) throw new Error(`${kind} is not installed: run node scripts/install-agents.mjs`);
  const sb = await makeAgentSandbox({ mockUrl: mock.url, codexProvider: setup.provider });
  const proj = path.join(sb.root, 'proj');
  await mkdir(proj);
  await execa('git', ['init', '-q', proj]);
  if (setup.trusted) await (kind === 'claude' ? sb.trustClaude(proj) : sb.trustCodex(proj));
  if (setup.claudeHooks) {
    // fleet-tui's own hook entries, as it installs them (the trust dialog then warns about them).
    await mkdir(path.join(proj, '.claude'));
    const settings = mergeHooks({}, path.join(sb.root, 'events.jsonl'));
    await writeFile(path.join(proj, '.claude', 'settings.local.json'), JSON.stringify(settings));
  }
  if (setup.codexHooks) {
    await mkdir(path.join(proj, '.codex'));
    const hook = { hooks: [{ type: 'command', command: 'true' }] };
    const hooks = { hooks: { SessionStart: [hook], Stop: [hook] } };
    await writeFile(path.join(proj, '.codex', 'hooks.json'), JSON.stringify(hooks));
  }
  const lab = new TmuxLab(sb.env);
  const version = AGENT_PINS[kind].version;
  try {
    await lab.start('a', [bin, ...(setup.args ?? [])], { cwd: proj });
    await drive({
      lab,
      sb,
      proj,
      save: async (state) => {
        const screen = await lab.settledScreen('a');
        const file = path.join(OUT, `${kind}-${version}-${state}.txt`);
        writeFileSync(file, screen);
        process.stdout.write(`recorded ${path.relative(REPO_ROOT, file)}\n`);
        return screen;
      },
    });
  } finally {
    await lab.kill();
    await sb.cleanup();
  }
}

const has = (t: string) => (s: string) => s.includes(t);

async function recordClaude(mock: MockModelServer): Promise<void> {
  await withAgent('claude', mock, { trusted: false }, async ({ lab, save }) => {
    await lab.waitForScreen('a', 'trust dialog', has('trust this folder'));
    await save('trust');
  });
  await withAgent('claude', mock, { trusted: false, claudeHooks: true }, async ({ lab, save }) => {
    await lab.waitForScreen('a', 'trust dialog', has('trust this folder'));
    await save('trust-hooks');
  });
  await withAgent('claude', mock, { trusted: true }, async ({ lab, save }) => {
    await lab.waitForScreen('a', 'idle prompt', has('for shortcuts'));
    await save('idle');
    await lab.submit('a', 'think slowly [[slow:15000]]');
    await lab.waitForScreen('a', 'working', has('esc to interrupt'));
    await save('working');
    await lab.keys('a', 'Escape');
    // Interrupted before any answer, Claude puts the prompt back into its input box.
    await lab.waitForScreen('a', 'interrupted', (s) => !s.includes('esc to interrupt'));
    await save('interrupted');
    await lab.keys('a', 'C-u');
    await lab.waitForScreen('a', 'input cleared', (s) => !s.includes('think slowly'));
    await lab.submit('a', 'make a file [[bash:touch made-by-claude.txt]]');
    await lab.waitForScreen('a', 'permission dialog', has('Do you want to proceed?'));
    await save('permission');
    await lab.keys('a', 'Escape');
    await lab.waitForScreen(
      'a',
      'permission dismissed',
      (s) => !s.includes('Do you want to proceed?'),
    );
    await save('permission-esc');
    await lab.submit('a', 'fail please [[error]]');
    await lab.waitForScreen('a', 'API error', has('API Error'));
    await save('api-error');
  });
}

async function recordCodex(mock: MockModelServer): Promise<void> {
  await withAgent(
    'codex',
    mock,
    { trusted: false, provider: false, args: ['--no-daemon'] },
    async ({ lab, save }) => {
      await lab.waitForScreen('a', 'login screen', has('Sign in with ChatGPT'));
      await save('login');
    },
  );
  await withAgent(
    'codex',
    mock,
    { trusted: false, args: ['--no-daemon'] },
    async ({ lab, save }) => {
      await lab.waitForScreen('a', 'trust dialog', has('Trust this folder?'));
      await save('trust');
    },
  );
  await withAgent(
    'codex',
    mock,
    { trusted: true, codexHooks: true, args: ['--no-daemon'] },
    async ({ lab, save }) => {
      await lab.waitForScreen('a', 'hooks review', has('Hooks need review'));
      await save('hooks-review');
    },
  );
  // A first prompt on the command line (as fleet-tui passes the role prompt today): Codex shows
  // "loading" under its logo, with the composer already drawn, until the session is configured.
  await withAgent(
    'codex',
    mock,
    { trusted: true, args: ['--no-daemon', 'hello [[slow:3000]]'] },
    async ({ lab }) => {
      const screen = await lab.waitForScreen(
        'a',
        'loading',
        (s) => /^\s+loading\s*$/m.test(s),
        20_000,
      );
      const file = path.join(OUT, `codex-${AGENT_PINS.codex.version}-loading.txt`);
      writeFileSync(file, screen);
      process.stdout.write(
        `recorded ${path.relative(REPO_ROOT, file)} (first capture: it is brief)\n`,
      );
    },
  );
  // An id with no saved session (a title thread's): "Resuming session…", then exit 1.
  const missing = '01a23296-50f2-79e1-aaf9-7fa6b3e101a4';
  await withAgent(
    'codex',
    mock,
    { trusted: true, args: ['--no-daemon', 'resume', missing] },
    async ({ lab, save }) => {
      await lab.waitForScreen('a', 'resuming', has('Resuming session'));
      await save('resuming');
    },
  );
  await withAgent(
    'codex',
    mock,
    { trusted: true, args: ['--no-daemon'] },
    async ({ lab, save }) => {
      await lab.waitForScreen('a', 'idle prompt', has('for shortcuts'));
      await save('idle');
      await lab.submit('a', 'think slowly [[slow:15000]]');
      await lab.waitForScreen('a', 'working', has('esc to interrupt'));
      await save('working');
      await lab.keys('a', 'Escape');
      await lab.waitForScreen('a', 'interrupted', (s) => !s.includes('esc to interrupt'));
      await save('interrupted');
      await lab.submit('a', 'make a file [[bash:touch made-by-codex.txt]]');
      await lab.waitForScreen('a', 'approval', has('Would you like to run the following command?'));
      await save('approval');
      await lab.keys('a', 'Escape');
      await lab.waitForScreen(
        'a',
        'approval dismissed',
        (s) => !s.includes('Would you like to run'),
      );
      await save('approval-esc');
      await lab.submit('a', 'fail please [[error]]');
      await lab.waitForScreen('a', 'error', has('mock server error'));
      await save('error');
    },
  );
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const only = process.argv[2];
  const mock = await startMockModelServer();
  try {
    if (!only || only === 'claude') await recordClaude(mock);
    if (!only || only === 'codex') await recordCodex(mock);
  } finally {
    await mock.close();
  }
}

await main();
