import { statSync } from 'node:fs';
import path from 'node:path';

/** What a file-system error code means, and what the person can do about it. */
const WORDS: Record<string, { what: string; fix: string }> = {
  EEXIST: { what: 'something with that name is already there', fix: 'move it out of the way' },
  ENOTDIR: { what: 'a part of the path is a file, not a directory', fix: 'move that file' },
  EISDIR: { what: 'it is a directory, not a file', fix: 'check the path' },
  ENAMETOOLONG: {
    what: 'the name is too long for the file system',
    fix: 'use a shorter name',
  },
  ENOENT: { what: 'no such file or directory', fix: 'check the path' },
  EACCES: { what: 'permission denied', fix: 'check the permissions of the path' },
  EPERM: { what: 'operation not permitted', fix: 'check the permissions of the path' },
  EROFS: { what: 'the file system is read-only', fix: 'use a writable location' },
  ENOSPC: { what: 'no space left on the device', fix: 'free some space, then try again' },
  EDQUOT: { what: 'the disk quota is exhausted', fix: 'free some space, then try again' },
  ELOOP: { what: 'too many levels of symbolic links', fix: 'check the symbolic links' },
  EMFILE: { what: 'too many open files', fix: 'raise the open-file limit (ulimit -n)' },
};

const VERBS: Record<string, string> = {
  mkdir: 'create the directory',
  open: 'open',
  write: 'write',
  rename: 'rename',
  unlink: 'remove',
  rmdir: 'remove',
  scandir: 'read the directory',
  stat: 'read',
  lstat: 'read',
  read: 'read',
  copyfile: 'copy',
};

type SystemError = NodeJS.ErrnoException & { path: string; code: string };

export function isFsError(e: unknown): e is SystemError {
  if (!(e instanceof Error)) return false;
  const x = e as Partial<SystemError>;
  return typeof x.code === 'string' && typeof x.path === 'string' && x.code in WORDS;
}

/** The first existing ancestor of `p` that is not a directory (what made ENOTDIR/EEXIST). */
function fileInTheWay(p: string): string | null {
  for (let dir = path.resolve(p); ; dir = path.dirname(dir)) {
    let st;
    try {
      st = statSync(dir);
    } catch {
      // Missing, or under a file (ENOTDIR): look further up.
    }
    if (st) return st.isDirectory() ? null : dir;
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * One line for a file-system error: the path, the problem in words, what to do — never
 * `EEXIST`/`ENOTDIR`/`ENAMETOOLONG` alone.
 */
export function describeFsError(e: SystemError): string {
  const words = WORDS[e.code]!;
  const verb = VERBS[e.syscall ?? ''] ?? 'use';
  if (e.code === 'ENOTDIR' || (e.code === 'EEXIST' && e.syscall === 'mkdir')) {
    const file = fileInTheWay(e.path);
    if (file) {
      return `cannot ${verb} ${e.path}: ${file} is a file, not a directory — move or rename that file, then try again`;
    }
  }
  return `cannot ${verb} ${e.path}: ${words.what} — ${words.fix}`;
}
