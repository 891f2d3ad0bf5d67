// Helpers for the agent-session integration tests: a real fleet whose agents are the simulated
// agent (`fleet-tui sim-agent`), and waiting on predicates instead of sleeping.
import path from 'node:path';
import { vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { SessionManager, type SessionManagerOptions } from '../../src/core/sessions/index.js';
import { makeFleet, type FixtureInstance, type FleetFixture } from '../helpers/git-fixture.js';
import { simAgentKind } from '../helpers/sim-agent.js';

/** vi.waitFor on a truthy value, with a name for what is awaited when it times out. */
export function waitFor<T>(
  what: string,
  fn: () => T | Promise<T>,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  return vi.waitFor(
    async () => {
      const value = await fn();
      if (!value)
        throw new Error(`timed out waiting for ${what} (last value: ${JSON.stringify(value)})`);
      return value;
    },
    { timeout: timeoutMs, interval: 25 },
  );
}

export interface SimFleet {
  fx: FleetFixture;
  config: ResolvedConfig;
  manager: SessionManager;
}

/** A fleet whose `claude`/`codex` kinds run the simulated agent with `simArgs`. */
export async function simFleet(opts: {
  instances?: number | FixtureInstance[];
  simArgs?: string[];
  backend?: 'exec' | 'tmux';
  sessions?: string;
  manager?: SessionManagerOptions;
}): Promise<SimFleet> {
  const sim = (kind: 'claude' | 'codex') =>
    simAgentKind(kind, opts.backend ?? 'exec', opts.simArgs ?? []);
  const extra = `  agents: ${JSON.stringify({ claude: sim('claude'), codex: sim('codex') })},\n${opts.sessions ? `  sessions: ${opts.sessions},\n` : ''}`;
  const fx = await makeFleet({ instances: opts.instances ?? 1, configExtra: extra });
  const config = await loadConfig({ configPath: path.join(fx.repo, 'fleet.config.ts') });
  const manager = new SessionManager(config, { crashBackoffMs: 0, ...opts.manager });
  return { fx, config, manager };
}
