import { git } from '../git/run.js';
import type { ObjectWriter } from './objects.js';

/** One `git merge-tree --write-tree` result: the tree and, when not clean, the conflicted files. */
export interface MergeOut {
  clean: boolean;
  tree: string;
  files: string[];
}

/**
 * Parse `merge-tree --stdin --write-tree --name-only -z` output, one record per input line:
 * clean `1 NUL tree NUL NUL`; conflicted `0 NUL tree NUL files… NUL NUL` then messages
 * (`count NUL paths… NUL type NUL text NUL`) and a closing NUL. (git 2.39 does not flush clean
 * records until it exits, so the process cannot be kept running between instances.)
 */
function parseMergeTreeStdin(out: string): MergeOut[] {
  const f = out.split('\0');
  const res: MergeOut[] = [];
  let i = 0;
  while (i < f.length && f[i] !== '') {
    const clean = f[i++] === '1';
    const tree = f[i++] ?? '';
    const files: string[] = [];
    if (!clean) {
      while (i < f.length && f[i] !== '') files.push(f[i++]!);
      i++; // end of the file list
      while (i < f.length && f[i] !== '') {
        const n = Number(f[i++]);
        i += n + 2;
      }
    }
    i++; // end of this record
    res.push({ clean, tree, files: [...new Set(files)] });
  }
  return res;
}

/**
 * Merge each pair in one git process. The writer is flushed first: pairs may name commits
 * (scaffolds, chain commits) that were computed but not written yet.
 */
export async function mergeTrees(
  cwd: string,
  writer: ObjectWriter,
  pairs: ReadonlyArray<readonly [string, string]>,
  env?: Record<string, string>,
): Promise<MergeOut[]> {
  if (pairs.length === 0) return [];
  await writer.flush();
  const res = await git(['merge-tree', '--stdin', '--write-tree', '--name-only', '-z'], {
    cwd,
    env,
    input: pairs.map(([a, b]) => `${a} ${b}\n`).join(''),
    allowFail: true,
  });
  const parsed = parseMergeTreeStdin(res.stdout);
  if (parsed.length !== pairs.length) {
    throw new Error(`git merge-tree failed in ${cwd}: ${res.stderr.trim() || 'unexpected output'}`);
  }
  return parsed;
}

/** Paths whose entries differ between two trees (for a refusal's reason). */
export async function changedPaths(
  cwd: string,
  a: string,
  b: string,
  env?: Record<string, string>,
): Promise<string[]> {
  const res = await git(
    ['diff-tree', '-r', '--name-only', '-z', '--no-renames', '--end-of-options', a, b, '--'],
    {
      cwd,
      env,
      readOnly: true,
      allowFail: true,
    },
  );
  return res.stdout.split('\0').filter(Boolean);
}
