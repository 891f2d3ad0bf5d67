import { git } from './run.js';

/**
 * Before fleet-tui moves or drops a branch tip it keeps the old tip under
 * `refs/fleet/backup/<id>/<time>-<what>-<sha>`, so nothing it does can lose a commit.
 */
function backupName(id: string, sha: string, what: string): string {
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  return `refs/fleet/backup/${id}/${stamp}-${what}-${sha.slice(0, 12)}`;
}

export async function backupRef(
  cwd: string,
  id: string,
  sha: string,
  what: string,
): Promise<string> {
  const ref = backupName(id, sha, what);
  await git(['update-ref', '--end-of-options', ref, sha], { cwd });
  return ref;
}

/** Several backups in one git process (one transaction). */
export async function backupRefs(
  cwd: string,
  tips: ReadonlyArray<{ id: string; sha: string }>,
  what: string,
): Promise<void> {
  if (tips.length === 0) return;
  const input = tips.map((t) => `update ${backupName(t.id, t.sha, what)} ${t.sha}\n`).join('');
  await git(['update-ref', '--stdin'], { cwd, input });
}
