// What must hold after every land, sync and kill+recover: each branch tip's content is on main
// or still on its branch (backups do not count), and every file of every worktree that is not
// clean-and-tracked (untracked, ignored, uncommitted) is byte-identical, with the same status.
import { createHash } from 'node:crypto';
import { lstat, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import type { FleetFixture } from '../helpers/git-fixture.js';
import { gitSync } from './fleet-apply.js';
import { heldAtRenamedPath, movedOnMain } from './follow-renames.js';

interface InstanceState {
  id: string;
  branch: string;
  wt: string;
  tip: string;
  /** `XY path` → content fingerprint, for every entry `git status` lists (ignored included). */
  files: Map<string, string>;
}

export interface FleetState {
  main: string;
  instances: InstanceState[];
}

async function fingerprint(file: string): Promise<string> {
  const st = await lstat(file).catch(() => null);
  if (!st) return 'missing';
  if (st.isSymbolicLink()) return `link:${await readlink(file)}`;
  if (st.isDirectory()) return 'dir';
  const h = createHash('sha1')
    .update(await readFile(file))
    .digest('hex');
  return `${st.mode & 0o111 ? 'x' : '-'}:${h}`;
}

async function worktreeFiles(wt: string): Promise<Map<string, string>> {
  const out = gitSync(wt, [
    'status',
    '--porcelain=v1',
    '-z',
    '--untracked-files=all',
    '--ignored=matching',
  ]).split('\0');
  const files = new Map<string, string>();
  for (let i = 0; i < out.length; i++) {
    const e = out[i]!;
    if (e.length < 4) continue;
    const xy = e.slice(0, 2);
    const rel = e.slice(3);
    if (xy.includes('R') || xy.includes('C')) i++; // the origin path follows
    files.set(`${xy} ${rel}`, await fingerprint(path.join(wt, rel)));
  }
  return files;
}

export async function captureState(fx: FleetFixture): Promise<FleetState> {
  const main = gitSync(fx.origin, ['rev-parse', 'main']).trim();
  const instances: InstanceState[] = [];
  for (const i of fx.instances) {
    instances.push({
      id: i.id,
      branch: i.branch,
      wt: i.worktree,
      tip: gitSync(fx.repo, ['rev-parse', `refs/heads/${i.branch}`]).trim(),
      files: await worktreeFiles(i.worktree),
    });
  }
  return { main, instances };
}

const isAncestor = (cwd: string, a: string, b: string) => {
  try {
    gitSync(cwd, ['merge-base', '--is-ancestor', a, b]);
    return true;
  } catch {
    return false;
  }
};

/** `git merge-tree --write-tree -z --name-only into tip`: result tree and conflicted paths. */
function mergeInto(
  repo: string,
  into: string,
  tip: string,
): { tree: string; conflicted: string[] } {
  let out: string;
  try {
    out = gitSync(repo, ['merge-tree', '--write-tree', '--name-only', '-z', into, tip]);
  } catch (e) {
    out = String((e as { stdout?: Buffer }).stdout?.toString('latin1') ?? '');
  }
  const [tree, ...rest] = out.split('\0');
  const end = rest.indexOf('');
  return { tree: tree ?? '', conflicted: end < 0 ? [] : rest.slice(0, end) };
}

/**
 * Paths of `tip`'s own change (against its merge base with `into`) that `into` does not hold:
 * merging tip into it would change them, and `into` never had tip's entry there since the
 * base (a later change may supersede it). A renamed file counts as held when its new path is.
 */
export function lostContent(repo: string, tip: string, into: string): string[] {
  const m = mergeInto(repo, into, tip);
  const differ = m.tree
    ? gitSync(repo, [
        'diff-tree',
        '-r',
        '-z',
        '--name-only',
        '--no-renames',
        `${into}^{tree}`,
        m.tree,
      ])
        .split('\0')
        .filter(Boolean)
    : [];
  const candidates = [...new Set([...m.conflicted, ...differ])];
  const base = gitSync(repo, ['merge-base', into, tip]).trim().split('\n')[0]!;
  const want = new Map<string, string>();
  const renamedTo = new Set<string>();
  const raw = gitSync(repo, ['diff-tree', '-r', '-z', '-M', base, tip]).split('\0');
  for (let i = 0; i + 1 < raw.length;) {
    const [, mode, , sha, status] = raw[i]!.split(' ');
    if (status?.startsWith('R') || status?.startsWith('C')) {
      renamedTo.add(raw[i + 2]!);
      want.set(raw[i + 2]!, `${mode} ${sha}`);
      i += 3;
    } else {
      want.set(raw[i + 1]!, /^0+$/.test(sha ?? '') ? 'gone' : `${mode} ${sha}`);
      i += 2;
    }
  }
  const has = (p: string) => gitSync(repo, ['ls-tree', into, '--', p]).trim() !== '';
  // A file that is a copy of a base file (moved, or copied) carries no content of its own but
  // its path: git follows the move and applies main's later edits there, which is not a loss.
  const baseBlobs = new Set(
    gitSync(repo, ['ls-tree', '-r', base])
      .split('\n')
      .map((l) => l.split('\t')[0]!.split(' ')[2]),
  );
  const copied = (p: string) => baseBlobs.has(want.get(p)?.split(' ')[1]);
  // Content that another change moved elsewhere (a rename on main, followed by git) is held too.
  const intoBlobs = new Set(
    gitSync(repo, ['ls-tree', '-r', into])
      .split('\n')
      .map((l) => l.split('\t')[0]!.split(' ')[2]),
  );
  const missing = candidates.filter(
    (p) =>
      want.has(p) &&
      !((renamedTo.has(p) || copied(p)) && has(p)) &&
      !intoBlobs.has(want.get(p)!.split(' ')[1]),
  );
  // A tip's edit to a path main moved: whether merge-tree saw the move or not, the edit must be
  // in main's file at the new path.
  const movedAway = [...want.keys()].filter(
    (p) =>
      !missing.includes(p) &&
      want.get(p) !== 'gone' &&
      !intoBlobs.has(want.get(p)!.split(' ')[1]) &&
      movedOnMain(repo, base, into, p) &&
      !heldAtRenamedPath(repo, base, into, tip, p),
  );
  if (missing.length === 0) return movedAway;
  const hist = gitSync(repo, [
    'log',
    '--first-parent',
    '-m',
    '--raw',
    '--no-abbrev',
    '--no-renames',
    '-z',
    '--format=',
    `${base}..${into}`,
    '--',
    ...missing,
  ]).split('\0');
  const seen = new Set<string>();
  for (let i = 0; i + 1 < hist.length; i += 2) {
    const meta = hist[i]!.replace(/^\n+/, '');
    if (!meta.startsWith(':')) {
      i--;
      continue;
    }
    const [, mode, , sha] = meta.slice(1).split(' ');
    seen.add(`${hist[i + 1]} ${/^0+$/.test(sha ?? '') ? 'gone' : `${mode} ${sha}`}`);
  }
  return [
    ...missing.filter(
      (p) => !seen.has(`${p} ${want.get(p)}`) && !heldAtRenamedPath(repo, base, into, tip, p),
    ),
    ...movedAway,
  ];
}

/** Paths of `tip`'s content found in none of `places`. */
function lostAll(repo: string, tip: string, places: string[]): string[] {
  const lost = places.map((p) => new Set(lostContent(repo, tip, p)));
  return [...lost[0]!].filter((f) => lost.every((l) => l.has(f)));
}

const blobAt = (repo: string, commit: string, p: string) =>
  gitSync(repo, ['ls-tree', '-z', commit, '--', p]).split('\0')[0]?.split('\t')[0] ?? '';

/**
 * `tip`'s content at `p` is superseded by an instance landed in this land: main's entry there is
 * now that instance's own, and the instance's branch had seen `tip`'s content (its merge base
 * with main holds it: a person merged main into that branch and resolved the file otherwise).
 * Landing carries that resolution faithfully; not a loss. An instance that never saw the content
 * (a replay that pasted its older file over main's) does not count: that is a loss.
 */
export function supersededByLanded(
  repo: string,
  before: { main: string; instances: ReadonlyArray<{ id: string; tip: string }> },
  tip: string,
  p: string,
  main: string,
  outcomes: Map<string, string> | undefined,
): boolean {
  if (!outcomes) return false;
  const now = blobAt(repo, main, p);
  return before.instances.some((i) => {
    if (outcomes.get(i.id) !== 'landed' || i.tip === tip || blobAt(repo, i.tip, p) !== now)
      return false;
    const seen = gitSync(repo, ['merge-base', i.tip, before.main]).trim().split('\n')[0]!;
    return !lostContent(repo, tip, seen).includes(p);
  });
}

/** Violations of "never lose work" between `before` and now. */
export async function violations(
  fx: FleetFixture,
  before: FleetState,
  outcomes?: Map<string, string>,
): Promise<string[]> {
  const bad: string[] = [];
  const now = await captureState(fx);
  if (!isAncestor(fx.origin, before.main, now.main)) bad.push(`main moved backwards`);
  for (const [k, b] of before.instances.entries()) {
    const n = now.instances[k]!;
    const outcome = outcomes?.get(b.id);
    if (outcome && outcome !== 'landed' && outcome !== 'nothing' && n.tip !== b.tip)
      bad.push(
        `${b.id}: ${outcome} but its branch moved ${b.tip.slice(0, 7)} → ${n.tip.slice(0, 7)}`,
      );
    if (!isAncestor(fx.repo, b.tip, n.tip)) {
      const lost = lostAll(fx.repo, b.tip, [now.main, n.tip]).filter(
        (p) => !supersededByLanded(fx.repo, before, b.tip, p, now.main, outcomes),
      );
      if (lost.length > 0)
        bad.push(
          `${b.id}: content of ${b.tip.slice(0, 7)} neither on main nor on its branch: ${lost.join(', ')}`,
        );
    }
    const status = gitSync(b.wt, ['status']);
    if (
      /rebase in progress|You have unmerged paths|cherry-picking|All conflicts fixed/.test(status)
    )
      bad.push(`${b.id}: worktree left mid-operation`);
    for (const [key, fp] of b.files) {
      if (n.files.get(key) !== fp)
        bad.push(
          `${b.id}: ${key} was ${fp}, now ${n.files.get(key) ?? `not listed (${[...n.files.keys()].join('; ')})`}`,
        );
    }
    for (const key of n.files.keys())
      if (!b.files.has(key)) bad.push(`${b.id}: ${key} appeared in git status`);
  }
  return bad;
}
