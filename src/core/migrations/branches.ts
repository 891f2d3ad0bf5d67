import { git } from '../git/run.js';
import { parseRawDiff, type BranchChange, type Layout } from './sources.js';

/**
 * Every instance branch's commits not on main, in one git process: `git log --source` over all
 * branches at once (instead of one `git diff` per branch; spawning from a large node process
 * costs more than git's work here). Each commit's changes are folded per branch into the net
 * change against the branch's base, like `git diff <main>...<branch>` would report it.
 *
 * With `tips` (branch → commit id, read-cache.ts) the walk starts from those ids instead of the
 * refs, which may have moved since they were looked up; a branch without a tip is missing. It is
 * the same walk: `--source` labels each commit with the first starting point on the command line
 * that reaches it, so an id stands for the first branch at that id, as its ref name did.
 */
export async function readBranches(
  cwd: string,
  mainRef: string,
  branches: readonly string[],
  layout: Layout,
  tips?: ReadonlyMap<string, string>,
): Promise<Map<string, BranchChange[]>> {
  return (
    (await readBranchesOrNull(cwd, mainRef, branches, layout, tips)) ??
    new Map(branches.map((b) => [b, []]))
  );
}

/** readBranches, or null when git could not read them (what read-cache.ts must not keep). */
export async function readBranchesOrNull(
  cwd: string,
  mainRef: string,
  branches: readonly string[],
  layout: Layout,
  tips?: ReadonlyMap<string, string>,
): Promise<Map<string, BranchChange[]> | null> {
  const refs = branches.map((b) => (tips ? (tips.get(b) ?? '') : `refs/heads/${b}`));
  const out = new Map<string, BranchChange[]>(branches.map((b) => [b, []]));
  // The branch each label stands for: with ids, two branches at one commit share a label.
  const owner = new Map<string, string>();
  for (const [k, r] of refs.entries()) if (r && !owner.has(r)) owner.set(r, branches[k]!);
  const starts = [...owner.keys()];
  if (starts.length === 0) return out;
  const res = await git(
    [
      'log',
      '--reverse',
      '--no-merges',
      '--raw',
      '-z',
      '--no-abbrev',
      '-M',
      '--source',
      '--format=%x01%H %S',
      '--ignore-missing',
      `^${mainRef}`,
      ...starts,
      '--',
      `${layout.dir}/`,
    ],
    { cwd, readOnly: true, allowFail: true },
  );
  if (res.exitCode !== 0) return null;
  const perRef = new Map<string, BranchChange[][]>();
  for (const chunk of res.stdout.split('\x01')) {
    const end = chunk.indexOf('\0');
    if (end < 0) continue;
    const ref = chunk.slice(chunk.indexOf(' ') + 1, end);
    const list = perRef.get(ref) ?? [];
    list.push(parseRawDiff(chunk.slice(end + 1).replace(/^\n/, '')));
    perRef.set(ref, list);
  }
  for (const [k, b] of branches.entries()) {
    const label = refs[k]!;
    if (label && owner.get(label) === b) out.set(b, fold(perRef.get(label) ?? []));
  }
  return out;
}

interface Net {
  inBase: boolean;
  oid: string | null;
  renamedTo?: string;
}

/** Fold a branch's commits (oldest first) into net changes against its base. */
export function fold(commits: readonly BranchChange[][]): BranchChange[] {
  const net = new Map<string, Net>();
  const touch = (p: string, inBaseIfNew: boolean) => {
    let n = net.get(p);
    if (!n) {
      n = { inBase: inBaseIfNew, oid: null };
      net.set(p, n);
    }
    return n;
  };
  for (const changes of commits) {
    for (const c of changes) {
      if (c.status === 'A' || c.status === 'C') {
        const n = touch(c.to ?? c.path, false);
        n.oid = c.oid;
        delete n.renamedTo;
      } else if (c.status === 'D') {
        touch(c.path, true).oid = null;
      } else if (c.status === 'R') {
        const from = touch(c.path, true);
        from.oid = null;
        from.renamedTo = c.to!;
        const n = touch(c.to!, false);
        n.oid = c.oid;
        delete n.renamedTo;
      } else {
        touch(c.path, true).oid = c.oid;
      }
    }
  }
  const result: BranchChange[] = [];
  for (const [p, n] of net) {
    if (!n.inBase) {
      if (n.oid) result.push({ status: 'A', path: p, oid: n.oid });
    } else if (n.oid) {
      result.push({ status: 'M', path: p, oid: n.oid });
    } else if (n.renamedTo && net.get(n.renamedTo)?.oid) {
      result.push({ status: 'R', path: p, to: n.renamedTo, oid: net.get(n.renamedTo)!.oid! });
    } else {
      result.push({ status: 'D', path: p, oid: '' });
    }
  }
  // A rename's target is reported by its 'R' entry; drop the duplicate add.
  const renamedTargets = new Set(result.filter((c) => c.status === 'R').map((c) => c.to));
  return result.filter((c) => !(c.status === 'A' && renamedTargets.has(c.path)));
}
