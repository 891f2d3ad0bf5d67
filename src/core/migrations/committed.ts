import { readBranches, readBranchesOrNull } from './branches.js';
import type { MainView } from './model.js';
import {
  cacheDirOf,
  cacheKeys,
  readBranchesKept,
  readMain,
  readTips,
  writeBranches,
  writeMain,
} from './read-cache.js';
import { readTree, type BranchChange, type Layout } from './sources.js';

export interface Committed {
  main: MainView;
  /** Branch name → its commits' net changes to the migrations directory. */
  branches: Map<string, BranchChange[]>;
}

/**
 * Main's migrations at `mainRef` and every branch's commits not on it, kept per commit id
 * (read-cache.ts): one `git for-each-ref` for the ids, then git is read only for what is not
 * kept — at those ids, never at the refs again. Null when `mainRef` does not exist.
 */
export async function readCommitted(
  rootDir: string,
  mainRef: string,
  branches: readonly string[],
  layout: Layout,
  pattern: string,
): Promise<Committed | null> {
  const dir = cacheDirOf(rootDir);
  if (!dir) {
    const [main, br] = await Promise.all([
      readTree(rootDir, mainRef, layout),
      readBranches(rootDir, mainRef, branches, layout),
    ]);
    return main ? { main, branches: br } : null;
  }
  const ids = await readTips(rootDir, [mainRef, ...branches.map((b) => `refs/heads/${b}`)]);
  const mainOid = ids.get(mainRef);
  if (!mainOid) return null;
  const tips = new Map<string, string>();
  for (const b of branches) {
    const tip = ids.get(`refs/heads/${b}`);
    if (tip) tips.set(b, tip);
  }
  const keys = cacheKeys(
    dir,
    layout,
    pattern,
    mainOid,
    branches.map((b) => [b, tips.get(b) ?? '']),
  );
  const keptMain = readMain(keys, layout);
  const keptBranches = readBranchesKept(keys);
  const [main, br] = await Promise.all([
    keptMain ?? readTree(rootDir, mainOid, layout),
    keptBranches ?? readBranchesOrNull(rootDir, mainOid, branches, layout, tips),
  ]);
  if (!main) return null;
  if (!keptMain) writeMain(keys, main);
  if (br && !keptBranches) writeBranches(keys, br);
  return { main, branches: br ?? new Map(branches.map((b) => [b, []])) };
}
