import path from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import { SUPABASE_MIGRATION_PATTERN } from '../../config/migration-pattern.js';
import { FleetError, UsageError } from '../errors.js';
import { findRepo } from '../git/repo.js';
import { layoutOf, settingsOf } from './check.js';
import { compilePattern, normDir, type FleetModel } from './model.js';
import { buildReport, type ReportSettings } from './report.js';
import { readRange, readTree, resolveMainRef, type Layout } from './sources.js';
import type { CheckReport } from './types.js';
import { instanceView } from './view.js';

const ZERO = /^0+$/;

/** Parse pre-push input lines `<local ref> <local sha> <remote ref> <remote sha>`; deletions are skipped. */
export function pushedShas(input: string): string[] {
  return input
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[1] ?? '')
    .filter((sha) => /^[0-9a-f]{40,64}$/.test(sha) && !ZERO.test(sha));
}

/**
 * What a push carries: the commits of each pushed sha not on `<remote>/<main>`, checked against
 * main as the pushing instance's (the one whose worktree is `cwd`; none outside instance
 * worktrees and without a fleet config). Uncommitted files and other instances' branches do not
 * travel with a push, so they cannot block it — the live watch reports those.
 */
export async function checkPush(
  config: ResolvedConfig | null,
  cwd: string,
  shas: readonly string[],
): Promise<CheckReport> {
  const repo = await findRepo(cwd);
  if (!repo) throw new UsageError(`${cwd} is not inside a git repository — run the check in one`);
  const remote = config?.remote ?? 'origin';
  const mainBranch = config?.mainBranch ?? 'main';
  const layout: Layout = config
    ? layoutOf(config)
    : { dir: normDir('supabase/migrations'), re: compilePattern(SUPABASE_MIGRATION_PATTERN) };
  const here = path.resolve(repo.topLevel);
  const inst = config?.instances.find((i) => path.resolve(i.worktreePath) === here) ?? null;
  const ref = await resolveMainRef(repo.topLevel, remote, mainBranch);
  const [main, ranges] = await Promise.all([
    readTree(repo.topLevel, ref, layout),
    Promise.all(shas.map((sha) => readRange(repo.topLevel, `${ref}...${sha}`, layout))),
  ]);
  if (!main) throw new FleetError(`could not read ${ref} in ${repo.topLevel}`);
  const model: FleetModel = {
    main,
    instances: ranges.map((branch) =>
      instanceView(inst?.id ?? null, inst?.band ?? null, { branch, worktree: [] }, main, layout),
    ),
  };
  const settings: ReportSettings = config
    ? settingsOf(config)
    : {
        outOfOrder: 'warn',
        bandStep: 500,
        bands: {},
        pattern: SUPABASE_MIGRATION_PATTERN,
        mainRef: `${remote}/${mainBranch}`,
      };
  return buildReport(model, settings);
}
