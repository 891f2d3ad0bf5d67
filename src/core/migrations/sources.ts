import { stat } from 'node:fs/promises';
import path from 'node:path';
import { git } from '../git/run.js';
import { FleetError } from '../errors.js';
import { readMigrationFile, readMigrationFileSync, type FileRead } from './safe-read.js';
import {
  buildMainView,
  classify,
  type BadNameEntry,
  type MainView,
  type MigrationEntry,
} from './model.js';

/** How to read one tree: the migrations directory and its file-name pattern. */
export interface Layout {
  dir: string;
  re: RegExp;
}

/** One change in an instance's commits (`git diff --raw <main>...<tip>`). */
export interface BranchChange {
  status: string;
  path: string;
  /** Rename target. */
  to?: string;
  oid: string;
}

/** One entry of `git status` in the worktree's migrations directory, content already hashed. */
export interface WorktreeChange {
  /** Two-letter porcelain code. */
  xy: string;
  path: string;
  /** Blob id of the file on disk; null when it is gone. */
  oid: string | null;
  /** Why the file was not read (not a regular file, a symlink leaving the worktree, too big). */
  skipped?: string;
}

export interface InstanceRaw {
  branch: BranchChange[];
  worktree: WorktreeChange[];
}

const NUL = '\0';

/** `<remote>/<main>`'s migrations (one `git ls-tree`, no checkout); null when the ref is missing. */
export async function readTree(cwd: string, ref: string, layout: Layout): Promise<MainView | null> {
  const res = await git(['ls-tree', '-z', ref, '--', `${layout.dir}/`], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  if (res.exitCode !== 0) return null;
  const entries: MigrationEntry[] = [];
  const bad: BadNameEntry[] = [];
  for (const rec of res.stdout.split(NUL)) {
    // `<mode> <type> <oid>\t<path>`
    const tab = rec.indexOf('\t');
    if (tab < 0 || rec.slice(7, 11) !== 'blob') continue;
    const c = classify(rec.slice(tab + 1), layout.dir, layout.re, 'main', null, rec.slice(12, tab));
    if (c.kind === 'migration') entries.push(c.entry);
    else if (c.kind === 'bad-name') bad.push(c.entry);
  }
  return buildMainView(entries, bad);
}

/** The main ref to read: `<remote>/<main>`, or the local `<main>` before the first fetch. */
export async function resolveMainRef(cwd: string, remote: string, main: string): Promise<string> {
  for (const ref of [`refs/remotes/${remote}/${main}`, `refs/heads/${main}`]) {
    const res = await git(['rev-parse', '-q', '--verify', `${ref}^{commit}`], {
      cwd,
      readOnly: true,
      allowFail: true,
    });
    if (res.exitCode === 0) return ref;
  }
  throw new FleetError(
    `neither ${remote}/${main} nor ${main} exists in ${cwd} — run "git fetch ${remote}" first`,
  );
}

/** Parse `git diff --raw -z --no-abbrev` output. */
export function parseRawDiff(out: string): BranchChange[] {
  const tok = out.split(NUL);
  const changes: BranchChange[] = [];
  for (let i = 0; i < tok.length; i++) {
    const meta = tok[i]!;
    if (!meta.startsWith(':')) continue;
    const fields = meta.split(' ');
    const status = fields[4] ?? '';
    const oid = fields[3] ?? '';
    const p = tok[++i] ?? '';
    if (status.startsWith('R') || status.startsWith('C')) {
      changes.push({ status: status[0]!, path: p, to: tok[++i] ?? '', oid });
    } else {
      changes.push({ status: status[0] ?? '?', path: p, oid });
    }
  }
  return changes;
}

/** The commits of `tip` not on `base`, limited to the migrations directory. */
export async function readRange(
  cwd: string,
  range: string,
  layout: Layout,
): Promise<BranchChange[]> {
  const res = await git(
    ['diff', '--raw', '-z', '--no-abbrev', '-M', range, '--', `${layout.dir}/`],
    { cwd, readOnly: true, allowFail: true },
  );
  return res.exitCode === 0 ? parseRawDiff(res.stdout) : [];
}

/** One `git diff-tree --stdin` over ranges whose `to` are all different (see readRanges). */
async function diffTreeBatch(
  cwd: string,
  ranges: ReadonlyArray<readonly [from: string, to: string]>,
  layout: Layout,
): Promise<Map<string, BranchChange[]>> {
  const res = await git(
    ['diff-tree', '--stdin', '-r', '--raw', '-z', '--no-abbrev', '-M', '--', `${layout.dir}/`],
    { cwd, readOnly: true, allowFail: true, input: ranges.map(([f, t]) => `${t} ${f}\n`).join('') },
  );
  if (res.exitCode !== 0) {
    throw new FleetError(
      `git diff-tree failed in ${cwd}: ${res.stderr.trim().split('\n')[0] ?? ''}`,
    );
  }
  const byTo = new Map<string, string[]>();
  let current: string[] | null = null;
  const tok = res.stdout.split(NUL);
  for (let i = 0; i < tok.length; i++) {
    const t = tok[i]!;
    if (t.startsWith(':')) {
      // A record: its path (two for a rename or copy) follows.
      const two = /^:\S+ \S+ \S+ \S+ [RC]/.test(t);
      const rec = [t, tok[i + 1] ?? '', ...(two ? [tok[i + 2] ?? ''] : [])];
      i += rec.length - 1;
      current?.push(...rec);
    } else if (/^[0-9a-f]{40,64}$/.test(t)) {
      current = [];
      byTo.set(t, current);
    }
  }
  return new Map([...byTo].map(([to, toks]) => [to, parseRawDiff(toks.join(NUL))]));
}

/**
 * Several ranges `from..to` at once, each with the changes `git diff from..to` shows (readRange).
 * One `git diff-tree --stdin` reads them all: a line `<to> <from>` diffs `to` against `from` as
 * its parent. Its output names each `to` before that range's changes and prints nothing for a
 * range without any, so a batch holds ranges with different `to`s (a chain's segments have; a
 * repeated `to` goes to another batch) and an empty range (`from` = `to`) is not asked.
 */
export async function readRanges(
  cwd: string,
  ranges: ReadonlyArray<readonly [from: string, to: string]>,
  layout: Layout,
): Promise<BranchChange[][]> {
  const batches: Array<Array<readonly [string, string]>> = [];
  const where = ranges.map(([from, to]) => {
    if (from === to) return -1;
    let b = batches.findIndex((batch) => !batch.some(([, t]) => t === to));
    if (b < 0) b = batches.push([]) - 1;
    batches[b]!.push([from, to]);
    return b;
  });
  const read = await Promise.all(batches.map((batch) => diffTreeBatch(cwd, batch, layout)));
  return ranges.map(([, to], k) => (where[k]! < 0 ? [] : (read[where[k]!]!.get(to) ?? [])));
}

/**
 * Uncommitted changes (tracked and untracked) in the worktree's migrations directory. `sync`:
 * the files are read with blocking calls (readMigrationFileSync: one-shot commands only).
 */
export async function readWorktree(
  cwd: string,
  layout: Layout,
  opts: { sync?: boolean } = {},
): Promise<WorktreeChange[]> {
  const res = await git(
    [
      'status',
      '--porcelain=v1',
      '-z',
      '--no-renames',
      '--untracked-files=all',
      '--',
      `${layout.dir}/`,
    ],
    { cwd, readOnly: true, allowFail: true },
  );
  if (res.exitCode !== 0) return [];
  const recs = res.stdout.split(NUL).filter((r) => r.length > 3);
  if (opts.sync) {
    return recs.map((rec): WorktreeChange => {
      const xy = rec.slice(0, 2);
      const p = rec.slice(3);
      if (xy.includes('D')) return { xy, path: p, oid: null };
      return { xy, path: p, ...readMigrationFileSync(cwd, p) };
    });
  }
  return Promise.all(
    recs.map(async (rec): Promise<WorktreeChange> => {
      const xy = rec.slice(0, 2);
      const p = rec.slice(3);
      if (xy.includes('D')) return { xy, path: p, oid: null };
      return { xy, path: p, ...(await readMigrationFile(cwd, p)) };
    }),
  );
}

export async function isWorktree(dir: string): Promise<boolean> {
  try {
    await stat(path.join(dir, '.git'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Read an instance: its worktree (commits since main + uncommitted files) when the worktree
 * exists, otherwise only its branch's commits. A missing branch reads as no changes.
 */
export async function readInstanceRaw(
  rootDir: string,
  worktreePath: string | null,
  branch: string | null,
  mainRef: string,
  layout: Layout,
): Promise<InstanceRaw> {
  if (worktreePath && (await isWorktree(worktreePath))) {
    const [b, w] = await Promise.all([
      readRange(worktreePath, `${mainRef}...HEAD`, layout),
      readWorktree(worktreePath, layout),
    ]);
    return { branch: b, worktree: w };
  }
  if (!branch) return { branch: [], worktree: [] };
  return {
    branch: await readRange(rootDir, `${mainRef}...refs/heads/${branch}`, layout),
    worktree: [],
  };
}

/** The migrations directory at the worktree's HEAD: path → blob id (for incremental updates). */
export async function readHeadTree(cwd: string, layout: Layout): Promise<Map<string, string>> {
  const tree = await readTree(cwd, 'HEAD', layout);
  const map = new Map<string, string>();
  if (!tree) return map;
  for (const e of tree.entries) map.set(e.path, e.oid);
  for (const b of tree.badNames) map.set(b.path, '');
  return map;
}

/** A worktree file's blob id (null when gone), or why it was skipped (readMigrationFile). */
export function fileState(root: string, rel: string): Promise<FileRead> {
  return readMigrationFile(root, rel);
}
