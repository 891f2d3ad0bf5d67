import type { ResolvedConfig } from '../../config/types.js';
import { SUPABASE_MIGRATION_PATTERN } from '../../config/migration-pattern.js';
import { FleetError, UsageError } from '../errors.js';
import { findRepo } from '../git/repo.js';
import { gitOut } from '../git/run.js';
import { localPart } from '../hosts/fleet.js';
import { readHostsRaw, withHostErrors, type HostsRead } from './hosts/fleet-read.js';
import { compilePattern, normDir, type FleetModel } from './model.js';
import { buildReport, type ReportSettings } from './report.js';
import { readCommitted } from './committed.js';
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
    hosts: Object.fromEntries(config.instances.flatMap((i) => (i.host ? [[i.id, i.host]] : []))),
    ...(day ? { day } : {}),
  };
}

/**
 * Read main and every instance (in parallel) into the model the rules run on: local worktrees
 * here, worktrees on SSH hosts in one round trip per host (all hosts at once). A host that
 * cannot be reached contributes nothing and is named in `hosts.errors`.
 */
export async function readFleet(
  config: ResolvedConfig,
): Promise<FleetModel & { hosts: HostsRead['errors'] }> {
  const layout = layoutOf(config);
  const hostsRead = readHostsRaw(config, layout);
  // Awaited after the local reads; until then a failure must not surface as unhandled.
  hostsRead.catch(() => undefined);
  const local = localPart(config);
  const worktreesRead = Promise.all(
    local.instances.map(async (i) =>
      // A one-shot read (check, new): the files with blocking calls (safe-read.ts says why).
      (await isWorktree(i.worktreePath))
        ? readWorktree(i.worktreePath, layout, { sync: true })
        : [],
    ),
  );
  worktreesRead.catch(() => undefined);
  const branchNames = local.instances.map((i) => i.branch);
  const read = (ref: string) =>
    readCommitted(config.rootDir, ref, branchNames, layout, config.migrations.pattern);
  // Optimistic: `<remote>/<main>` nearly always exists; the local main only before a fetch.
  let committed = await read(`refs/remotes/${config.remote}/${config.mainBranch}`);
  if (!committed) {
    const ref = await resolveMainRef(config.rootDir, config.remote, config.mainBranch);
    committed = await read(ref);
    if (!committed) throw new FleetError(`could not read ${ref} in ${config.rootDir}`);
  }
  const { main: m, branches } = committed;
  const worktrees = await worktreesRead;
  const hosts = await hostsRead;
  const raws = new Map(
    local.instances.map((inst, k) => [
      inst.id,
      { branch: branches.get(inst.branch) ?? [], worktree: worktrees[k]! },
    ]),
  );
  for (const [id, r] of hosts.reads) raws.set(id, r.raw);
  return {
    main: m,
    instances: config.instances.map((inst) =>
      instanceView(
        inst.id,
        inst.band,
        raws.get(inst.id) ?? { branch: [], worktree: [] },
        m,
        layout,
      ),
    ),
    hosts: hosts.errors,
  };
}

/**
 * `fleet-tui migrations check` for a fleet: main, every branch and every worktree, on this
 * machine and on its SSH hosts (a host that cannot be reached is in `unreachableHosts`).
 */
export async function checkFleet(config: ResolvedConfig, day?: string): Promise<CheckReport> {
  const model = await readFleet(config);
  return withHostErrors(buildReport(model, settingsOf(config, day)), model.hosts);
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
