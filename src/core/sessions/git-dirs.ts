import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The git common dir of the repository at `rootDir`, found without running git so that
 * `new SessionManager(config)` can stay synchronous: `.git` is either the directory itself or a
 * `gitdir:` file whose target names the common dir in its `commondir` file.
 */
export function commonDirOf(rootDir: string): string {
  const dotGit = path.join(rootDir, '.git');
  let st;
  try {
    st = statSync(dotGit);
  } catch {
    return dotGit;
  }
  if (st.isDirectory()) return dotGit;
  const m = /^gitdir:\s*(.+)$/m.exec(readFileSync(dotGit, 'utf8'));
  if (!m?.[1]) return dotGit;
  const gitDir = path.resolve(rootDir, m[1].trim());
  try {
    return path.resolve(gitDir, readFileSync(path.join(gitDir, 'commondir'), 'utf8').trim());
  } catch {
    return gitDir;
  }
}
