// A tip's change to a file that main renamed is applied at the new path by a rebase (git detects
// the rename commit by commit). A whole-range comparison misses it when main also edited the moved
// file enough that base → main no longer looks like a rename, so the checker asks the question a
// rebase answers: follow the path through main's own commits, then merge the tip's change into
// main's file there — held when that merge is clean and changes nothing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gitSync } from './fleet-apply.js';

/** Where `p` (a path at `base`) lives at `into`, following renames commit by commit; null when deleted. */
function followPath(repo: string, base: string, into: string, p: string): string | null {
  const commits = gitSync(repo, ['rev-list', '--first-parent', '--reverse', `${base}..${into}`])
    .split('\n')
    .filter(Boolean);
  let cur = p;
  for (const c of commits) {
    const out = gitSync(repo, ['diff-tree', '-r', '-z', '-M', '--name-status', `${c}^1`, c]);
    const f = out.split('\0');
    for (let i = 0; i < f.length - 1;) {
      const st = f[i]!;
      const twoPaths = st.startsWith('R') || st.startsWith('C');
      if (st.startsWith('R') && f[i + 1] === cur) {
        cur = f[i + 2]!;
        break;
      }
      if (st === 'D' && f[i + 1] === cur) return null;
      i += twoPaths ? 3 : 2;
    }
  }
  return cur;
}

const blob = (repo: string, rev: string, p: string) =>
  execFileSync('git', ['cat-file', 'blob', `${rev}:${p}`], { cwd: repo, stdio: 'pipe' });

/** True when the change `tip` made to `p` (since `base`) is already in `into` at the path `p` moved to. */
export function heldAtRenamedPath(
  repo: string,
  base: string,
  into: string,
  tip: string,
  p: string,
) {
  const moved = renamedPath(repo, base, into, p);
  if (!moved) return false;
  const dir = mkdtempSync(path.join(tmpdir(), 'fleet-held-'));
  try {
    const [ours, old, theirs] = ['ours', 'base', 'theirs'].map((n) => path.join(dir, n)) as [
      string,
      string,
      string,
    ];
    const mainText = blob(repo, into, moved);
    writeFileSync(ours, mainText);
    writeFileSync(old, blob(repo, base, p));
    writeFileSync(theirs, blob(repo, tip, p));
    const merged = execFileSync('git', ['merge-file', '-p', '-q', ours, old, theirs], {
      stdio: 'pipe',
    });
    return merged.equals(mainText);
  } catch {
    return false; // a conflict (merge-file exits non-zero) or a path missing on a side
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function movedOnMain(repo: string, base: string, into: string, p: string): boolean {
  return renamedPath(repo, base, into, p) !== null;
}

function renamedPath(repo: string, base: string, into: string, p: string): string | null {
  const q = followPath(repo, base, into, p);
  return q && q !== p ? q : null;
}
