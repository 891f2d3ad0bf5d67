import type { ResolvedConfig } from '../../config/types.js';
import { parseDiffTreeStdin } from '../git/diff-tree.js';
import { git } from '../git/run.js';
import { outsideScope, scopeGlobs } from '../insight/scope.js';
import { isCandidate, type PlannedInstance } from './plan.js';

/**
 * Files changed by each commit (against its parent), for every instance's commits in one
 * `git diff-tree --stdin` (was one per instance, one after the other).
 */
async function filesByCommit(
  cwd: string,
  commits: readonly string[],
  env?: Record<string, string>,
): Promise<Map<string, Set<string>>> {
  if (commits.length === 0) return new Map();
  const res = await git(['diff-tree', '--stdin', '-r', '--name-status', '--no-renames', '-z'], {
    cwd,
    readOnly: true,
    input: `${commits.join('\n')}\n`,
    ...(env ? { env } : {}),
  });
  return parseDiffTreeStdin(res.stdout);
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
  const judged = planned.filter(
    (p) => isCandidate(p) && p.commits.length > 0 && scopeGlobs(config, p.inst).paths.length > 0,
  );
  const files = await filesByCommit(
    config.rootDir,
    judged.flatMap((p) => p.commits),
    opts.env,
  );
  for (const p of judged) {
    const { paths, shared } = scopeGlobs(config, p.inst);
    const mine = p.commits.flatMap((c) => [...(files.get(c) ?? [])]);
    const outside = outsideScope(mine, paths, shared);
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
