import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { git } from './run.js';

/**
 * What git itself recorded about the rebase in progress in one worktree (its state directory,
 * `rebase-merge/` or `rebase-apply/` under the worktree's own git dir). `recover` compares this
 * with what fleet-tui's sync marker says it started, so it never mistakes a person's rebase for
 * its own.
 */
export interface RebaseState {
  dir: string;
  /** The commit the rebase replays onto. */
  onto: string | null;
  /** The branch tip before the rebase. */
  origHead: string | null;
  /** `refs/heads/<branch>`, or `detached HEAD`. */
  headName: string | null;
  /** The instruction sheet, as started (`git-rebase-todo.backup`), left (`-todo`) and done. */
  todo: string;
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

export async function readRebaseState(worktree: string): Promise<RebaseState | null> {
  const res = await git(
    [
      'rev-parse',
      '--path-format=absolute',
      '--git-path',
      'rebase-merge',
      '--git-path',
      'rebase-apply',
    ],
    { cwd: worktree, readOnly: true, allowFail: true },
  );
  if (res.exitCode !== 0) return null;
  for (const dir of res.stdout.trim().split('\n')) {
    const onto = await readText(path.join(dir, 'onto'));
    const headName = await readText(path.join(dir, 'head-name'));
    if (onto === null && headName === null) continue;
    const todo = await Promise.all(
      ['git-rebase-todo.backup', 'git-rebase-todo', 'done'].map((f) => readText(path.join(dir, f))),
    );
    return {
      dir,
      onto: onto?.trim() ?? null,
      origHead: (await readText(path.join(dir, 'orig-head')))?.trim() ?? null,
      headName: headName?.trim() ?? null,
      todo: todo.filter((t) => t !== null).join('\n'),
    };
  }
  return null;
}
