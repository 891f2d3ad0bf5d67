import { existsSync } from 'node:fs';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { git } from '../git/run.js';
import { outsideScope, scopeGlobs, type Scope } from './scope.js';

/** Paths of a `git status --porcelain=v2 -z` listing: changed, renamed (both names), unmerged, untracked. */
export function parsePorcelainV2(out: string): string[] {
  const files: string[] = [];
  const recs = out.split('\0');
  // Fields before the path: ordinary 8, renamed/copied 9 (then the original path as its own record),
  // unmerged 10, untracked 1.
  const before: Record<string, number> = { '1': 8, '2': 9, u: 10, '?': 1 };
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!;
    const n = before[rec[0] ?? ''];
    if (n === undefined || rec[1] !== ' ') continue;
    let at = 0;
    for (let k = 0; k < n && at >= 0; k++) at = rec.indexOf(' ', at + 1);
    if (at < 0) continue;
    files.push(rec.slice(at + 1));
    if (rec[0] === '2') files.push(recs[++i] ?? '');
  }
  return files.filter(Boolean);
}

async function mainTip(config: ResolvedConfig, cwd: string): Promise<string | null> {
  for (const ref of [
    `refs/remotes/${config.remote}/${config.mainBranch}`,
    `refs/heads/${config.mainBranch}`,
  ]) {
    const r = await git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
      cwd,
      readOnly: true,
      allowFail: true,
    });
    if (r.exitCode === 0) return r.stdout.trim();
  }
  return null;
}

/** One commit of a `git log --raw -z --no-renames --format=%H %P` listing. */
export interface RawLogCommit {
  sha: string;
  parents: string[];
  files: string[];
}

/**
 * Parse `git log --raw -z --no-renames --format=%H %P`. Positional, so any file name is read
 * as it is: each `:<modes> <ids> <status>` record is followed by exactly one path record (a name
 * may start with a newline, a colon or look like a commit id); any other record is a commit
 * header (git puts a newline before the first raw record of a commit, never inside a name).
 */
export function parseRawLog(out: string): RawLogCommit[] {
  const commits: RawLogCommit[] = [];
  const recs = out.split('\0');
  for (let i = 0; i < recs.length; i++) {
    const rec = recs[i]!.replace(/^\n/, '');
    if (rec.startsWith(':')) {
      const path = recs[++i];
      if (path !== undefined && commits.length > 0) commits.at(-1)!.files.push(path);
    } else if (rec) {
      const [sha = '', ...parents] = rec.split(' ');
      commits.push({ sha, parents: parents.filter(Boolean), files: [] });
    }
  }
  return commits;
}

/** Args of the log of an instance's unlanded commits (merges and patches main holds skipped). */
function committedLogArgs(main: string, tip: string): string[] {
  return [
    'log',
    '--no-merges',
    '--right-only',
    '--cherry-pick',
    '--no-renames',
    '--raw',
    '-z',
    '--format=%H %P',
    '--end-of-options',
    `${main}...${tip}`,
    '--',
  ];
}

/**
 * Files changed by `tip`'s commits that are not on `main` (merges skipped, commits main already
 * holds as a patch skipped — land skips both) and whose content still differs from main.
 * Null when git could not answer.
 */
export async function committedFiles(
  cwd: string,
  main: string,
  tip: string,
): Promise<string[] | null> {
  const [log, diff] = await Promise.all([
    git(committedLogArgs(main, tip), { cwd, readOnly: true, allowFail: true }),
    // Only files whose content still differs from main: after the agent merged main in, a
    // commit main already holds as another commit is on neither side of the symmetric difference.
    git(['diff', '--no-renames', '--name-only', '-z', '--end-of-options', main, tip, '--'], {
      cwd,
      readOnly: true,
      allowFail: true,
    }),
  ]);
  if (log.exitCode !== 0 || diff.exitCode !== 0) return null;
  const differs = new Set(diff.stdout.split('\0'));
  const files = new Set<string>();
  for (const c of parseRawLog(log.stdout))
    for (const f of c.files) if (differs.has(f)) files.add(f);
  return [...files];
}

/**
 * Files an instance has touched and not landed: the files of its unlanded commits that still
 * differ from main (`committedFiles`), and its staged, unstaged and untracked files, one by one.
 * Repository-relative. Read-only: takes no lock, so it never fights the agent for `index.lock`.
 */
export async function touchedFiles(
  config: ResolvedConfig,
  instance: ResolvedInstance,
  known?: KnownCounts,
): Promise<string[]> {
  const cwd = instance.worktreePath;
  if (!existsSync(cwd)) return [];
  const files = new Set<string>();
  const main = known?.ahead === 0 ? null : await mainTip(config, cwd);
  if (main) for (const f of (await committedFiles(cwd, main, 'HEAD')) ?? []) files.add(f);
  if (known?.dirty === 0) return [...files];
  const st = await git(['status', '--porcelain=v2', '-z', '--untracked-files=all'], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  if (st.exitCode === 0) for (const f of parsePorcelainV2(st.stdout)) files.add(f);
  return [...files];
}

/**
 * What a status read already knows (commits ahead of main, dirty files): zero means that half
 * of the scope needs no git at all — most instances, most of the time.
 */
export interface KnownCounts {
  ahead: number;
  dirty: number;
}

/**
 * An instance's scope creep: the touched files outside its role. For `status --json` (each row's
 * `"scope"`) and the pane badge. Empty when the role has no `paths`.
 */
export async function instanceScope(
  config: ResolvedConfig,
  instance: ResolvedInstance,
  known?: KnownCounts,
): Promise<Scope> {
  const { paths, shared } = scopeGlobs(config, instance);
  if (paths.length === 0) return { outside: [] };
  return { outside: outsideScope(await touchedFiles(config, instance, known), paths, shared) };
}
