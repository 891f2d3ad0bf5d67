import path from 'node:path';
import { discoverRepo, gitDirsOfFile, readText } from './discover.js';

/**
 * Each linked worktree's HEAD commit read from its files (its git dir's HEAD, a loose ref or
 * `packed-refs` in its common dir), so that `status` can start the reads that need the heads
 * beside `worktree list` instead of after it. Only a guess: the caller compares it with what
 * `worktree list` says and reads again with the listed heads where they differ, so a layout
 * this does not know (a symbolic ref, reftable, an unborn branch, a main worktree) only costs
 * that second round. Null for a directory it cannot read.
 */
export function guessHead(worktree: string): string | null {
  const dirs = gitDirsOfFile(path.join(worktree, '.git'));
  const head = dirs && readText(path.join(dirs.gitDir, 'HEAD'))?.trim();
  if (!dirs || !head) return null;
  if (SHA.test(head)) return head;
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
  return ref ? refIn(dirs.commonDir, ref) : null;
}

/**
 * A shared ref's commit (`refs/remotes/origin/main`) in the repository at `cwd`, read alike.
 * `fresh`: `packed-refs` is read again, not taken from an earlier read (a ref read again after a
 * git process may have packed it: `gc --auto` after a fetch writes `packed-refs`, then deletes
 * the loose ref, so a loose ref gone means its packed entry is already written).
 */
export function guessRef(cwd: string, ref: string, fresh = false): string | null {
  const repo = discoverRepo(cwd);
  return repo && /^refs\/\S+$/.test(ref) ? refIn(repo.commonDir, ref, fresh) : null;
}

function refIn(commonDir: string, ref: string, fresh = false): string | null {
  const loose = readText(path.join(commonDir, ref))?.trim();
  if (loose !== undefined) return SHA.test(loose) ? loose : null;
  if (fresh) packed.delete(commonDir);
  return packedRef(commonDir, ref);
}

const SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

/** `ref`'s commit in `packed-refs` (`<sha> <ref>` lines), read once per common dir. */
const packed = new Map<string, Map<string, string>>();
function packedRef(commonDir: string, ref: string): string | null {
  let refs = packed.get(commonDir);
  if (!refs) {
    refs = new Map();
    for (const line of (readText(path.join(commonDir, 'packed-refs')) ?? '').split('\n')) {
      const [sha, name] = line.split(' ');
      if (sha && name && SHA.test(sha)) refs.set(name.trim(), sha);
    }
    packed.set(commonDir, refs);
  }
  return refs.get(ref) ?? null;
}
