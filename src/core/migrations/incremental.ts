import type { WorktreeChange } from './sources.js';

/**
 * Update an instance's uncommitted changes for one file that an event named, without running
 * `git status`: compare the file's blob id on disk with the one at HEAD. `oid` null = gone.
 * Badly named files sit in `head` with an empty id (content is not compared for them).
 */
export function applyFileChange(
  worktree: readonly WorktreeChange[],
  head: ReadonlyMap<string, string>,
  relPath: string,
  oid: string | null,
  skipped?: string,
): WorktreeChange[] {
  const rest = worktree.filter((w) => w.path !== relPath);
  const atHead = head.get(relPath);
  const why = skipped ? { skipped } : {};
  if (oid === null)
    return atHead === undefined ? rest : [...rest, { xy: ' D', path: relPath, oid }];
  if (atHead === undefined) return [...rest, { xy: '??', path: relPath, oid, ...why }];
  if ((atHead === oid || atHead === '') && !skipped) return rest;
  return [...rest, { xy: ' M', path: relPath, oid, ...why }];
}
