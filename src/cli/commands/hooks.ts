import type { Command } from 'commander';
import { installHook, uninstallHook } from '../../core/migrations/pre-push-hook.js';
import { uninstallClaudeHooks } from '../../core/sessions/status/claude-hooks.js';
import { uninstallCodexProject } from '../../core/sessions/status/codex-project.js';
import { loadFleetConfig } from '../context.js';
import { err, out, printJson } from '../output.js';
import { uninstallHostAgentHooks } from '../../core/hosts/host-hooks-uninstall.js';

export function registerHooks(program: Command): void {
  const hooks = program
    .command('hooks')
    .description('install or remove the pre-push hook that runs the migration check');
  hooks
    .command('install')
    .description(
      'install the pre-push hook (all worktrees; respects core.hooksPath; an existing hook is chained)',
    )
    .option('--json', 'print {"file", "chained", "changed"} as JSON')
    .action(async (opts: { json?: boolean }) => {
      const res = await installHook(process.cwd());
      if (opts.json) return printJson(res);
      out(res.changed ? `installed ${res.file}` : `already installed: ${res.file}`);
      if (res.chained) out(`the previous pre-push hook is kept as ${res.chained} and runs first`);
    });
  hooks
    .command('uninstall')
    .description('remove the pre-push hook and restore the one that was there before')
    .option('--json', 'print {"file", "chained", "changed"} as JSON')
    .action(async (opts: { json?: boolean }, c: Command) => {
      const res = await uninstallHook(process.cwd());
      // Also the agents' status hooks fleet-tui merged into each worktree's Claude settings.
      const agentHooks: string[] = [];
      const cfg = await loadFleetConfig(c).catch(() => null);
      if (cfg && (await uninstallCodexProject(cfg.rootDir).catch(() => false)))
        out(`removed fleet-tui's Codex hooks from ${cfg.rootDir}/.codex/hooks.json`);
      // Instances on SSH hosts: their files are on the host (one round trip per host to read).
      const onHosts = cfg
        ? await uninstallHostAgentHooks(cfg)
        : { instances: [], clones: [], unreachable: [] };
      for (const c of opts.json ? [] : onHosts.clones)
        out(`removed fleet-tui's Codex hooks from ${c.repo}/.codex/hooks.json on host ${c.host}`);
      agentHooks.push(...onHosts.instances);
      for (const u of onHosts.unreachable) {
        err(
          `host ${u} — its agents' hooks were not removed; run "fleet-tui hooks uninstall" again when it answers`,
        );
        process.exitCode = 1;
      }
      for (const inst of (cfg?.instances ?? []).filter((i) => !i.host)) {
        const claude = await uninstallClaudeHooks(inst.worktreePath).catch(() => false);
        const codex = await uninstallCodexProject(inst.worktreePath).catch(() => false);
        if (claude || codex) agentHooks.push(inst.id);
      }
      for (const id of opts.json ? [] : agentHooks)
        out(`removed fleet-tui's agent hooks from instance ${id}'s worktree (.claude/, .codex/)`);
      if (opts.json) return printJson({ ...res, agentHooks });
      if (!res.changed) out(`no fleet-tui hook at ${res.file}; nothing to do`);
      else
        out(
          res.chained
            ? `removed; restored the previous hook at ${res.file}`
            : `removed ${res.file}`,
        );
    });
}
