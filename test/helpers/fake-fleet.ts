// A FleetServices double for UI tests: in-memory sessions and scripted land/sync results. Git
// and processes are exercised for real in the integration and e2e tests; here only the UI is
// under test, so the services answer from memory and record what the UI asked for.
import { EventEmitter } from 'node:events';
import { fleetConfigSchema } from '../../src/config/schema.js';
import { resolveConfig } from '../../src/config/resolve.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { FleetActions } from '../../src/core/fleet/actions.js';
import { FleetStore } from '../../src/core/fleet/store.js';
import type { FleetServices } from '../../src/core/fleet/types.js';
import type { SyncResult } from '../../src/core/land/sync.js';
import type { InstanceGitStatus } from '../../src/core/git/status-types.js';
import type { LandOptions, LandProgress, LandReport } from '../../src/core/land/types.js';
import type { CheckReport } from '../../src/core/migrations/types.js';
import type { AgentState, Session, SessionEvent } from '../../src/core/sessions/types.js';

class FakeSession implements Session {
  readonly backend = 'exec' as const;
  version = 0;
  lines: string[] = [];
  sent: string[] = [];
  restarts: Array<{ rolePrompt?: string } | undefined> = [];
  size: [number, number] = [0, 0];
  private ev = new EventEmitter();
  private st: AgentState = {
    status: 'working',
    since: new Date().toISOString(),
    exitCode: null,
    sessionId: null,
    costUsd: null,
    tokens: null,
  };
  constructor(readonly instanceId: string) {}
  start = () => Promise.resolve();
  stop = () => Promise.resolve();
  restart(opts?: { rolePrompt?: string }) {
    this.restarts.push(opts);
    return Promise.resolve();
  }
  send(text: string) {
    this.sent.push(text);
    return Promise.resolve();
  }
  resize(cols: number, rows: number) {
    this.size = [cols, rows];
  }
  tail(n: number) {
    return this.lines.slice(-n);
  }
  state() {
    return this.st;
  }
  on(event: SessionEvent, fn: () => void) {
    this.ev.on(event, fn);
    return () => void this.ev.off(event, fn);
  }
  attachCommand() {
    return null;
  }
  print(...lines: string[]) {
    this.lines.push(...lines);
    this.version++;
    this.ev.emit('output');
  }
  setState(change: Partial<AgentState>) {
    this.st = { ...this.st, ...change };
    this.ev.emit('state');
  }
}

/** `onHosts`: instance id → host name (issue 18); those hosts are declared too. */
function fakeConfig(n: number, onHosts: Record<string, string> = {}): ResolvedConfig {
  const roleIds = ['app', 'docs', 'blog', 'data'];
  const parsed = fleetConfigSchema.parse({
    roles: {
      app: { title: 'App UI', paths: ['lib/**'], prompt: 'You own the app.' },
      docs: { title: 'Docs + video', paths: ['docs/**'], prompt: 'You own the docs.' },
      blog: { title: 'Blog dispatch', paths: ['blog/**'], prompt: 'You write the blog.' },
      data: { title: 'Competitor data', paths: ['data/**'] },
    },
    instances: Array.from({ length: n }, (_, k) => ({
      id: `ps${k + 1}`,
      role: roleIds[k % roleIds.length]!,
      agent: k % 5 === 4 ? 'codex' : 'claude',
      band: String(10000 + k * 10000).padStart(6, '0'),
      ...(onHosts[`ps${k + 1}`] ? { host: onHosts[`ps${k + 1}`] } : {}),
    })),
    hosts: Object.fromEntries(
      Object.values(onHosts).map((h) => [h, { ssh: h, repo: '/srv/fleet-test' }]),
    ),
  });
  return resolveConfig(parsed, '/nonexistent/fleet-test-repo', null);
}

export function gitStatus(id: string, ahead = 2, behind = 0): InstanceGitStatus {
  return {
    id,
    role: 'app',
    agent: 'claude',
    worktree: `.claude/worktrees/instance-${id}`,
    branch: `claude/${id}-wip`,
    exists: true,
    head: 'abc1234',
    ahead,
    behind,
    dirty: { staged: 0, unstaged: 1, untracked: 0 },
    operation: null,
    needsSync: false,
    lastCommit: null,
    landedToday: 1,
  };
}

export interface FakeFleet {
  config: ResolvedConfig;
  services: FleetServices;
  store: FleetStore;
  actions: FleetActions;
  sessions: Map<string, FakeSession>;
  calls: string[];
  roles: Record<string, string>;
  /** Resolve the pending land with this report (after emitting `progress`). */
  finishLand(report: LandReport): void;
  progress(p: LandProgress): void;
}

export function fakeFleet(n: number, onHosts: Record<string, string> = {}): FakeFleet {
  const config = fakeConfig(n, onHosts);
  const sessions = new Map(config.instances.map((i) => [i.id, new FakeSession(i.id)]));
  const calls: string[] = [];
  const roles: Record<string, string> = {};
  let pending: { opts: LandOptions; resolve: (r: LandReport) => void } | null = null;
  const services: FleetServices = {
    config,
    session: (id) => sessions.get(id) ?? null,
    readStatus: (inst) => Promise.resolve(gitStatus(inst.id)),
    land: (opts) => {
      calls.push(`land ${opts.ids?.join(',') ?? 'all'}`);
      return new Promise((resolve) => (pending = { opts, resolve }));
    },
    sync: (id) => {
      calls.push(`sync ${id}`);
      return Promise.resolve<SyncResult>({ id, sync: 'synced', reason: '' });
    },
    syncAll: () => {
      calls.push('sync all');
      return Promise.resolve([]);
    },
    createMigration: (id, name) => {
      calls.push(`migration ${id} ${name}`);
      return Promise.resolve(`supabase/migrations/20260101010000_${name}.sql`);
    },
    watchMigrations: (_fn: (r: CheckReport) => void) =>
      Promise.resolve({ close: () => Promise.resolve() }),
    watchGit: () => Promise.resolve({ close: () => Promise.resolve() }),
    setRole: (id, role) => {
      calls.push(`role ${id} ${role}`);
      roles[id] = role;
      return Promise.resolve();
    },
    dispose: () => Promise.resolve(),
  };
  const store = new FleetStore(config);
  for (const [id, s] of sessions) store.setAgent(id, s.state());
  const actions = new FleetActions(services, store);
  return {
    config,
    services,
    store,
    actions,
    sessions,
    calls,
    roles,
    progress: (p) => pending?.opts.onProgress?.(p),
    finishLand: (report) => pending?.resolve(report),
  };
}
