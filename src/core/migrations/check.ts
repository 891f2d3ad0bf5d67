import type { ResolvedConfig } from '../../config/types.js';
import { SUPABASE_MIGRATION_PATTERN } from '../../config/migration-pattern.js';
import { FleetError, UsageError } from '../errors.js';
import { findRepo } from '../git/repo.js';
import { gitOut } from '../git/run.js';
import { compilePattern, normDir, type FleetModel, type MainView } from './model.js';
import { buildReport, type ReportSettings } from './report.js';
import { readBranches } from './branches.js';
import {
  isWorktree,
  readInstanceRaw,
  readTree,
  readWorktree,
  resolveMainRef,
  type Layout,
} from './sources.js';
import type { CheckReport } from './types.js';
import { instanceView } from './view.js';

export function layoutOf(config: Pick<ResolvedConfig, 'migrations'>): Layout {
  return { dir: normDir(config.migrations.dir), re: compilePattern(config.migrations.pattern) };
}

export function settingsOf(config: ResolvedConfig, day?: string): ReportSettings {
  return {
    outOfOrder: config.migrations.outOfOrder,
    bandStep: config.migrations.bandStep,
    bands: Object.fromEntries(config.instances.map((i) => [i.id, i.band])),
    pattern: config.migrations.pattern,
    mainRef: `${config.remote}/${config.mainBranch}`,
    ...(day ? { day } : {}),
  };
}

/** Read main and every instance (in parallel) into the model the rules run on. */
export async function readFleet(config: ResolvedConfig): Promise<FleetModel> {
  const layout = layoutOf(config);
  // Optimistic: `<remote>/<main>` nearly always exists, so read everything at once and only
  // fall back to resolving the ref when it does not.
  let ref = `refs/remotes/${config.remote}/${config.mainBranch}`;
  const readAll = (r: string) =>
    Promise.all([
      readTree(config.rootDir, r, layout),
      readBranches(
        config.rootDir,
        r,
        config.instances.map((i) => i.branch),
        layout,
      ),
      Promise.all(
        config.instances.map(async (i) =>
          (await isWorktree(i.worktreePath)) ? readWorktree(i.worktreePath, layout) : [],
        ),
      ),
    ]);
  let [main, branches, worktrees] = await readAll(ref);
  if (!main) {
    ref = await resolveMainRef(config.rootDir, config.remote, config.mainBranch);
    [main, branches, worktrees] = await readAll(ref);
    if (!main) throw new FleetError(`could not read ${ref} in ${config.rootDir}`);
  }
  const m: MainView = main;
  return {
    main: m,
    instances: config.instances.map((inst, k) =>
      instanceView(
        inst.id,
        inst.band,
        { branch: branches.get(inst.branch) ?? [], worktree: worktrees[k]! },
        m,
        layout,
      ),
    ),
  };
}

/** `fleet-tui migrations check` for a fleet: main, every branch and every worktree. */
export async function checkFleet(config: ResolvedConfig, day?: string): Promise<CheckReport> {
  return buildReport(await readFleet(config), settingsOf(config, day));
}

export interface RepoCheckOptions {
  remote?: string;
  mainBranch?: string;
  dir?: string;
  pattern?: string;
  outOfOrder?: 'warn' | 'error';
}

/**
 * Without a fleet config: the current working tree (its commits and uncommitted files) against
 * `<remote>/<main>`, so a single developer gets the same check. No bands apply.
 */
export async function checkRepo(cwd: string, opts: RepoCheckOptions = {}): Promise<CheckReport> {
  const repo = await findRepo(cwd);
  if (!repo) throw new UsageError(`${cwd} is not inside a git repository — run the check in one`);
  const remote = opts.remote ?? 'origin';
  let mainBranch = opts.mainBranch;
  if (!mainBranch) {
    const head = await gitOut(['symbolic-ref', '-q', '--short', `refs/remotes/${remote}/HEAD`], {
      cwd,
      readOnly: true,
      allowFail: true,
    });
    mainBranch = head.startsWith(`${remote}/`) ? head.slice(remote.length + 1) : 'main';
  }
  const pattern = opts.pattern ?? SUPABASE_MIGRATION_PATTERN;
  const layout: Layout = {
    dir: normDir(opts.dir ?? 'supabase/migrations'),
    re: compilePattern(pattern),
  };
  const ref = await resolveMainRef(repo.topLevel, remote, mainBranch);
  const [main, raw] = await Promise.all([
    readTree(repo.topLevel, ref, layout),
    readInstanceRaw(repo.topLevel, repo.topLevel, null, ref, layout),
  ]);
  if (!main) throw new FleetError(`could not read ${ref} in ${repo.topLevel}`);
  const model: FleetModel = { main, instances: [instanceView(null, null, raw, main, layout)] };
  return buildReport(model, {
    outOfOrder: opts.outOfOrder ?? 'warn',
    bandStep: 500,
    bands: {},
    pattern,
    mainRef: `${remote}/${mainBranch}`,
  });
}
