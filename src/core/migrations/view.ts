import path from 'node:path';
import { classify, type EditEntry, type InstanceView, type MainView, type Where } from './model.js';
import type { InstanceRaw, Layout } from './sources.js';

/**
 * Fold an instance's commits and its uncommitted files into what it adds and what it changes
 * of main. The worktree wins over the branch for the same path: an agent editing its own new
 * migration is not a collision with its last commit.
 */
export function instanceView(
  id: string | null,
  band: string | null,
  raw: InstanceRaw,
  main: MainView,
  layout: Layout,
): InstanceView {
  const added = new Map<string, { where: Where; oid: string }>();
  const edits = new Map<string, EditEntry>();
  const mainOid = (p: string) => main.byName(path.posix.basename(p))?.oid;
  const edit = (p: string, change: EditEntry['change'], where: EditEntry['where'], to?: string) =>
    edits.set(p, { instance: id, where, path: p, change, ...(to ? { renamedTo: to } : {}) });

  for (const c of raw.branch) {
    if (c.status === 'A' || c.status === 'C')
      added.set(c.to ?? c.path, { where: 'branch', oid: c.oid });
    else if (c.status === 'D') edit(c.path, 'deleted', 'branch');
    else if (c.status === 'R') {
      edit(c.path, 'renamed', 'branch', c.to);
      added.set(c.to!, { where: 'branch', oid: c.oid });
    } else if (mainOid(c.path) !== c.oid) edit(c.path, 'modified', 'branch');
  }
  for (const w of raw.worktree) {
    const own = added.get(w.path);
    if (w.oid === null) {
      if (own) added.delete(w.path);
      else edit(w.path, 'deleted', 'worktree');
    } else if (own) {
      if (own.oid !== w.oid) added.set(w.path, { where: 'worktree', oid: w.oid });
    } else if ((w.xy === '??' || w.xy[0] === 'A') && !edits.has(w.path)) {
      // Not in the instance's base: a new file (maybe named like a later file on main).
      added.set(w.path, { where: 'worktree', oid: w.oid });
    } else if (mainOid(w.path) === w.oid) {
      edits.delete(w.path);
    } else {
      edit(w.path, 'modified', 'worktree');
    }
  }

  const view: InstanceView = { id, band, added: [], edits: [], badNames: [], skipped: [] };
  for (const w of raw.worktree) {
    if (w.skipped && path.posix.dirname(w.path) === layout.dir)
      view.skipped!.push({ instance: id, where: 'worktree', path: w.path, reason: w.skipped });
  }
  for (const [p, a] of added) {
    // The same file (name and content) as on main is that migration, not a new one.
    if (mainOid(p) === a.oid) continue;
    const c = classify(p, layout.dir, layout.re, a.where, id, a.oid);
    if (c.kind === 'migration') view.added.push(c.entry);
    else if (c.kind === 'bad-name') view.badNames.push(c.entry);
  }
  for (const e of edits.values()) {
    if (path.posix.dirname(e.path) === layout.dir && mainOid(e.path) !== undefined)
      view.edits.push(e);
  }
  return view;
}
