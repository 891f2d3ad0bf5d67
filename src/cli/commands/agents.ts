import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { ResolvedConfig } from '../../config/types.js';
import { FleetError, UsageError } from '../../core/errors.js';
import { refuseExecOnHost } from '../../core/sessions/launch.js';
import { SessionManager, type Session } from '../../core/sessions/index.js';
import { execOwner, requestAction, waitForState } from '../../core/sessions/remote.js';
import { isActive } from '../../core/sessions/status/tracker.js';
import { TmuxSession } from '../../core/sessions/tmux/tmux-session.js';
import { HostTmuxSession } from '../../core/hosts/host-session.js';
import { loadFleetConfig } from '../context.js';
import { err, out } from '../output.js';
import { registerAgentsTail } from './agents-tail.js';

type Action = 'start' | 'stop' | 'restart';

function pickIds(
  cfg: ResolvedConfig,
  ids: string[],
  all: boolean | undefined,
  verb: string,
): string[] {
  if (all) return cfg.instances.map((i) => i.id);
  if (ids.length === 0)
    throw new UsageError(`agents ${verb}: name one or more instances, or pass --all`);
  const known = new Set(cfg.instances.map((i) => i.id));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length) {
    throw new UsageError(
      `agents ${verb}: unknown instance ${unknown.join(', ')} — known: ${[...known].join(', ')}`,
    );
  }
  return ids;
}

/** Exec agents started here run in the foreground (their pipes end with this process). */
async function runForeground(sessions: Session[]): Promise<void> {
  out(
    `${sessions.map((s) => s.instanceId).join(', ')}: running in the foreground (exec backend) — Ctrl-C stops them; watch with "fleet-tui agents tail ID --follow"`,
  );
  const stopAll = () => void Promise.all(sessions.map((s) => s.stop()));
  process.once('SIGINT', stopAll);
  process.once('SIGTERM', stopAll);
  await new Promise<void>((resolve) => {
    const check = () => {
      if (
        sessions.every(
          (s) => !isActive(s.state().status) && !(s.state().note ?? '').includes('restart in'),
        )
      )
        resolve();
    };
    for (const s of sessions) s.on('state', check);
    check();
  });
  for (const s of sessions) {
    const st = s.state();
    out(`${s.instanceId}: ${st.status}${st.exitCode !== null ? ` (exit ${st.exitCode})` : ''}`);
  }
}

async function act(
  cmd: Command,
  action: Action,
  ids: string[],
  all: boolean | undefined,
): Promise<void> {
  const cfg = await loadFleetConfig(cmd);
  const chosen = pickIds(cfg, ids, all, action);
  if (action !== 'stop')
    for (const id of chosen)
      refuseExecOnHost(
        cfg,
        cfg.instances.find((i) => i.id === id)!,
      );
  const mgr = new SessionManager(cfg);
  // Whatever happens (a tmux error, a missing worktree), what was opened is closed: the control
  // client would otherwise keep this process alive.
  try {
    if (await actOn(mgr, cfg, action, chosen)) process.exitCode = 1;
  } finally {
    mgr.dispose();
  }
}

/** Start, stop or restart each chosen instance; returns whether any had a problem. */
async function actOn(
  mgr: SessionManager,
  cfg: ResolvedConfig,
  action: Action,
  chosen: string[],
): Promise<boolean> {
  await mgr.adopt(chosen);
  const foreground: Session[] = [];
  const tmuxJobs: Array<Promise<TmuxResult>> = [];
  let problems = 0;
  for (const id of chosen) {
    const s = mgr.session(id);
    // A host instance's worktree is checked on its host when its agent starts (host-session.ts).
    const local = !cfg.instances.find((i) => i.id === id)?.host;
    if (
      local &&
      action !== 'stop' &&
      !existsSync(worktreeOf(cfg, id)) &&
      !isActive(s.state().status)
    ) {
      err(
        `fleet-tui: ${id}: worktree ${worktreeOf(cfg, id)} is missing — run "fleet-tui up" to create it`,
      );
      problems++;
      continue;
    }
    if (s.backend === 'tmux') {
      // Started together (window creation queues itself), reported in the order asked.
      tmuxJobs.push(actTmux(mgr, s, action));
      continue;
    }
    const owner = await execOwner(mgr.commonDir, id);
    if (owner && action === 'start') {
      out(`${id}: already running (pid ${owner.pid})`);
    } else if (owner) {
      requestAction(mgr.commonDir, id, action as 'stop' | 'restart');
      const done = await waitForState(mgr.commonDir, id, (st) =>
        action === 'stop'
          ? st.status === 'stopped'
          : st.status === 'starting' || (isActive(st.status) && st.since > owner.state.since),
      );
      if (!done) problems++;
      out(
        `${id}: ${done ? (action === 'stop' ? 'stopped' : 'restarted') : `no answer from the process that runs it (pid ${owner.pid})`}`,
      );
    } else if (action === 'stop') {
      out(`${id}: not running`);
    } else {
      foreground.push(s);
    }
  }
  for (const r of await Promise.all(tmuxJobs)) {
    if (r.ok) out(r.line);
    else {
      err(r.line);
      problems++;
    }
  }
  if (foreground.length) {
    await Promise.all(foreground.map((s) => (action === 'restart' ? s.restart() : s.start())));
    await runForeground(foreground);
    if (foreground.some((s) => s.state().status === 'crashed')) problems++;
  }
  return problems > 0;
}

interface TmuxResult {
  ok: boolean;
  /** One line: to stdout when ok, to stderr otherwise. */
  line: string;
}

/** One tmux instance; not ok when it did not end up as asked (its agent could not start). */
async function actTmux(mgr: SessionManager, s: Session, action: Action): Promise<TmuxResult> {
  const id = s.instanceId;
  let st;
  try {
    if (action === 'stop') {
      await s.stop();
      return { ok: true, line: `${id}: stopped` };
    }
    if (action === 'start') await s.start();
    else await s.restart();
    st = s instanceof TmuxSession ? await s.settle() : s.state();
  } catch (e) {
    // One instance that cannot start (a tmux error, hooks that cannot be written) does not stop
    // the others; it is named, and the exit code says so.
    const why = e instanceof FleetError ? e.message : `${id}: could not start: ${errLine(e)}`;
    return { ok: false, line: `fleet-tui: ${why}` };
  }
  if (st.status === 'crashed' || st.status === 'exited' || st.status === 'stopped') {
    const why = st.note ?? (st.exitCode !== null ? `exit code ${st.exitCode}` : st.status);
    return { ok: false, line: `fleet-tui: ${id}: ${st.status} — ${why}` };
  }
  // Say whether a restart resumed the conversation or started fresh (and why).
  const reason = s instanceof TmuxSession ? s.launchReason : undefined;
  const how = action === 'restart' && reason ? ` — ${reason}` : '';
  const host = s instanceof HostTmuxSession ? ` on host ${s.host}` : '';
  return { ok: true, line: `${id}: running in tmux (${mgr.tmux.sessionName}:${id})${host}${how}` };
}

function errLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0] ?? '';
}

function worktreeOf(cfg: ResolvedConfig, id: string): string {
  return cfg.instances.find((i) => i.id === id)!.worktreePath;
}

async function send(cmd: Command, id: string, text: string): Promise<void> {
  const cfg = await loadFleetConfig(cmd);
  // Read-only: sending a prompt writes no agent state (issue 14 item 4).
  const mgr = new SessionManager(cfg, { readOnly: true });
  const s = mgr.session(id);
  try {
    if (s.backend === 'tmux') {
      await mgr.adopt([id]);
      if (!isActive(s.state().status))
        throw new FleetError(
          `${id}: agent is not running — start it with "fleet-tui agents start ${id}"`,
        );
      await s.send(text);
    } else {
      if (!(await execOwner(mgr.commonDir, id)))
        throw new FleetError(
          `${id}: agent is not running — start it with "fleet-tui agents start ${id}"`,
        );
      requestAction(mgr.commonDir, id, 'send', text);
    }
    // A trailing newline ends the last line; it does not start another.
    out(`${id}: sent ${text.replace(/\r?\n$/, '').split('\n').length} line(s)`);
  } finally {
    mgr.dispose();
  }
}

async function readStdinText(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function registerAgents(program: Command): void {
  const agents = program
    .command('agents')
    .description("start, stop, restart, message and tail the instances' agents");
  for (const action of ['start', 'stop', 'restart'] as const) {
    agents
      .command(`${action} [ids...]`)
      .description(
        action === 'start'
          ? 'start agents (tmux: adopts running windows; exec: runs in the foreground)'
          : action === 'stop'
            ? 'stop agents (SIGTERM, then SIGKILL; tmux: kill the window)'
            : 'restart agents, resuming their session when its id is known',
      )
      .option('--all', 'every instance')
      .action((ids: string[], o: { all?: boolean }, c: Command) => act(c, action, ids, o.all));
  }
  agents
    .command('send <id> <text>')
    .description('send a line or multi-line prompt to an agent, then Enter ("-" reads stdin)')
    .action(async (id: string, text: string, _o: unknown, c: Command) =>
      send(c, id, text === '-' ? await readStdinText() : text),
    );
  registerAgentsTail(agents);
  for (const c of agents.commands) c.exitOverride();
}
