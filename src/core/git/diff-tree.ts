/**
 * Parse `git diff-tree --stdin -r --no-renames --name-status -z` output: a commit id record,
 * then a one-letter status record and a path record per changed file. Positional, so a path
 * that looks like a commit id (or anything else) is read as a path; a commit without changes
 * prints nothing and is absent from the map.
 */
export function parseDiffTreeStdin(out: string): Map<string, Set<string>> {
  const byCommit = new Map<string, Set<string>>();
  const recs = out.split('\0');
  let current: Set<string> | null = null;
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!;
    if (!rec) continue;
    // Renames are off, so a status is one letter with no score; a commit id is 40 or 64 hex.
    if (current && rec.length === 1) {
      current.add(recs[++i] ?? '');
    } else {
      current = byCommit.get(rec) ?? new Set<string>();
      byCommit.set(rec, current);
    }
  }
  return byCommit;
}
