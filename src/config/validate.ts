import type { z } from 'zod';
import { keyOverrideProblems } from '../keymap/overrides.js';
import { instanceBranch, instanceProblems } from './instance-rules.js';
import type { FleetConfigParsed } from './schema.js';
import { refFormat, type RefFormat } from './ref-format.js';
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

/** Checks zod cannot express: cross references, uniqueness, paths, branch names, keys. */
export async function semanticProblems(
  cfg: FleetConfigParsed,
  rootDir: string,
): Promise<ConfigProblem[]> {
  const refs = refFormat(rootDir);
  const [remote, branchNames] = await Promise.all([
    remoteProblems(cfg, refs),
    branchNameProblems(cfg, refs),
  ]);
  await refs.save();
  return [
    ...remote,
    ...hostProblems(cfg),
    ...instanceProblems(cfg, rootDir),
    ...branchNames,
    ...keyProblems(cfg),
  ];
}

/** git itself is the authority on branch names. */
async function branchNameProblems(
  cfg: FleetConfigParsed,
  refs: RefFormat,
): Promise<ConfigProblem[]> {
  const accepted = await Promise.all(
    cfg.instances.map((inst) => refs.accepts(['--branch', instanceBranch(inst)])),
  );
  return cfg.instances.flatMap((inst, i) =>
    accepted[i]
      ? []
      : [
          {
            at: inst.branch !== undefined ? `instances[${i}].branch` : `instances[${i}].agent`,
            message: `"${instanceBranch(inst)}" is not a valid git branch name — choose a name git accepts (git check-ref-format --branch)`,
          },
        ],
  );
}

function keyProblems(cfg: FleetConfigParsed): ConfigProblem[] {
  const empty = Object.entries(cfg.keys)
    .filter(([, binding]) => (Array.isArray(binding) ? binding : [binding]).some((k) => !k))
    .map(([cmd]) => ({
      at: `keys.${cmd}`,
      message: 'empty key binding — give a key such as "ctrl+l" or remove the entry',
    }));
  // The keymap table is pure data (no Ink at run time), so config validation can use it.
  return empty.length > 0 ? empty : keyOverrideProblems(cfg.keys);
}
