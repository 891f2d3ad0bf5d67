import { createHash } from 'node:crypto';
import path from 'node:path';

/** Where a migration file was seen: `<remote>/<main>`, an instance's commits, its worktree. */
export type Where = 'main' | 'branch' | 'worktree';

/** One migration file as seen in one place. `oid` is git's blob id of its content. */
export interface MigrationEntry {
  instance: string | null;
  where: Where;
  /** Repository-relative path, `<dir>/<file>`. */
  path: string;
  file: string;
  /** First capture group of the pattern; compared as text, never as a number. */
  version: string;
  name: string;
  oid: string;
}

/** A `.sql` file directly in the migrations directory that the pattern does not match. */
export interface BadNameEntry {
  instance: string | null;
  where: Where;
  path: string;
  file: string;
}

/** An instance's change to a migration that exists on main. */
export interface EditEntry {
  instance: string | null;
  where: 'branch' | 'worktree';
  /** The main file that was changed. */
  path: string;
  change: 'modified' | 'deleted' | 'renamed';
  renamedTo?: string;
}

export interface InstanceView {
  id: string | null;
  band: string | null;
  added: MigrationEntry[];
  edits: EditEntry[];
  badNames: BadNameEntry[];
  /** Worktree files in the migrations directory that were not read, and why (safe-read.ts). */
  skipped?: SkippedEntry[];
}

interface SkippedEntry {
  instance: string | null;
  where: 'worktree';
  path: string;
  reason: string;
}

/**
 * Main's migrations, asked the questions the rules ask. A check reads main kept (kept-main.ts)
 * and asks about the few files and versions the instances touch: nothing there builds the
 * 5,000 entries unless `entries` is read.
 */
export interface MainView {
  /** Every migration on main, in git's order. */
  readonly entries: MigrationEntry[];
  badNames: BadNameEntry[];
  /** Highest version on main (text order), '' when empty. */
  maxVersion: string;
  /** How many different migrations (file name and content) are on main. */
  count: number;
  /** Versions that two or more of main's migrations have. */
  repeated: string[];
  /** Main's migration with this file name. */
  byName(file: string): MigrationEntry | undefined;
  /** Is this migration (file name and content) on main? */
  holds(e: { file: string; oid: string }): boolean;
  /** Main's migrations with this version, in main's order. */
  withVersion(version: string): MigrationEntry[];
  /** Main's versions that start with `prefix` (the suggester asks for one day's). */
  versionsFrom(prefix: string): string[];
}

export interface FleetModel {
  main: MainView;
  instances: InstanceView[];
}

export interface Parsed {
  version: string;
  name: string;
}

export function compilePattern(pattern: string): RegExp {
  return new RegExp(pattern);
}

/** Parse a file name with the configured pattern; null when it is not a migration name. */
export function parseName(file: string, re: RegExp): Parsed | null {
  const m = re.exec(file);
  if (!m || m[1] === undefined) return null;
  const version = m[1];
  const name =
    m[2] ??
    file
      .slice(m.index + version.length)
      .replace(/^_/, '')
      .replace(/\.sql$/, '');
  return { version, name };
}

/** Git's blob id of a content, computed in-process instead of spawning `git hash-object`. */
export function blobOid(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export type Classified =
  | { kind: 'migration'; entry: MigrationEntry }
  | { kind: 'bad-name'; entry: BadNameEntry }
  | { kind: 'other' };

const OTHER: Classified = Object.freeze({ kind: 'other' });

/**
 * Decide what a repository path in the migrations directory is: a migration, a badly named
 * `.sql` file, or something else (a README, a nested directory's file) that is ignored.
 * Called for every name on main (5,000 and more) in a process that has just started, so before
 * V8 optimizes anything: the directory and the file name are cut at the last `/` with string
 * built-ins (path.posix.dirname/basename walk the string character by character in interpreted
 * JavaScript: ≈ 3× the cost here), which is the same for the repository paths git prints
 * (relative, no trailing or doubled slashes).
 */
export function classify(
  relPath: string,
  dir: string,
  re: RegExp,
  where: Where,
  instance: string | null,
  oid: string,
): Classified {
  const slash = relPath.lastIndexOf('/');
  if (slash < 0 ? dir !== '.' : relPath.slice(0, slash) !== dir) return OTHER;
  const file = relPath.slice(slash + 1);
  const parsed = parseName(file, re);
  if (parsed) {
    const { version, name } = parsed;
    return {
      kind: 'migration',
      entry: { instance, where, path: relPath, file, oid, version, name },
    };
  }
  if (file.toLowerCase().endsWith('.sql'))
    return { kind: 'bad-name', entry: { instance, where, path: relPath, file } };
  return OTHER;
}

/** Normalize a configured directory to a posix path without trailing slash. */
export function normDir(dir: string): string {
  return path.posix.normalize(dir.replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
}

/** A MainView over entries in memory (read from git, or built by tests). */
export function buildMainView(entries: MigrationEntry[], badNames: BadNameEntry[]): MainView {
  const byFile = new Map<string, MigrationEntry>();
  const byVersion = new Map<string, MigrationEntry[]>();
  const ids = new Set<string>();
  let maxVersion = '';
  for (const e of entries) {
    byFile.set(e.file, e);
    const same = byVersion.get(e.version);
    if (same) same.push(e);
    else byVersion.set(e.version, [e]);
    ids.add(identity(e));
    if (e.version > maxVersion) maxVersion = e.version;
  }
  return {
    entries,
    badNames,
    maxVersion,
    count: ids.size,
    repeated: [...byVersion].flatMap(([v, es]) => (es.length > 1 ? [v] : [])),
    byName: (file) => byFile.get(file),
    holds: (e) => ids.has(identity(e)),
    withVersion: (v) => byVersion.get(v) ?? [],
    versionsFrom: (prefix) => [...byVersion.keys()].filter((v) => v.startsWith(prefix)),
  };
}

/** Same file name and same content: the same migration wherever it is. */
export function identity(e: { file: string; oid: string }): string {
  return `${e.file}\0${e.oid}`;
}
