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

/**
 * Files an instance has touched and not landed: every file changed by its commits that are not
 * on main (merges skipped, commits main already holds as a patch skipped — land skips both) and
 * that still differs from main, and
 * its staged, unstaged and untracked files, one by one. Repository-relative. Read-only: takes no
 * lock, so it never fights the agent for `index.lock`.
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
  if (main) {
    const log = await git(
      [
        'log',
        '--no-merges',
        '--right-only',
        '--cherry-pick',
        '--no-renames',
        '--name-only',
        '-z',
        '--format=',
        `${main}...HEAD`,
        '--',
      ],
      { cwd, readOnly: true, allowFail: true },
    );
    // Only files whose content still differs from main: after the agent merged main in, a
    // commit main already holds as another commit is on neither side of the symmetric difference.
    const diff = await git(['diff', '--no-renames', '--name-only', '-z', main, 'HEAD', '--'], {
      cwd,
      readOnly: true,
      allowFail: true,
    });
    if (log.exitCode === 0 && diff.exitCode === 0) {
      const differs = new Set(diff.stdout.split('\0'));
      for (const raw of log.stdout.split('\0')) {
        const f = raw.replace(/^\n+/, '');
        if (f && differs.has(f)) files.add(f);
      }
    }
  }
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
