import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { gitOut } from './run.js';

/**
 * Keep `pattern` out of `git status` through the repository's own exclude file
 * (`<common dir>/info/exclude`, shared by every worktree), never through a tracked .gitignore:
 * fleet-tui's files (agent settings, the worktree root) leave nothing untracked and change no
 * file of the person's. Added once, under a comment saying why.
 */
export async function excludeFromGit(dir: string, pattern: string, why: string): Promise<void> {
  const exclude = await gitOut(
    ['rev-parse', '--path-format=absolute', '--git-path', 'info/exclude'],
    { cwd: dir, readOnly: true },
  );
  const text = existsSync(exclude) ? await readFile(exclude, 'utf8') : '';
  if (text.split('\n').includes(pattern)) return;
  await mkdir(path.dirname(exclude), { recursive: true });
  await appendFile(
    exclude,
    `${text && !text.endsWith('\n') ? '\n' : ''}# fleet-tui: ${why}\n${pattern}\n`,
  );
}
