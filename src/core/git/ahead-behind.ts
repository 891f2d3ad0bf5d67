import { guessRef } from './head-guess.js';
import { git } from './run.js';
import type { MainTip } from './status-types.js';

export interface AheadBehind {
  ahead: number;
  behind: number;
}

/** Commits reachable from `tip` among the listed ones (`parentsOf`); the rest are common. */
export function reach(tip: string, parentsOf: Map<string, string[]>): Set<string> {
  const seen = new Set<string>();
  const stack = [tip];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (seen.has(c) || !parentsOf.has(c)) continue;
    seen.add(c);
    stack.push(...parentsOf.get(c)!);
  }
  return seen;
}

/** `ref`'s commit, or null where git has none (`rev-parse --verify`). */
export function mainTip(cwd: string, ref: string): MainTip {
  const commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], {
    cwd,
    readOnly: true,
    allowFail: true,
  }).then(
    (r) => (r.exitCode === 0 && r.stdout.trim()) || null,
    () => null,
  );
  return { ref, commit, guess: guessRef(cwd, ref) };
}

/**
 * Commits each head has that `main` lacks, and the reverse, for many heads in three git
 * processes instead of one `rev-list --left-right --count` each: `rev-parse` of main (`tip`,
 * when the caller has already asked) beside
 * `merge-base --octopus --all` of main and every head (the best commits they all share), then
 * one `rev-list --parents` of everything above those. A commit every tip reaches is an ancestor
 * of one of those bases (so it is not listed), and it counts on neither side of any pair; so
 * counting within the listing is exact. Null when git cannot answer (no main, unrelated
 * histories): the caller counts per head then.
 */
export async function aheadBehindMany(
  cwd: string,
  main: string,
  heads: readonly string[],
  tip?: MainTip,
): Promise<Map<string, AheadBehind> | null> {
  const tips = [...new Set(heads)];
  if (tips.length === 0) return new Map();
  const opts = { cwd, readOnly: true, allowFail: true };
  const [mainSha, bases] = await Promise.all([
    (tip?.ref === main ? tip : mainTip(cwd, main)).commit,
    git(['merge-base', '--octopus', '--all', '--end-of-options', main, ...tips], opts),
  ]);
  const common = bases.stdout.split('\n').filter(Boolean);
  if (!mainSha || bases.exitCode !== 0 || common.length === 0) return null;
  const list = await git(
    [
      'rev-list',
      '--parents',
      '--end-of-options',
      mainSha,
      ...tips,
      ...common.map((b) => `^${b}`),
      '--',
    ],
    opts,
  );
  if (list.exitCode !== 0) return null;
  const parentsOf = new Map<string, string[]>();
  for (const line of list.stdout.split('\n')) {
    const [sha, ...parents] = line.split(' ');
    if (sha) parentsOf.set(sha, parents);
  }
  const onMain = reach(mainSha, parentsOf);
  const out = new Map<string, AheadBehind>();
  for (const h of tips) {
    const mine = reach(h, parentsOf);
    let ahead = 0;
    for (const c of mine) if (!onMain.has(c)) ahead++;
    let behind = 0;
    for (const c of onMain) if (!mine.has(c)) behind++;
    out.set(h, { ahead, behind });
  }
  return out;
}
