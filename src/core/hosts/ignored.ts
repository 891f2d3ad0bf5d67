/**
 * Ignored entries (from `git status --ignored=matching`, directories ending in "/") that a
 * checkout writing `touched` paths could overwrite or delete. The local sync inspects the disk
 * for the finer cases; on a host this errs on the side of refusing: any ignored entry at, above
 * or below a touched path counts.
 */
export function conservativeHits(entries: readonly string[], touched: readonly string[]): string[] {
  const hits = new Set<string>();
  for (const e of entries) {
    const bare = e.replace(/\/$/, '');
    for (const t of touched) {
      if (t === bare || t.startsWith(`${bare}/`) || bare.startsWith(`${t}/`)) hits.add(e);
    }
  }
  return [...hits].sort();
}
