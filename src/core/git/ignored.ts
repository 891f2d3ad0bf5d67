import { lstat } from 'node:fs/promises';
import path from 'node:path';
import { git } from './run.js';

/**
 * Ignored files are user data (a local `prod.env`, a database dump): git overwrites or deletes
 * them without a word when a checkout brings a tracked file to their path. These helpers find
 * them so that sync refuses instead, and `down` asks first.
 */

/**
 * A worktree's ignored files and directories, as `git status --ignored=matching` names them
 * (relative paths; a directory ignored as a whole ends with "/" and is not descended into).
 */
export async function ignoredEntries(worktree: string): Promise<string[]> {
  const res = await git(
    ['status', '--porcelain=v2', '-z', '--ignored=matching', '--untracked-files=normal'],
    { cwd: worktree, readOnly: true },
  );
  return res.stdout
    .split('\0')
    .filter((f) => f.startsWith('! '))
    .map((f) => f.slice(2));
}

/**
 * Every path a rebase of HEAD onto `onto` writes or deletes on its way: the checkout of `onto`
 * (HEAD → onto) and each commit it replays (`upstream..HEAD`, whose own paths may have been
 * added and removed again, over an ignored file of the same name).
 */
export async function pathsARebaseTouches(
  cwd: string,
  onto: string,
  upstream: string,
): Promise<string[]> {
  const opts = { cwd, readOnly: true };
  const [diff, log] = await Promise.all([
    git(
      ['diff', '--name-only', '-z', '--no-renames', '--end-of-options', 'HEAD', onto, '--'],
      opts,
    ),
    git(
      [
        'log',
        '--format=',
        '--name-only',
        '-z',
        '--no-renames',
        '--no-merges',
        '--end-of-options',
        `${upstream}..HEAD`,
        '--',
      ],
      opts,
    ),
  ]);
  const all = new Set<string>();
  for (const p of `${diff.stdout}\0${log.stdout}`.split('\0')) {
    const t = p.replace(/^\n+/, '');
    if (t) all.add(t);
  }
  return [...all];
}

/** 'dir', 'other' (a file, a symlink…) or null when nothing is there. */
async function kindAt(file: string): Promise<'dir' | 'other' | null> {
  try {
    return (await lstat(file)).isDirectory() ? 'dir' : 'other';
  } catch {
    return null;
  }
}

function parents(p: string): string[] {
  const out: string[] = [];
  for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) out.push(p.slice(0, i));
  return out;
}

/**
 * The ignored entries a checkout writing `touched` would overwrite or delete: an ignored file at
 * a touched path, an ignored file where a touched path needs a directory, ignored files inside a
 * directory a touched file replaces, and existing files inside an ignored directory.
 */
export async function ignoredInTheWay(
  worktree: string,
  entries: readonly string[],
  touched: readonly string[],
): Promise<string[]> {
  if (entries.length === 0 || touched.length === 0) return [];
  const files = new Set(entries.filter((e) => !e.endsWith('/')));
  const dirs = new Set(entries.filter((e) => e.endsWith('/')).map((e) => e.slice(0, -1)));
  // Every directory that holds an ignored entry → those entries.
  const under = new Map<string, string[]>();
  for (const e of entries) {
    for (const p of parents(e.replace(/\/$/, ''))) under.set(p, [...(under.get(p) ?? []), e]);
  }
  const hits = new Set<string>();
  for (const t of touched) {
    if (files.has(t)) hits.add(t);
    if (dirs.has(t)) hits.add(`${t}/`);
    under.get(t)?.forEach((e) => hits.add(e));
    const ps = parents(t);
    for (const p of ps) if (files.has(p)) hits.add(p);
    // Inside an ignored directory: only what already exists there is in the way.
    const top = ps.findLast((p) => dirs.has(p));
    if (top !== undefined) {
      // A file where the touched path needs a directory, or anything at the touched path.
      for (const p of ps.filter((q) => q.length > top.length).reverse()) {
        if ((await kindAt(path.join(worktree, p))) === 'other') hits.add(p);
      }
      if ((await kindAt(path.join(worktree, t))) !== null) hits.add(t);
    }
  }
  return [...hits].sort();
}

/**
 * Is an ignored entry something `down` may delete without asking (build output, caches)? A
 * plain name matches any component of the path (`node_modules` matches
 * `packages/app/node_modules/`); a name with "/" matches that path and everything under it.
 */
export function isDisposable(entry: string, disposable: readonly string[]): boolean {
  const p = entry.replace(/\/$/, '');
  const parts = p.split('/');
  return disposable.some((d) => {
    const name = d.replace(/^\/+|\/+$/g, '');
    return name.includes('/') ? p === name || p.startsWith(`${name}/`) : parts.includes(name);
  });
}

/**
 * The ignored files of a worktree that `down` must not delete unasked: every ignored entry
 * outside `disposable`. An ignored directory that holds a disposable path (`local/` when
 * `local/cache` is disposable) is looked into, file by file.
 */
export async function keptIgnored(
  worktree: string,
  disposable: readonly string[],
): Promise<string[]> {
  const out: string[] = [];
  for (const e of await ignoredEntries(worktree)) {
    if (isDisposable(e, disposable)) continue;
    const holdsDisposable =
      e.endsWith('/') && disposable.some((d) => d.replace(/^\/+/, '').startsWith(e));
    if (!holdsDisposable) {
      out.push(e);
      continue;
    }
    const res = await git(
      ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--', e],
      { cwd: worktree, readOnly: true },
    );
    out.push(...res.stdout.split('\0').filter((f) => f && !isDisposable(f, disposable)));
  }
  return out;
}
