// Isolation for one contract test: the real CLIs write all over $HOME (Claude's self-updater once
// installed a newer Claude system-wide during a test run), so each test gets its own HOME,
// TMPDIR, TMUX_TMPDIR and CODEX_HOME, dummy keys, and both CLIs pointed at the mock model server.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** The dummy key; Claude asks once about a custom key unless its last 20 characters are approved. */
const DUMMY_ANTHROPIC_KEY = 'sk-ant-mock-0123456789abcdefghij';
const CODEX_PROVIDER_KEY_ENV = 'FLEET_MOCK_OPENAI_KEY';

export interface AgentSandbox {
  root: string;
  home: string;
  tmpdir: string;
  tmuxTmpdir: string;
  codexHome: string;
  /** Environment for the agents and for tmux / fleet-tui processes that start them. */
  env: Record<string, string>;
  /** Mark a directory trusted for Claude (no trust dialog there). */
  trustClaude(dir: string): Promise<void>;
  /** Mark a directory trusted for Codex (no "Trust this folder?" dialog there). */
  trustCodex(dir: string): Promise<void>;
  /** Kill what the agents left behind (Codex's app-server daemon), then remove everything. */
  cleanup(): Promise<void>;
}

export interface SandboxOptions {
  /** Base URL of the mock model server (http://127.0.0.1:PORT). */
  mockUrl: string;
  /** Give Codex the mock as its provider (default true); false shows Codex's login screen. */
  codexProvider?: boolean;
  /** Extra lines for the scratch CODEX_HOME/config.toml (a person's own settings). */
  codexConfigExtra?: string;
  /** A person's own Codex `notify` command (top of config.toml). */
  codexNotify?: string[];
}

const toml = (s: string) => JSON.stringify(s);

export async function makeAgentSandbox(opts: SandboxOptions): Promise<AgentSandbox> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'fleet-agents-'));
  const home = path.join(root, 'home');
  const tmpdir = path.join(root, 'tmp');
  const tmuxTmpdir = path.join(root, 'tmux');
  const codexHome = path.join(home, '.codex');
  for (const d of [path.join(home, '.claude'), tmpdir, tmuxTmpdir, codexHome])
    await mkdir(d, { recursive: true });

  // Claude: onboarding done, the dummy key approved, no auto mode (it would run Bash unasked).
  const claudeJson = path.join(home, '.claude.json');
  const claudeState: Record<string, unknown> = {
    hasCompletedOnboarding: true,
    lastOnboardingVersion: '2.1.332',
    customApiKeyResponses: { approved: [DUMMY_ANTHROPIC_KEY.slice(-20)], rejected: [] },
    projects: {},
  };
  const saveClaude = () => writeFile(claudeJson, `${JSON.stringify(claudeState, null, 2)}\n`);
  await saveClaude();
  await writeFile(
    path.join(home, '.claude', 'settings.json'),
    `${JSON.stringify({ permissions: { disableAutoMode: 'disable' } }, null, 2)}\n`,
  );

  // Codex: a provider on the mock speaking the Responses API, keyed by a dummy env var.
  const codexConfig = path.join(codexHome, 'config.toml');
  const codexLines = [
    ...(opts.codexNotify ? [`notify = ${JSON.stringify(opts.codexNotify)}`] : []),
    ...(opts.codexProvider === false
      ? []
      : [
          'model = "mock-model"',
          'model_provider = "fleet-mock"',
          '',
          '[model_providers.fleet-mock]',
          'name = "Fleet mock"',
          `base_url = ${toml(`${opts.mockUrl}/v1`)}`,
          'wire_api = "responses"',
          `env_key = ${toml(CODEX_PROVIDER_KEY_ENV)}`,
          '',
        ]),
  ];
  await writeFile(codexConfig, [...codexLines, opts.codexConfigExtra ?? '', ''].join('\n'));

  const env: Record<string, string> = {
    HOME: home,
    TMPDIR: tmpdir,
    TMUX_TMPDIR: tmuxTmpdir,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_STATE_HOME: path.join(home, '.local', 'state'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    CODEX_HOME: codexHome,
    TERM: 'xterm-256color',
    LANG: 'C.UTF-8',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    ANTHROPIC_BASE_URL: opts.mockUrl,
    ANTHROPIC_API_KEY: DUMMY_ANTHROPIC_KEY,
    [CODEX_PROVIDER_KEY_ENV]: 'mock-openai-key',
    // A person's own OpenAI key must never reach the mock; not nested in the person's tmux.
    OPENAI_API_KEY: '',
    TMUX: '',
  };

  return {
    root,
    home,
    tmpdir,
    tmuxTmpdir,
    codexHome,
    env,
    async trustClaude(dir) {
      (claudeState.projects as Record<string, unknown>)[dir] = { hasTrustDialogAccepted: true };
      await saveClaude();
    },
    async trustCodex(dir) {
      const text = existsSync(codexConfig) ? readFileSync(codexConfig, 'utf8') : '';
      await writeFile(codexConfig, `${text}\n[projects.${toml(dir)}]\ntrust_level = "trusted"\n`);
    },
    async cleanup() {
      await killCodexDaemons(codexHome);
      await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** Codex ≥ 0.17x starts a shared app-server daemon per CODEX_HOME that outlives its TUI
 * (reparented to init); it records its pids in CODEX_HOME/app-server-daemon/*.pid. */
async function killCodexDaemons(codexHome: string): Promise<number[]> {
  const dir = path.join(codexHome, 'app-server-daemon');
  const killed: number[] = [];
  let names: string[] = [];
  try {
    names = (await readdir(dir)).filter((n) => n.endsWith('.pid'));
  } catch {
    return killed;
  }
  for (const n of names) {
    try {
      const text = readFileSync(path.join(dir, n), 'utf8').trim();
      const pid = Number(text.startsWith('{') ? (JSON.parse(text) as { pid?: number }).pid : text);
      // Only a process running from this CODEX_HOME: a stale pid file may name someone else's.
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (Number.isInteger(pid) && pid > 1 && cmd.includes(codexHome)) {
        process.kill(pid, 'SIGTERM');
        killed.push(pid);
      }
    } catch {
      // Already gone, or not a pid file we understand.
    }
  }
  return killed;
}
