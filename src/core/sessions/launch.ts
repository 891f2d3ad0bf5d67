import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AgentSpec } from '../../config/schema.js';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { UsageError } from '../errors.js';
import { hostNotifyArgv } from '../hosts/agent-hooks.js';
import { codexOptions } from './codex-args.js';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
/** fleet-tui's own CLI (the simulated agent calls `migrations new` through it). */
export const FLEET_BIN = path.join(PACKAGE_ROOT, 'bin', 'fleet-tui.js');
/** The small compiled program hooks run (dist/ also under vitest: `npm test` builds first). */
export const HOOK_SCRIPT = path.join(
  PACKAGE_ROOT,
  'dist',
  'core',
  'sessions',
  'status',
  'fleet-hook.js',
);

/** Which agent an instance runs, for hooks and resume: by command name, else by kind name. */
type AgentFamily = 'claude' | 'codex' | 'other';

function agentFamily(kind: string, spec: AgentSpec): AgentFamily {
  const base = path.basename(spec.command);
  if (base === 'claude' || base === 'codex') return base;
  if (kind === 'claude' || kind === 'codex') return kind;
  return 'other';
}

/** The command a hook runs to record an event: `node …/fleet-hook.js --file F [--event E]`
 * (`fleet-tui hook-event` does the same, but loading the whole CLI is too slow per tool call). */
export function hookArgv(eventFile: string, event?: string, instance?: string): string[] {
  return [
    process.execPath,
    HOOK_SCRIPT,
    '--file',
    eventFile,
    ...(event ? ['--event', event] : []),
    ...(instance ? ['--instance', instance] : []),
  ];
}

export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export interface Launch {
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string>;
  family: AgentFamily;
  backend: 'tmux' | 'exec';
  /** The real Codex with a template that does not place the role prompt (the built-in): the
   * prompt to give as developer instructions (status/codex-project.ts), so no turn runs. */
  instructions?: string;
  /** The real `codex` (per-project hooks and instructions), not a stand-in of that kind. */
  realCodex: boolean;
}

export interface LaunchOptions {
  eventFile: string;
  rolePrompt?: string;
  /** The agent's own session id to resume. */
  resumeId?: string | null;
}

function resumeArgs(
  family: AgentFamily,
  command: string,
  args: string[],
  id: string,
  newRole: string | undefined,
): string[] {
  const real = path.basename(command) === family;
  if (family === 'codex' && real) {
    // `codex exec [options] resume <id>` / interactive `codex resume [options] <id> [-- PROMPT]`,
    // with the template's options and their values (a model, a sandbox, `--no-daemon` must hold
    // after a restart) but not its prompt. A resumed thread keeps the instructions it started
    // with (codex 0.171.0): a new role arrives as its first message, after `--` (a prompt may
    // start with '-').
    if (args[0] === 'exec') return ['exec', ...codexOptions(args.slice(1)), 'resume', id];
    return ['resume', ...codexOptions(args), id, ...(newRole ? ['--', newRole] : [])];
  }
  if (family === 'claude' || family === 'codex') return [...args, '--resume', id];
  return args;
}

/** An instance on an SSH host whose agent kind uses the exec backend: a usage error (exit 2),
 * said before anything is started or any host contacted. */
export function refuseExecOnHost(config: ResolvedConfig, inst: ResolvedInstance): void {
  if (inst.host !== undefined && config.agents[inst.agent]?.backend === 'exec') {
    throw new UsageError(
      `instance ${inst.id} is on host "${inst.host}": the exec backend runs agents on this machine only — give agent kind "${inst.agent}" backend 'tmux' in ${config.configPath ?? 'the config'} (or declare a tmux kind for host instances)`,
    );
  }
}

/** Command line, directory and environment for an instance's agent (args templated). */
export function buildLaunch(
  config: ResolvedConfig,
  inst: ResolvedInstance,
  opts: LaunchOptions,
): Launch {
  // An agent on an SSH host runs in the host's worktree; its hooks are shell one-liners there
  // (core/hosts/agent-hooks.ts) writing to `opts.eventFile`, a path on the host.
  const onHost = inst.host !== undefined && inst.hostPath !== undefined;
  const cwd = onHost ? inst.hostPath! : inst.worktreePath;
  const spec = config.agents[inst.agent];
  if (!spec) {
    throw new UsageError(
      `instance ${inst.id}: agent kind "${inst.agent}" is not declared — add it under agents in ${config.configPath ?? 'the config'}`,
    );
  }
  refuseExecOnHost(config, inst);
  const role = config.roles[inst.role];
  const rolePrompt = opts.rolePrompt ?? role?.prompt ?? role?.title ?? inst.role;
  const vars: Record<string, string> = {
    instance: inst.id,
    role: inst.role,
    worktree: cwd,
    rolePrompt,
  };
  let args = spec.args.map((a) =>
    a.replace(/\{(instance|role|worktree|rolePrompt)\}/g, (_, k: string) => vars[k] ?? ''),
  );
  const family = agentFamily(inst.agent, spec);
  const realCodex = family === 'codex' && path.basename(spec.command) === 'codex';
  if (opts.resumeId) args = resumeArgs(family, spec.command, args, opts.resumeId, opts.rolePrompt);
  if (family === 'codex' && !realCodex) {
    // A stand-in codex (the simulated agent) reports turns through `notify` with one JSON
    // argument; the real one gets per-project hooks instead (status/codex-project.ts).
    const notify = onHost
      ? hostNotifyArgv(inst.id, opts.eventFile)
      : hookArgv(opts.eventFile, undefined, inst.id);
    args.push('--config-override', `notify=${JSON.stringify(notify)}`);
  }
  // The built-in codex template places no role prompt: Codex gets it as instructions.
  const placesPrompt = spec.args.some((a) => a.includes('{rolePrompt}'));
  return {
    command: spec.command,
    args,
    cwd,
    env: {
      ...spec.env,
      FLEET_TUI_INSTANCE: inst.id,
      FLEET_TUI_EVENT_FILE: opts.eventFile,
      // Resolved at each start, so hooks that read them survive fleet-tui moving (local paths:
      // meaningless on a host).
      ...(onHost ? {} : { FLEET_TUI_HOOK: HOOK_SCRIPT, FLEET_TUI_NODE: process.execPath }),
    },
    family,
    backend: spec.backend,
    realCodex,
    ...(realCodex && !placesPrompt ? { instructions: rolePrompt } : {}),
  };
}
