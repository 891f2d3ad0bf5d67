import path from 'node:path';
import { BUILTIN_AGENTS } from './builtins.js';
import type { FleetConfigParsed } from './schema.js';
import type { ConfigProblem } from './validate.js';

type Instance = FleetConfigParsed['instances'][number];

/** One instance as the rules see it, with the names fleet-tui derives when the config omits them. */
interface InstanceFacts {
  inst: Instance;
  i: number;
  at: (key: string) => string;
  /** A repeated id also repeats the derived worktree and branch; only the cause is reported. */
  duplicateId: boolean;
  worktree: string;
  worktreeAbs: string;
  branch: string;
}

/** What the rules share across instances: the config and who used an id, band, … first. */
interface Fleet {
  cfg: FleetConfigParsed;
  rootDir: string;
  agentKinds: Set<string>;
  first: Record<'id' | 'band' | 'worktree' | 'branch', Map<string, number>>;
}

type InstanceRule = (f: InstanceFacts, fleet: Fleet) => ConfigProblem | null;

/** The branch an instance works on: its own, or `<agent>/<id>-wip`. */
export function instanceBranch(inst: Instance): string {
  return inst.branch ?? `${inst.agent}/${inst.id}-wip`;
}

/** The first instance that claimed `key`, or null after claiming it for instance `i`. */
function claimedBefore(map: Map<string, number>, key: string, i: number): number | null {
  const first = map.get(key);
  if (first !== undefined) return first;
  map.set(key, i);
  return null;
}

const uniqueId: InstanceRule = ({ inst, i, at }, { first }) => {
  const other = claimedBefore(first.id, inst.id, i);
  if (other === null) return null;
  return {
    at: at('id'),
    message: `duplicate instance id "${inst.id}" (also instances[${other}]) — give each instance its own id`,
  };
};

const knownRole: InstanceRule = ({ inst, at }, { cfg }) => {
  if (inst.role in cfg.roles) return null;
  const known = Object.keys(cfg.roles).join(', ') || 'none declared';
  return {
    at: at('role'),
    message: `unknown role "${inst.role}" — declare it under roles or use one of: ${known}`,
  };
};

const knownAgent: InstanceRule = ({ inst, at }, { agentKinds }) => {
  if (agentKinds.has(inst.agent)) return null;
  return {
    at: at('agent'),
    message: `unknown agent kind "${inst.agent}" — declare it under agents or use one of: ${[...agentKinds].join(', ')}`,
  };
};

const uniqueBand: InstanceRule = ({ inst, i, at }, { first }) => {
  const other = claimedBefore(first.band, inst.band, i);
  if (other === null) return null;
  return {
    at: at('band'),
    message: `band "${inst.band}" is already used by instances[${other}] — give each instance its own band`,
  };
};

const bandWithinDay: InstanceRule = ({ inst, at }) => {
  if (Number(inst.band) < 240000) return null;
  return {
    at: at('band'),
    message: `band "${inst.band}" is past the end of the day (240000) — use 000000..235959`,
  };
};

const worktreeInside: InstanceRule = ({ inst, at, worktree, worktreeAbs }, { rootDir }) => {
  const rel = path.relative(rootDir, worktreeAbs);
  if (rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel)) return null;
  return {
    at: inst.worktree ? at('worktree') : 'worktreeRoot',
    message: `worktree "${worktree}" is outside the repository — use a path inside it such as ".claude/worktrees/instance-${inst.id}"`,
  };
};

/** A worktree or branch used twice; one derived from a repeated id is that id's problem. */
function usedOnce(key: 'worktree' | 'branch', claim: (f: InstanceFacts) => string): InstanceRule {
  return (f, { first }) => {
    const other = claimedBefore(first[key], claim(f), f.i);
    if (other === null || (f.duplicateId && !f.inst[key])) return null;
    return {
      at: f.at(key),
      message: `${key} "${f[key]}" is also used by instances[${other}] — give each instance its own ${key}`,
    };
  };
}

// Worktrees on a host live in that host's clone: the same path on two hosts is no clash.
const uniqueWorktree = usedOnce('worktree', (f) =>
  f.inst.host ? `${f.inst.host}:${f.worktreeAbs}` : f.worktreeAbs,
);
const uniqueBranch = usedOnce('branch', (f) => f.branch);

const notMainBranch: InstanceRule = ({ at, branch }, { cfg }) => {
  if (branch !== cfg.mainBranch) return null;
  return {
    at: at('branch'),
    message: `branch "${branch}" is the main branch — instances work on their own branches`,
  };
};

/** In the order each instance's problems are reported. */
const INSTANCE_RULES: InstanceRule[] = [
  uniqueId,
  knownRole,
  knownAgent,
  uniqueBand,
  bandWithinDay,
  worktreeInside,
  uniqueWorktree,
  uniqueBranch,
  notMainBranch,
];

/** Cross references and uniqueness across instances, instance by instance. */
export function instanceProblems(cfg: FleetConfigParsed, rootDir: string): ConfigProblem[] {
  const fleet: Fleet = {
    cfg,
    rootDir,
    agentKinds: new Set([...Object.keys(BUILTIN_AGENTS), ...Object.keys(cfg.agents)]),
    first: { id: new Map(), band: new Map(), worktree: new Map(), branch: new Map() },
  };
  return cfg.instances.flatMap((inst, i) => {
    const worktree = inst.worktree ?? path.join(cfg.worktreeRoot, `instance-${inst.id}`);
    const facts: InstanceFacts = {
      inst,
      i,
      at: (key) => `instances[${i}].${key}`,
      duplicateId: fleet.first.id.has(inst.id),
      worktree,
      worktreeAbs: path.resolve(rootDir, worktree),
      branch: instanceBranch(inst),
    };
    return INSTANCE_RULES.map((rule) => rule(facts, fleet)).filter((p) => p !== null);
  });
}
