// A real fleet whose agents run in real tmux on a private socket, with agent kinds given as
// config source (hostile scripts next to the simulated agent). The server is killed in cleanup.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { loadConfig } from '../../src/config/load.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { SessionManager } from '../../src/core/sessions/index.js';
import { BIN, makeFleet, type FixtureInstance, type FleetFixture } from '../helpers/git-fixture.js';
import { simAgentKind } from '../helpers/sim-agent.js';

export interface TmuxFleet {
  fx: FleetFixture;
  config: ResolvedConfig;
  manager: SessionManager;
  socket: string;
  tmux(...args: string[]): Promise<string>;
  /** Path of one of the scripts written for the agents. */
  script(name: string): string;
  /** The CLI with this fleet's tmux socket. */
  cli(
    args: string[],
    timeoutMs?: number,
  ): Promise<{ stdout: string; stderr: string; exitCode: number | undefined; timedOut: boolean }>;
  cleanup(): Promise<void>;
}

/** The simulated Claude agent, quiet between turns. */
export function simAgent(backend: 'tmux' | 'exec' = 'tmux') {
  return simAgentKind('claude', backend, ['--permission-every', '0']);
}

/** A node script written into the fixture directory, run as an agent kind. */
export function scriptAgent(file: string, args: string[] = [], backend: 'tmux' | 'exec' = 'tmux') {
  return { command: process.execPath, args: [file, ...args], backend };
}

export async function tmuxFleet(opts: {
  instances: FixtureInstance[];
  /** Agent kinds; `script(name)` is the path of one of `scripts`. */
  agents: (script: (name: string) => string) => Record<string, unknown>;
  /** Scripts written to a temp directory first: name → source. */
  scripts?: Record<string, string>;
  /** Extra `sessions` keys as TS source (the tmux session is always `fleet-test`). */
  sessions?: string;
}): Promise<TmuxFleet> {
  const socket = `fleet-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const scriptDir = await mkdtemp(path.join(os.tmpdir(), 'fleet-scripts-'));
  const script = (name: string) => path.join(scriptDir, name);
  for (const [name, src] of Object.entries(opts.scripts ?? {})) await writeFile(script(name), src);
  const extra = `  agents: ${JSON.stringify(opts.agents(script))},\n  sessions: { tmuxSession: 'fleet-test', ${opts.sessions ?? ''} },\n`;
  const fx = await makeFleet({ instances: opts.instances, configExtra: extra });
  const config = await loadConfig({ configPath: path.join(fx.repo, 'fleet.config.ts') });
  const manager = new SessionManager(config, {
    tmuxSocket: socket,
    tmuxSession: 'fleet-test',
    crashBackoffMs: 0,
  });
  const tmux = (...args: string[]) =>
    execa('tmux', ['-L', socket, ...args], { reject: false }).then((r) => String(r.stdout).trim());
  return {
    fx,
    config,
    manager,
    socket,
    script,
    tmux,
    cli: async (args, timeoutMs = 30_000) => {
      const res = await execa(process.execPath, [BIN, ...args], {
        cwd: fx.repo,
        env: { FLEET_TUI_TMUX_SOCKET: socket, TMUX: '' },
        reject: false,
        timeout: timeoutMs,
      });
      return {
        stdout: String(res.stdout),
        stderr: String(res.stderr),
        exitCode: res.exitCode,
        timedOut: res.timedOut,
      };
    },
    cleanup: async () => {
      manager.dispose();
      await execa('tmux', ['-L', socket, 'kill-server'], { reject: false });
      await rm(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${os.userInfo().uid}`, socket), {
        force: true,
      });
      await rm(fx.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      await rm(scriptDir, { recursive: true, force: true });
    },
  };
}
