// A real fleet (git fixture: bare origin, clone, one worktree per instance) whose agent kinds
// run the REAL claude / codex binaries, driven through fleet-tui's own CLI in a private tmux
// server, inside an agent sandbox, against the mock model server.
import { readFileSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import { SessionManager } from '../../src/core/sessions/index.js';
import { readFleetState } from '../../src/core/state/fleet-state.js';
import { parseEventLine, type HookEvent } from '../../src/core/sessions/status/hook-events.js';
import { pickResumeId } from '../../src/core/sessions/status/conversation.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { agentBin, type AgentKind } from './agents.js';
import type { MockModelServer } from './mock-model-server.js';
import { makeAgentSandbox, type AgentSandbox } from './sandbox.js';
import { TmuxLab } from './tmux-lab.js';
import { screenStatus } from '../../src/core/sessions/screen/patterns.js';

/** Poll `fn` until it returns something truthy or `timeoutMs` passes; never throws (for waits
 * whose outcome differs before and after a fix). */
export async function settle<T>(fn: () => T | Promise<T>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await fn();
  while (!last && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 100));
    last = await fn();
  }
  return last;
}

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
  /** The session a restart would resume (fleet state, else the event file). */
  savedOrEventSession(id: string): Promise<string | null>;
  /** `fleet-tui status --json` → the instance's agentState.status. */
  status(id: string): Promise<string | null>;
  /** Poll `status --json` until it reports `want`; returns the last status seen. */
  statusBecomes(id: string, want: string, timeoutMs?: number): Promise<string | null>;
  /** The same for several instances at once: returns the last statuses seen. */
  statusesBecome(
    want: Record<string, string>,
    timeoutMs?: number,
  ): Promise<Record<string, string | null>>;
  /** fleet-tui's own session manager in this process, as the TUI runs it (the `x` key). */
  manager(): Promise<SessionManager>;
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

/** Claude Code 2.1.332's project directory name for a cwd (read from its bundle): every
 * non-alphanumeric character becomes '-'; past 200 characters the name is cut to 200 and gets
 * '-' + base-36 of |Java-style 32-bit string hash of the cwd|. */
function claudeProjectDirName(cwd: string): string {
  const name = cwd.replace(/[^A-Za-z0-9]/g, '-');
  if (name.length <= 200) return name;
  let h = 0;
  for (let i = 0; i < cwd.length; i++) h = ((h << 5) - h + cwd.charCodeAt(i)) | 0;
  return `${name.slice(0, 200)}-${Math.abs(h).toString(36)}`;
}

/** Claude's transcript: <config dir, ~/.claude>/projects/<project dir name>/<session id>.jsonl. */
export function claudeTranscript(home: string, cwd: string, sessionId: string): string {
  return path.join(home, '.claude', 'projects', claudeProjectDirName(cwd), `${sessionId}.jsonl`);
}

export async function agentFleet(opts: {
  mock: MockModelServer;
  kind: AgentKind;
  instances?: number;
  /** Pre-answer the trust dialog for the worktrees (default true), or for these instances. */
  trusted?: boolean | string[];
  /** Codex: give it the mock provider (default true); false leaves it at its login screen. */
  codexProvider?: boolean;
  /** Codex: the person's own `notify` in their config.toml. */
  codexNotify?: string[];
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
      args: ['--no-daemon'],
      backend: 'tmux',
    },
  };
  const fx = await makeFleet({
    instances: Array.from({ length: n }, (_, i) => ({ id: `ps${i + 1}`, agent: opts.kind })),
    configExtra: `  agents: ${JSON.stringify(agents)},\n  sessions: { tmuxSession: 'fleet-contract' },\n`,
  });
  const sb = await makeAgentSandbox({
    mockUrl: opts.mock.url,
    codexProvider: opts.codexProvider,
    codexNotify: opts.codexNotify,
  });
  const trusted = fx.instances.filter((i) =>
    Array.isArray(opts.trusted) ? opts.trusted.includes(i.id) : opts.trusted !== false,
  );
  // Claude trusts a directory below a trusted one: only the chosen worktrees, never the repo.
  for (const i of trusted) await sb.trustClaude(i.worktree);
  for (const dir of [fx.repo, ...trusted.map((i) => i.worktree)]) await sb.trustCodex(dir);
  const lab = new TmuxLab(sb.env);
  const env = { ...sb.env, FLEET_TUI_TMUX_SOCKET: lab.socket };
  const commonDir = path.join(fx.repo, '.git');
  const wt = (id: string) => {
    const inst = fx.instances.find((i) => i.id === id);
    if (!inst) throw new Error(`no instance ${id}`);
    return inst.worktree;
  };
  const statuses = async () => {
    const res = await fx.cli(['status', '--json'], { env });
    const rows = (
      JSON.parse(res.stdout) as {
        instances: Array<{ id: string; agentState: { status: string } | null }>;
      }
    ).instances;
    return Object.fromEntries(rows.map((r) => [r.id, r.agentState?.status ?? null]));
  };
  const statusesBecome = async (want: Record<string, string>, timeoutMs = 7_000) => {
    // The bound is 5 s after the screen changed; 2 s more for one `status` run under load.
    const until = Date.now() + timeoutMs;
    let last: Record<string, string | null> = {};
    do {
      const all = await statuses();
      last = Object.fromEntries(Object.keys(want).map((id) => [id, all[id] ?? null]));
      if (Object.keys(want).every((id) => last[id] === want[id])) break;
      await new Promise((r) => setTimeout(r, 250));
    } while (Date.now() < until);
    return last;
  };
  const managers: SessionManager[] = [];
  const savedTmuxTmpdir = process.env.TMUX_TMPDIR;
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
    savedOrEventSession: async (id) => {
      let text = '';
      try {
        text = readFileSync(
          path.join(commonDir, 'fleet-tui', 'agents', `${id}.events.jsonl`),
          'utf8',
        );
      } catch {
        // no events yet
      }
      const events = text
        .split('\n')
        .map(parseEventLine)
        .filter((e): e is HookEvent => e !== null);
      const saved = (await readFleetState(commonDir)).sessions[id] ?? null;
      return pickResumeId(events, saved).id;
    },
    status: async (id) => (await statuses())[id] ?? null,
    statusBecomes: async (id, want, timeoutMs) =>
      (await statusesBecome({ [id]: want }, timeoutMs))[id] ?? null,
    statusesBecome,
    manager: async () => {
      // Create the fleet's tmux session from the sandbox first: the tmux server, and so every
      // agent window, gets the sandbox's environment rather than this test process's.
      await lab.start('fleet-contract', ['sleep', '3600'], { cwd: fx.repo });
      process.env.TMUX_TMPDIR = sb.tmuxTmpdir;
      const config = await loadConfig({ configPath: path.join(fx.repo, 'fleet.config.ts') });
      const m = new SessionManager(config, { tmuxSocket: lab.socket, crashBackoffMs: 0 });
      managers.push(m);
      return m;
    },
    cleanup: async () => {
      for (const m of managers) m.dispose();
      if (managers.length && savedTmuxTmpdir === undefined) delete process.env.TMUX_TMPDIR;
      else if (managers.length) process.env.TMUX_TMPDIR = savedTmuxTmpdir;
      await lab.kill();
      await sb.cleanup();
      await rm(fx.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
    },
  };
}

/** Codex asks once per worktree to trust fleet-tui's project hooks: it reads as waiting; the
 * person picks "Trust all and continue". */
export async function trustHooks(fl: AgentFleet, id = 'ps1'): Promise<void> {
  await fl.lab.waitForScreen(fl.target(id), 'the hooks review', (s) =>
    s.includes('Hooks need review'),
  );
  if ((await fl.statusBecomes(id, 'waiting')) !== 'waiting')
    throw new Error(`${id}: the hooks review did not read as waiting`);
  await fl.lab.keys(fl.target(id), 'Down');
  await fl.lab.waitForScreen(fl.target(id), 'trust all selected', (s) =>
    s.includes('› 2. Trust all'),
  );
  await fl.lab.keys(fl.target(id), 'Enter');
  await fl.lab.waitForScreen(
    fl.target(id),
    'the composer',
    (s) => screenStatus('codex', s) === 'idle',
  );
}
