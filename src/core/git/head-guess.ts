import { readFileSync } from 'node:fs';
import path from 'node:path';
import { discoverRepo } from './discover.js';

/**
 * Each linked worktree's HEAD commit read from its files (its git dir's HEAD, a loose ref or
 * `packed-refs` in its common dir), so that `status` can start the reads that need the heads
 * beside `worktree list` instead of after it. Only a guess: the caller compares it with what
 * `worktree list` says and reads again with the listed heads where they differ, so a layout
 * this does not know (a symbolic ref, reftable, an unborn branch, a main worktree) only costs
 * that second round. Null for a directory it cannot read.
 */
export function guessHead(worktree: string): string | null {
  const dotGit = readText(path.join(worktree, '.git'));
  const m = dotGit && /^gitdir: (.+?)\s*$/.exec(dotGit);
  if (!m) return null;
  const gitDir = path.resolve(worktree, m[1]!);
  const head = readText(path.join(gitDir, 'HEAD'))?.trim();
  if (!head) return null;
  if (SHA.test(head)) return head;
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
  const common = readText(path.join(gitDir, 'commondir'))?.replace(/[\r\n]+$/, '');
  if (!ref || !common) return null;
  return refIn(path.resolve(gitDir, common), ref);
}

/** A shared ref's commit (`refs/remotes/origin/main`) in the repository at `cwd`, guessed alike. */
export function guessRef(cwd: string, ref: string): string | null {
  const repo = discoverRepo(cwd);
  return repo && /^refs\/\S+$/.test(ref) ? refIn(repo.commonDir, ref) : null;
}

function refIn(commonDir: string, ref: string): string | null {
  const loose = readText(path.join(commonDir, ref))?.trim();
  if (loose !== undefined) return SHA.test(loose) ? loose : null;
  return packedRef(commonDir, ref);
}

const SHA = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

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
