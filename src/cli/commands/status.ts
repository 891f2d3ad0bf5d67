import type { Command } from 'commander';
import { loadFleetConfig } from '../context.js';
import { err, out, printJson } from '../output.js';

function age(date: string): string {
  const s = Math.max(0, (Date.now() - Date.parse(date)) / 1000);
  if (s < 3600) return `${Math.round(s / 60)}m`;
  if (s < 86400) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

export function registerStatus(program: Command): void {
  program
    .command('status')
    .description(
      'one row per instance: branch, ahead/behind main, dirty files, operation, last commit',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const cfg = await loadFleetConfig(cmd);
      const {
        batchGitSpawns,
        collectFleetStatus,
        needsRecovery,
        readAgentStates,
        scopeSink,
        startUsageToday,
        statusInsight,
      } = await import('./status-deps.js');
      // A git process per worktree and a few for the fleet, asked for together: one spawn.
      batchGitSpawns();
      const usageToday = startUsageToday(cfg);
      // Role scope from what the rows read (each worktree's `git status`, the listed heads).
      const sink = scopeSink(cfg);
      const [gitRows, recovery, agents] = await Promise.all([
        collectFleetStatus(cfg, sink),
        needsRecovery(cfg),
        readAgentStates(cfg),
      ]);
      if (recovery) err(`fleet-tui: warning: ${recovery}`);
      const insight = await statusInsight(cfg, gitRows, usageToday, sink);
      for (const w of insight.warnings) err(`fleet-tui: warning: ${w}`);
      // `agent` is already the agent kind (Git engine contract), so the session facts the Agent
      // sessions issue asks for travel as `agentState`.
      const rows = gitRows.map((r) => {
        const a = agents[r.id];
        const agentState = a
          ? { status: a.status, since: a.since, sessionId: a.sessionId, costUsd: a.costUsd }
          : null;
        return { ...r, agentState, ...insight.byId.get(r.id)! };
      });
      if (opts.json) {
        printJson({ instances: rows });
        return;
      }
      for (const r of rows) {
        if (r.reachable === false) {
          out(`${r.id.padEnd(8)} unreachable host ${r.host}: ${r.hostError ?? ''}`);
          continue;
        }
        if (!r.exists) {
          out(`${r.id.padEnd(8)} missing    ${r.worktree} — run "fleet-tui up"`);
          continue;
        }
        const d = r.dirty;
        const dirty =
          d.staged + d.unstaged + d.untracked > 0
            ? `dirty ${d.staged}/${d.unstaged}/${d.untracked}`
            : 'clean';
        const flags = [
          r.operation ? `${r.operation} in progress` : '',
          r.needsSync ? 'needs-sync' : '',
        ]
          .filter(Boolean)
          .join(' ');
        const cost = r.usageToday.costUsd > 0 ? `$${r.usageToday.costUsd.toFixed(2)} today` : '';
        const outside = r.scope.outside.length;
        const creep = outside > 0 ? `${outside} outside role` : '';
        const last = r.lastCommit ? `${age(r.lastCommit.date)} ${r.lastCommit.subject}` : '';
        const agent = r.agentState
          ? `${r.agentState.status} ${age(r.agentState.since)}`
          : 'stopped';
        out(
          `${r.id.padEnd(8)} ${r.branch.padEnd(20)} ${(r.head ?? '-').slice(0, 7)} +${r.ahead}/-${r.behind} ${dirty.padEnd(14)} ${agent.padEnd(12)} landed ${r.landedToday} ${[flags, cost, creep].filter(Boolean).join(' ')} ${last}`.trimEnd(),
        );
      }
    });
}
