import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createJiti } from 'jiti';
import { UsageError } from '../core/errors.js';
import { findRepo } from '../core/git/repo.js';
import { readFleetState } from '../core/state/fleet-state.js';
import { fleetConfigSchema } from './schema.js';
import { resolveConfig } from './resolve.js';
import type { ResolvedConfig } from './types.js';
import { semanticProblems, zodProblems, type ConfigProblem } from './validate.js';

export const CONFIG_NAMES = [
  'fleet.config.ts',
  'fleet.config.mts',
  'fleet.config.js',
  'fleet.config.mjs',
];

export class ConfigError extends UsageError {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(problems.map((p) => `${file}: ${p.at}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}

function findUp(start: string): string | null {
  let dir = path.resolve(start);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const file = path.join(dir, name);
      if (existsSync(file)) return file;
    }
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/**
 * Find the config: `--config` wins; otherwise walk up from `cwd`. Inside an instance's worktree
 * the walk would find the worktree's checked-out copy first, so a config found in a linked
 * worktree defers to the main worktree's config when that exists.
 */
export async function findConfig(cwd: string, explicit?: string): Promise<string> {
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    if (!existsSync(file)) {
      throw new UsageError(
        `--config ${explicit}: no such file (looked for ${file}) — check the path`,
      );
    }
    return file;
  }
  const found = findUp(cwd);
  if (!found) {
    throw new UsageError(
      `no fleet.config.ts found in ${path.resolve(cwd)} or any parent directory — run "fleet-tui init" in your repository to create one, or pass --config PATH`,
    );
  }
  const repo = await findRepo(path.dirname(found));
  if (repo?.mainWorktree && path.resolve(repo.topLevel) !== path.resolve(repo.mainWorktree)) {
    const main = CONFIG_NAMES.map((n) => path.join(repo.mainWorktree!, n)).find((f) =>
      existsSync(f),
    );
    if (main) return main;
  }
  return found;
}

/** The module specifier `fleet-tui` inside a config resolves to the running fleet-tui. */
function selfEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), '..', `index${path.extname(here)}`);
}

/** Import the config module (TypeScript via jiti) and return its default export. */
export async function importConfig(file: string): Promise<unknown> {
  const jiti = createJiti(import.meta.url, {
    alias: { 'fleet-tui': selfEntry() },
    moduleCache: false,
    fsCache: true,
    interopDefault: true,
  });
  try {
    const mod = await jiti.import<Record<string, unknown>>(file);
    // A module without a default export is reported by validateConfig.
    return mod && typeof mod === 'object' && 'default' in mod ? mod.default : undefined;
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    const firstLine = text.split('\n').find((l) => l.trim()) ?? 'unknown error';
    throw new ConfigError(file, [
      {
        at: '(load)',
        message: `the file could not be loaded: ${firstLine.trim()} — fix the error in the file`,
      },
    ]);
  }
}

/** Validate a raw config object against the schema and the cross-field rules. */
export async function validateConfig(raw: unknown, file: string, rootDir: string) {
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      {
        at: '(default export)',
        message:
          'the file must `export default defineFleet({...})` or a plain object — add a default export',
      },
    ]);
  }
  const parsed = fleetConfigSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(file, zodProblems(parsed.error, raw));
  const problems = await semanticProblems(parsed.data, rootDir);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return parsed.data;
}

export interface LoadOptions {
  cwd?: string;
  configPath?: string;
  /** Apply run-time role reassignments from the fleet state (default true). */
  applyState?: boolean;
}

/** Find, import, validate and resolve the fleet config. Throws ConfigError/UsageError (exit 2). */
export async function loadConfig(opts: LoadOptions = {}): Promise<ResolvedConfig> {
  const cwd = opts.cwd ?? process.cwd();
  const file = await findConfig(cwd, opts.configPath);
  const rootDir = path.dirname(file);
  const raw = await importConfig(file);
  const parsed = await validateConfig(raw, file, rootDir);
  const resolved = resolveConfig(parsed, rootDir, file);
  if (opts.applyState === false) return resolved;
  const repo = await findRepo(rootDir);
  if (!repo) return resolved;
  const state = await readFleetState(repo.commonDir);
  return applyRoleOverrides(resolved, state.roles);
}

/** Role reassignments made at run time win over the config, when the role still exists. */
export function applyRoleOverrides(
  cfg: ResolvedConfig,
  roles: Record<string, string>,
): ResolvedConfig {
  return {
    ...cfg,
    instances: cfg.instances.map((inst) => {
      const role = roles[inst.id];
      return role && role in cfg.roles ? { ...inst, role } : inst;
    }),
  };
}
