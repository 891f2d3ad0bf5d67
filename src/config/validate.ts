import path from 'node:path';
import type { z } from 'zod';
import { execa } from 'execa';
import { keyOverrideProblems } from '../keymap/overrides.js';
import { BUILTIN_AGENTS } from './builtins.js';
import type { FleetConfigParsed } from './schema.js';
import { hostProblems } from './validate-hosts.js';
import { remoteProblems } from './validate-remote.js';

/** One config problem: where in the file (`instances[3].band`) and what is wrong + the fix. */
export interface ConfigProblem {
  at: string;
  message: string;
}

/** `['instances', 3, 'band']` → `instances[3].band`. */
function formatPath(segments: readonly PropertyKey[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out || '(top level)';
}

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function zodProblems(error: z.ZodError, input: unknown): ConfigProblem[] {
  return error.issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((k) => `"${k}"`).join(', ');
      return {
        at: formatPath(issue.path),
        message: `unknown key ${keys} — remove it or fix the spelling`,
      };
    }
    let value: unknown = input;
    for (const seg of issue.path) {
      value =
        value && typeof value === 'object'
          ? (value as Record<PropertyKey, unknown>)[seg]
          : undefined;
    }
    if (issue.code === 'invalid_type' && value === undefined) {
      return { at: formatPath(issue.path), message: `is required (${issue.expected}) — add it` };
    }
    if (issue.code === 'invalid_type') {
      return {
        at: formatPath(issue.path),
        message: `must be ${issue.expected}, got ${describeType(value)} — fix the value`,
      };
    }
    return { at: formatPath(issue.path), message: `${issue.message} — fix the value` };
  });
}

/** Checks zod cannot express: cross references, uniqueness, paths, branch names. */
export async function semanticProblems(
  cfg: FleetConfigParsed,
  rootDir: string,
): Promise<ConfigProblem[]> {
  const problems: ConfigProblem[] = [...(await remoteProblems(cfg)), ...hostProblems(cfg)];
  const agentKinds = new Set([...Object.keys(BUILTIN_AGENTS), ...Object.keys(cfg.agents)]);
  const seenIds = new Map<string, number>();
  const seenBands = new Map<string, number>();
  const seenWorktrees = new Map<string, number>();
  const seenBranches = new Map<string, number>();

  cfg.instances.forEach((inst, i) => {
    const at = (key: string) => `instances[${i}].${key}`;
    const first = seenIds.get(inst.id);
    // A repeated id also repeats the derived worktree and branch; report the cause only.
    const derivedFromDuplicate = first !== undefined;
    if (first !== undefined) {
      problems.push({
        at: at('id'),
        message: `duplicate instance id "${inst.id}" (also instances[${first}]) — give each instance its own id`,
      });
    } else seenIds.set(inst.id, i);
    if (!(inst.role in cfg.roles)) {
      const known = Object.keys(cfg.roles).join(', ') || 'none declared';
      problems.push({
        at: at('role'),
        message: `unknown role "${inst.role}" — declare it under roles or use one of: ${known}`,
      });
    }
    if (!agentKinds.has(inst.agent)) {
      problems.push({
        at: at('agent'),
        message: `unknown agent kind "${inst.agent}" — declare it under agents or use one of: ${[...agentKinds].join(', ')}`,
      });
    }
    const bandFirst = seenBands.get(inst.band);
    if (bandFirst !== undefined) {
      problems.push({
        at: at('band'),
        message: `band "${inst.band}" is already used by instances[${bandFirst}] — give each instance its own band`,
      });
    } else seenBands.set(inst.band, i);
    if (Number(inst.band) >= 240000) {
      problems.push({
        at: at('band'),
        message: `band "${inst.band}" is past the end of the day (240000) — use 000000..235959`,
      });
    }
    const wt = inst.worktree ?? path.join(cfg.worktreeRoot, `instance-${inst.id}`);
    const abs = path.resolve(rootDir, wt);
    const rel = path.relative(rootDir, abs);
    // Worktrees on a host live in that host's clone: the same path on two hosts is no clash.
    const wtKey = inst.host ? `${inst.host}:${abs}` : abs;
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      problems.push({
        at: inst.worktree ? at('worktree') : 'worktreeRoot',
        message: `worktree "${wt}" is outside the repository — use a path inside it such as ".claude/worktrees/instance-${inst.id}"`,
      });
    }
    const wtFirst = seenWorktrees.get(wtKey);
    if (wtFirst !== undefined && !(derivedFromDuplicate && !inst.worktree)) {
      problems.push({
        at: at('worktree'),
        message: `worktree "${wt}" is also used by instances[${wtFirst}] — give each instance its own worktree`,
      });
    } else seenWorktrees.set(wtKey, i);
    const branch = inst.branch ?? `${inst.agent}/${inst.id}-wip`;
    const brFirst = seenBranches.get(branch);
    if (brFirst !== undefined && !(derivedFromDuplicate && !inst.branch)) {
      problems.push({
        at: at('branch'),
        message: `branch "${branch}" is also used by instances[${brFirst}] — give each instance its own branch`,
      });
    } else seenBranches.set(branch, i);
    if (branch === cfg.mainBranch) {
      problems.push({
        at: at('branch'),
        message: `branch "${branch}" is the main branch — instances work on their own branches`,
      });
    }
  });

  // git itself is the authority on branch names.
  const branches = cfg.instances.map((inst, i) => ({
    i,
    explicit: inst.branch !== undefined,
    name: inst.branch ?? `${inst.agent}/${inst.id}-wip`,
  }));
  const checks = await Promise.all(
    branches.map((b) =>
      execa('git', ['check-ref-format', '--branch', b.name], {
        reject: false,
        env: { LC_ALL: 'C' },
      }),
    ),
  );
  checks.forEach((res, k) => {
    const b = branches[k]!;
    if (res.exitCode !== 0) {
      problems.push({
        at: b.explicit ? `instances[${b.i}].branch` : `instances[${b.i}].agent`,
        message: `"${b.name}" is not a valid git branch name — choose a name git accepts (git check-ref-format --branch)`,
      });
    }
  });
  for (const [cmd, binding] of Object.entries(cfg.keys)) {
    const list = Array.isArray(binding) ? binding : [binding];
    if (list.some((k) => k.length === 0)) {
      problems.push({
        at: `keys.${cmd}`,
        message: 'empty key binding — give a key such as "ctrl+l" or remove the entry',
      });
    }
  }
  if (problems.every((p) => !p.at.startsWith('keys.'))) {
    // The keymap table is pure data (no Ink at run time), so config validation can use it.
    problems.push(...keyOverrideProblems(cfg.keys));
  }
  return problems;
}
