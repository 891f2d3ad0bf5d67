import type { ResolvedConfig } from '../../config/types.js';
import { gitOut } from '../git/run.js';
import { outsideScope, scopeGlobs } from '../insight/scope.js';
import { isCandidate, type PlannedInstance } from './plan.js';

/** Files changed by these commits (each commit against its parent), each once. */
async function filesOf(
  cwd: string,
  commits: readonly string[],
  env?: Record<string, string>,
): Promise<string[]> {
  const out = await gitOut(
    ['diff-tree', '--stdin', '-r', '--no-commit-id', '--name-only', '--no-renames', '-z'],
    { cwd, readOnly: true, input: `${commits.join('\n')}\n`, ...(env ? { env } : {}) },
  );
  return [...new Set(out.split('\0').filter(Boolean))];
}

/**
 * `land.scope`: the files of the commits being landed that fall outside the instance's role
 * (its `paths` and the fleet's `sharedPaths`). `'block'` leaves the instance `blocked` with those
 * files in the reason; `'warn'` (the default) lands it and says so through `onNotice`. A role
 * without `paths` owns everything.
 */
export async function judgeScope(
  config: ResolvedConfig,
  planned: PlannedInstance[],
  opts: { env?: Record<string, string>; onNotice?: (text: string) => void } = {},
): Promise<void> {
  for (const p of planned.filter(isCandidate)) {
    const { paths, shared } = scopeGlobs(config, p.inst);
    if (paths.length === 0 || p.commits.length === 0) continue;
    const outside = outsideScope(await filesOf(config.rootDir, p.commits, opts.env), paths, shared);
    if (outside.length === 0) continue;
    const what = `${outside.length} ${outside.length === 1 ? 'file' : 'files'} outside role ${p.inst.role} (${outside.join(', ')})`;
    if (config.land.scope === 'block') {
      p.result = {
        ...p.result,
        outcome: 'blocked',
        files: outside,
        reason: `land.scope is 'block' and its commits change ${what} — move those changes to the instance that owns them, widen the role's paths or sharedPaths, or set land.scope: 'warn'`,
      };
    } else opts.onNotice?.(`${p.inst.id}: lands ${what}`);
  }
}
