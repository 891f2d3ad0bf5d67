import { createHash } from 'node:crypto';
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { locateGitDirs } from '../git/locate.js';
import { fleetDir } from '../git/repo.js';
import { git } from '../git/run.js';
import { decodeMain, encodeMain } from './kept-main.js';
import type { MainView } from './model.js';
import type { BranchChange, Layout } from './sources.js';

/**
 * What `migrations check` reads from git objects, kept per commit id in the git common dir's
 * `fleet-tui/migrations-cache/`: main's classified migrations (one `ls-tree` of 5,000 names and
 * the pattern run on each) and the instance branches' folded commits (one `git log` over every
 * branch, which inflates main's directory tree once per branch commit: the longest git process of
 * a check). Both are functions of immutable objects, so an entry is never stale: its name is the
 * hash of main's commit id, every branch's tip id, the directory and the pattern (for main's
 * classification) — a moved ref is another name, read from git and kept anew. Each file starts
 * with a line holding its key and the SHA-256 of the rest; a file that does not parse, is cut
 * short or altered, or is for another key is not used (git is read again and the file replaced),
 * so a damaged cache costs time, never a missed collision. The caller reads git at the ids it
 * looked up (never at the refs, which may have moved since). Main's entry is text searched in
 * place (kept-main.ts), the branches' is JSON.
 */
/** Bumped with any change to what an entry holds or to how classify() reads a name. */
const VERSION = 2;
const KEEP = 8;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface CacheKeys {
  dir: string;
  main: string;
  branches: string;
}

/** The cache directory of the repository at `rootDir`; null where its git dirs are not found. */
export function cacheDirOf(rootDir: string): string | null {
  const dirs = locateGitDirs(rootDir);
  return dirs ? path.join(fleetDir(dirs.commonDir), 'migrations-cache') : null;
}

/** Commit ids of `refs` (full names), one `git for-each-ref`; a missing ref is absent. */
export async function readTips(cwd: string, refs: readonly string[]): Promise<Map<string, string>> {
  const res = await git(['for-each-ref', '--format=%(objectname) %(refname)', ...refs], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  const tips = new Map<string, string>();
  if (res.exitCode !== 0) return tips;
  const wanted = new Set(refs);
  for (const line of res.stdout.split('\n')) {
    const sp = line.indexOf(' ');
    const ref = line.slice(sp + 1);
    // A pattern also matches refs below it (refs/heads/a matches refs/heads/a/b): exact names only.
    if (sp > 0 && wanted.has(ref)) tips.set(ref, line.slice(0, sp));
  }
  return tips;
}

/** The names of the two entries for main at `mainOid` and these branch tips ('' = missing). */
export function cacheKeys(
  dir: string,
  layout: Layout,
  pattern: string,
  mainOid: string,
  branchTips: ReadonlyArray<readonly [branch: string, tip: string]>,
): CacheKeys {
  const base = `${VERSION}\0${mainOid}\0${layout.dir}`;
  return {
    dir,
    main: `main-${sha256(`${base}\0${pattern}`)}`,
    branches: `branches-${sha256(`${base}\0${JSON.stringify(branchTips)}`)}`,
  };
}

/** The body of a kept entry whose header names `name` and the checksum of that body. */
function readBody(dir: string, name: string): string | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(dir, name));
  } catch {
    return undefined; // Not kept yet.
  }
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return undefined;
  // The bytes are hashed, not the text: encoding 500 kB to hash it again cost more than the hash.
  const sum = createHash('sha256')
    .update(bytes.subarray(nl + 1))
    .digest('hex');
  if (bytes.toString('latin1', 0, nl) !== `${name} ${sum}`) return undefined;
  return bytes.toString('utf8', nl + 1);
}

function readEntry(dir: string, name: string): unknown {
  const body = readBody(dir, name);
  if (body === undefined) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return undefined; // Checksummed but not JSON (another version's writer): read git instead.
  }
}

/** Best effort: a cache that cannot be written costs the next check a read of git. */
function writeEntry(dir: string, name: string, data: unknown): void {
  writeBody(dir, name, JSON.stringify(data));
}

function writeBody(dir: string, name: string, body: string): void {
  try {
    const file = path.join(dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(tmp, `${name} ${sha256(body)}\n${body}`, { flag: 'w' });
    renameSync(tmp, file);
    prune(dir, name.slice(0, name.indexOf('-') + 1));
  } catch {
    // Read-only repository, full disk: nothing lost but time.
  }
}

/** Keep the KEEP newest entries of one kind (and drop temp files of crashed writers). */
function prune(dir: string, prefix: string): void {
  const mine = readdirSync(dir).filter((n) => n.startsWith(prefix));
  const aged = mine.map((n) => {
    try {
      return { n, t: statSync(path.join(dir, n)).mtimeMs };
    } catch {
      return { n, t: 0 };
    }
  });
  aged.sort((a, b) => b.t - a.t);
  for (const [i, a] of aged.entries()) {
    if (i >= KEEP || a.n.endsWith('.tmp')) rmSync(path.join(dir, a.n), { force: true });
  }
}

const isStr = (v: unknown): v is string => typeof v === 'string';

/** Main's migrations as kept (kept-main.ts), or null when not kept or not usable. */
export function readMain(keys: CacheKeys, layout: Layout): MainView | null {
  const body = readBody(keys.dir, keys.main);
  return body === undefined ? null : decodeMain(body, layout);
}

export function writeMain(keys: CacheKeys, main: MainView): void {
  const body = encodeMain(main);
  if (body !== null) writeBody(keys.dir, keys.main, body);
}

/** The branches' folded changes as kept: `[branch, [[status, path, to, oid]…]]` per branch. */
export function readBranchesKept(keys: CacheKeys): Map<string, BranchChange[]> | null {
  const data = readEntry(keys.dir, keys.branches);
  if (!Array.isArray(data)) return null;
  const out = new Map<string, BranchChange[]>();
  for (const row of data as unknown[]) {
    if (!Array.isArray(row) || row.length !== 2 || !isStr(row[0]) || !Array.isArray(row[1]))
      return null;
    const changes: BranchChange[] = [];
    for (const c of row[1] as unknown[]) {
      if (!Array.isArray(c) || c.length !== 4) return null;
      const [status, p, to, oid] = c as unknown[];
      if (!isStr(status) || !isStr(p) || !isStr(oid) || !(to === null || isStr(to))) return null;
      changes.push(to === null ? { status, path: p, oid } : { status, path: p, to, oid });
    }
    out.set(row[0], changes);
  }
  return out;
}

export function writeBranches(keys: CacheKeys, branches: Map<string, BranchChange[]>): void {
  writeEntry(
    keys.dir,
    keys.branches,
    [...branches].map(([b, cs]) => [b, cs.map((c) => [c.status, c.path, c.to ?? null, c.oid])]),
  );
}
