// A real fleet (git fixture: bare origin, clone, one worktree per instance) whose agent kinds
// run the REAL claude / codex binaries, driven through fleet-tui's own CLI in a private tmux
// server, inside an agent sandbox, against the mock model server.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { readFleetState } from '../../src/core/state/fleet-state.js';
import { parseEventLine, type HookEvent } from '../../src/core/sessions/status/hook-events.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { agentBin, type AgentKind } from './agents.js';
import type { MockModelServer } from './mock-model-server.js';
import { makeAgentSandbox, type AgentSandbox } from './sandbox.js';
import { TmuxLab } from './tmux-lab.js';

export interface AgentFleet {
  fx: FleetFixture;
  sb: AgentSandbox;
  lab: TmuxLab;
  /** Run the built fleet-tui CLI in the repo, inside the sandbox and the private tmux server. */
  cli(...args: string[]): ReturnType<FleetFixture['cli']>;
  /** tmux target of an instance's window. */
  target(id: string): string;
  worktree(id: string): string;
  events(id: string): HookEvent[];
  savedSessionId(id: string): Promise<string | null>;
  /** `fleet-tui status --json` → the instance's agentState.status. */
  status(id: string): Promise<string | null>;
  /** Poll `status --json` until it reports `want`; returns the last status seen. */
  statusBecomes(id: string, want: string, timeoutMs?: number): Promise<string | null>;
  cleanup(): Promise<void>;
}

/** Codex's rollout files: CODEX_HOME/sessions/YYYY/MM/DD/rollout-<local time>-<thread id>.jsonl. */
export function codexRollouts(codexHome: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = path.join(dir, n);
      if (n.endsWith('.jsonl')) out.push(p);
      else if (!n.includes('.')) walk(p);
    }
  };
  walk(path.join(codexHome, 'sessions'));
  return out;
}

/** Claude's transcript: ~/.claude/projects/<cwd, every non-alphanumeric char → '-'>/<id>.jsonl. */
export function claudeTranscript(home: string, cwd: string, sessionId: string): string {
  return path.join(
    home,
    '.claude',
    'projects',
    cwd.replace(/[^A-Za-z0-9]/g, '-'),
    `${sessionId}.jsonl`,
  );
}

export async function agentFleet(opts: {
  mock: MockModelServer;
  kind: AgentKind;
  instances?: number;
  /** Pre-answer the trust dialog for the worktrees (default true). */
  trusted?: boolean;
  /** Codex: give it the mock provider (default true); false leaves it at its login screen. */
  codexProvider?: boolean;
}): Promise<AgentFleet> {
  const bin = agentBin(opts.kind);
  if (!bin) throw new Error(`${opts.kind} is not installed`);
  const n = opts.instances ?? 1;
  // The built-in templates (src/config/builtins.ts), with the pinned binary's absolute path;
  // Codex without its shared background daemon (it copies itself into CODEX_HOME, 300 MB).
  const agents = {
    claude: {
      command: agentBin('claude') ?? 'claude',
      args: ['--append-system-prompt', '{rolePrompt}'],
      backend: 'tmux',
    },
    codex: {
      command: agentBin('codex') ?? 'codex',
      args: ['--no-daemon', '{rolePrompt}'],
      backend: 'tmux',
    },
  };
  const fx = await makeFleet({
    instances: Array.from({ length: n }, (_, i) => ({ id: `ps${i + 1}`, agent: opts.kind })),
    configExtra: `  agents: ${JSON.stringify(agents)},\n  sessions: { tmuxSession: 'fleet-contract' },\n`,
  });
  const sb = await makeAgentSandbox({ mockUrl: opts.mock.url, codexProvider: opts.codexProvider });
  if (opts.trusted !== false) {
    for (const dir of [fx.repo, ...fx.instances.map((i) => i.worktree)]) {
      await sb.trustClaude(dir);
      await sb.trustCodex(dir);
    }
  }
  const lab = new TmuxLab(sb.env);
  const env = { ...sb.env, FLEET_TUI_TMUX_SOCKET: lab.socket };
  const commonDir = path.join(fx.repo, '.git');
  const wt = (id: string) => {
    const inst = fx.instances.find((i) => i.id === id);
    if (!inst) throw new Error(`no instance ${id}`);
    return inst.worktree;
  };
  const status = async (id: string) => {
    const res = await fx.cli(['status', '--json'], { env });
    const rows = (
      JSON.parse(res.stdout) as {
        instances: Array<{ id: string; agentState: { status: string } | null }>;
      }
    ).instances;
    return rows.find((r) => r.id === id)?.agentState?.status ?? null;
  };
  return {
    fx,
    sb,
    lab,
    cli: (...args) => fx.cli(args, { env }),
    target: (id) => `=fleet-contract:=${id}`,
    worktree: wt,
    events: (id) => {
      let text = '';
      try {
        text = readFileSync(
          path.join(commonDir, 'fleet-tui', 'agents', `${id}.events.jsonl`),
          'utf8',
        );
      } catch {
        return [];
      }
      return text
        .split('\n')
        .map(parseEventLine)
        .filter((e): e is HookEvent => e !== null);
    },
    savedSessionId: async (id) => (await readFleetState(commonDir)).sessions[id] ?? null,
    status,
    // The bound is 5 s after the screen changed; 2 s more for one `status` run under load.
    statusBecomes: async (id, want, timeoutMs = 7_000) => {
      const until = Date.now() + timeoutMs;
      let last: string | null = null;
      do {
        last = await status(id);
        if (last === want) return last;
        await new Promise((r) => setTimeout(r, 250));
      } while (Date.now() < until);
      return last;
    },
    cleanup: async () => {
      await lab.kill();
      await sb.cleanup();
      await fx.cleanup();
    },
  };
}
