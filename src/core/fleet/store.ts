import type { ResolvedConfig } from '../../config/types.js';
import type { InstanceGitStatus } from '../git/status-types.js';
import type { LandProgress, LandReport } from '../land/types.js';
import type { CheckReport } from '../migrations/types.js';
import type { AgentState } from '../sessions/types.js';
import type { FleetInsight } from '../insight/fleet-insight.js';
import type { Scope } from '../insight/scope.js';
import type { Alert, FleetFacts, InstanceSnapshot, LogEntry } from './types.js';

type Listener = () => void;
const MAX_LOG = 500;

const STOPPED: AgentState = {
  status: 'stopped',
  since: new Date(0).toISOString(),
  exitCode: null,
  sessionId: null,
  costUsd: null,
  tokens: null,
};

function problemKey(p: CheckReport['problems'][number]): string {
  return `${p.rule} ${p.version} ${p.files.map((f) => f.path).join(',')}`;
}

/**
 * The single source of truth the UI reads. Services write events in; every change replaces one
 * instance's snapshot (or the fleet facts) and notifies only that key's subscribers, so one
 * agent's update repaints one pane. Agent output is NOT here: panes read the session's ring
 * buffer at render time.
 */
export class FleetStore {
  private snaps = new Map<string, InstanceSnapshot>();
  private facts: FleetFacts = { migrations: null, land: null, log: [], insight: null };
  private listeners = new Map<string, Set<Listener>>();
  private alertListeners = new Set<(a: Alert) => void>();
  private seenProblems = new Set<string>();
  /** Hosts the migration watch cannot reach now (logged once when they go and come back). */
  private hostsDown = new Set<string>();

  constructor(private config: ResolvedConfig) {
    config.instances.forEach((instance, index) => {
      this.snaps.set(instance.id, {
        index,
        instance,
        roleTitle: config.roles[instance.role]?.title ?? instance.role,
        git: null,
        agent: STOPPED,
        migrationProblems: [],
        busy: null,
        scope: null,
        usageToday: null,
        observed: null,
      });
    });
  }

  ids(): string[] {
    return this.config.instances.map((i) => i.id);
  }

  roles(): ResolvedConfig['roles'] {
    return this.config.roles;
  }

  instance(id: string): InstanceSnapshot {
    const s = this.snaps.get(id);
    if (!s) throw new Error(`unknown instance "${id}"`);
    return s;
  }

  all(): InstanceSnapshot[] {
    return this.ids().map((id) => this.instance(id));
  }

  getFacts(): FleetFacts {
    return this.facts;
  }

  /** Subscribe to one instance (`id`) or to the fleet facts (`'*'`). */
  subscribe(key: string, fn: Listener): () => void {
    let set = this.listeners.get(key);
    if (!set) this.listeners.set(key, (set = new Set()));
    set.add(fn);
    return () => set.delete(fn);
  }

  onAlert(fn: (a: Alert) => void): () => void {
    this.alertListeners.add(fn);
    return () => this.alertListeners.delete(fn);
  }

  private emit(key: string): void {
    for (const fn of this.listeners.get(key) ?? []) fn();
  }

  private alert(a: Alert): void {
    for (const fn of this.alertListeners) fn(a);
  }

  private patch(id: string, change: Partial<InstanceSnapshot>): void {
    const prev = this.snaps.get(id);
    if (!prev) return;
    this.snaps.set(id, { ...prev, ...change });
    this.emit(id);
  }

  private patchFacts(change: Partial<FleetFacts>): void {
    this.facts = { ...this.facts, ...change };
    this.emit('*');
  }

  setGit(id: string, git: InstanceGitStatus): void {
    this.patch(id, { git });
  }

  setAgent(id: string, agent: AgentState): void {
    const prev = this.snaps.get(id)?.agent;
    if (
      prev &&
      prev.status === agent.status &&
      prev.costUsd === agent.costUsd &&
      prev.note === agent.note
    ) {
      return;
    }
    this.patch(id, { agent });
    if (agent.status === 'waiting' && prev?.status !== 'waiting') {
      this.alert({ title: `${id} is waiting`, body: `${id} needs your input` });
    }
  }

  /** Only an instance whose list of outside files changed repaints. */
  setScope(id: string, scope: Scope): void {
    const prev = this.snaps.get(id)?.scope;
    if (prev && prev.outside.join('\0') === scope.outside.join('\0')) return;
    this.patch(id, { scope });
  }

  /** A new reading of cost and work done: the facts, and each instance whose figures moved. */
  setInsight(insight: FleetInsight): void {
    for (const id of this.ids()) {
      const snap = this.instance(id);
      const usageToday = insight.usageToday[id] ?? null;
      const observed = insight.observed[id] ?? null;
      if (
        JSON.stringify(usageToday) !== JSON.stringify(snap.usageToday) ||
        JSON.stringify(observed) !== JSON.stringify(snap.observed)
      )
        this.patch(id, { usageToday, observed });
    }
    this.patchFacts({ insight });
  }

  setBusy(id: string, busy: string | null): void {
    this.patch(id, { busy });
  }

  setRole(id: string, role: string): void {
    const prev = this.snaps.get(id);
    if (!prev) return;
    this.config = {
      ...this.config,
      instances: this.config.instances.map((i) => (i.id === id ? { ...i, role } : i)),
    };
    this.patch(id, {
      instance: { ...prev.instance, role },
      roleTitle: this.config.roles[role]?.title ?? role,
    });
  }

  setMigrations(report: CheckReport): void {
    const fresh = report.problems.filter((p) => !this.seenProblems.has(problemKey(p)));
    this.seenProblems = new Set(report.problems.map(problemKey));
    for (const id of this.ids()) {
      const mine = report.problems.filter((p) => p.files.some((f) => f.instance === id));
      const prev = this.instance(id).migrationProblems;
      if (
        mine.length !== prev.length ||
        mine.some((p, k) => problemKey(p) !== problemKey(prev[k]!))
      ) {
        this.patch(id, { migrationProblems: mine });
      }
    }
    this.patchFacts({ migrations: report });
    const down = new Map((report.unreachableHosts ?? []).map((u) => [u.host, u]));
    for (const [host, u] of down)
      if (!this.hostsDown.has(host))
        this.log('warn', `migration watch: host ${host} unreachable (${u.hostError})`);
    for (const host of this.hostsDown)
      if (!down.has(host)) this.log('info', `migration watch: host ${host} is back`);
    this.hostsDown = new Set(down.keys());
    for (const p of fresh) {
      this.log(
        p.severity === 'error' ? 'error' : 'warn',
        `migration ${p.rule} ${p.version}: ${p.message}`,
      );
      this.alert({ title: `migration ${p.rule}`, body: `${p.version}: ${p.message}` });
    }
  }

  startLand(scope: string): void {
    this.patchFacts({
      land: {
        scope,
        running: true,
        startedAt: new Date().toISOString(),
        progress: {},
        report: null,
        error: null,
      },
    });
  }

  landProgress(p: LandProgress): void {
    const land = this.facts.land;
    if (!land) return;
    this.patchFacts({ land: { ...land, progress: { ...land.progress, [p.id]: p } } });
  }

  finishLand(report: LandReport | null, error: string | null): void {
    const land = this.facts.land;
    if (!land) return;
    this.patchFacts({ land: { ...land, running: false, report, error } });
  }

  log(level: LogEntry['level'], text: string): void {
    const entry: LogEntry = { time: new Date().toISOString(), level, text };
    const log = [...this.facts.log, entry];
    this.patchFacts({ log: log.length > MAX_LOG ? log.slice(-MAX_LOG) : log });
  }
}
