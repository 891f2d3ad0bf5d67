import { lstatSync, readFileSync, realpathSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import type { RepoPaths } from './repo.js';

/**
 * `git rev-parse --path-format=absolute --show-toplevel --git-common-dir --git-dir`, answered
 * from the file system for the layouts fleet-tui creates (a main worktree's `.git` directory, a
 * linked worktree's `.git` file and its git dir's `commondir`), from any directory inside them.
 * A `status` asks from several places and a git process cost more than the rest of its start-up.
 * Answers only where git would give the same paths; `undefined` for anything else (the caller
 * asks git): environment that moves the repository (GIT_DIR, GIT_WORK_TREE, ceilings, `-c`), a
 * bare repository or a directory inside a git dir, a `.git` git would not accept as one, a
 * config that names another work tree (`core.worktree`, `core.bare`, includes, per-worktree
 * config), a crossed file system, another user's files (git's `safe.directory` check), a
 * symlinked `.git`, no repository at all. Paths are real paths, as git prints them.
 */
export function discoverRepo(cwd: string): RepoPaths | undefined {
  if (movedByEnv() || typeof process.getuid !== 'function') return undefined;
  let dir: string;
  try {
    dir = realpathSync(cwd);
  } catch {
    return undefined;
  }
  const dev = statOf(dir)?.dev;
  for (;;) {
    const dotGit = path.join(dir, '.git');
    const st = lstatOf(dotGit);
    if (st?.isDirectory()) return fromDir(dir, dotGit);
    if (st?.isFile()) return fromFile(dir, dotGit);
    // A symlink, socket, …: git's own rules. No `.git` here: a bare repository or a git dir
    // itself is git's to judge; else look in the parent, on the same file system only.
    if (st || looksLikeGitDir(dir)) return undefined;
    const parent = path.dirname(dir);
    if (parent === dir || statOf(parent)?.dev !== dev) return undefined;
    dir = parent;
  }
}

/** Variables that make git look elsewhere than `cwd`, or change its configuration. */
const MOVING_ENV = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_COMMON_DIR',
  'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_CONFIG_PARAMETERS',
  'GIT_CONFIG_COUNT',
  'GIT_OBJECT_DIRECTORY',
];
function movedByEnv(): boolean {
  return MOVING_ENV.some((k) => process.env[k] !== undefined);
}

function statOf(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null;
  }
}

function lstatOf(p: string): Stats | null {
  try {
    return lstatSync(p);
  } catch {
    return null;
  }
}

/** A file's text, or undefined when it cannot be read. */
export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

const HEAD = /^(ref: refs\/\S+|[0-9a-f]{40}|[0-9a-f]{64})\s*$/;

/** HEAD, objects and refs, as git's `is_git_directory` asks (without its environment). */
function looksLikeGitDir(dir: string): boolean {
  return (
    statOf(path.join(dir, 'HEAD')) !== null &&
    (statOf(path.join(dir, 'commondir')) !== null ||
      (statOf(path.join(dir, 'objects'))?.isDirectory() === true &&
        statOf(path.join(dir, 'refs'))?.isDirectory() === true))
  );
}

/** A git dir git would take: a valid HEAD, and objects and refs in its common dir. */
function validGitDir(gitDir: string, commonDir: string): boolean {
  return (
    HEAD.test(readText(path.join(gitDir, 'HEAD')) ?? '') &&
    statOf(path.join(commonDir, 'objects'))?.isDirectory() === true &&
    statOf(path.join(commonDir, 'refs'))?.isDirectory() === true
  );
}

/**
 * Settings that move the work tree or make the repository bare, and includes (which could):
 * any line naming them sends the question to git, whichever section it is in.
 */
const MOVING_CONFIG = /^\s*(worktree\b|bare\s*=\s*(true|yes|on|1)\b|bare\s*$|\[\s*include)/im;

function plainConfig(gitDir: string, commonDir: string): boolean {
  if (statOf(path.join(gitDir, 'config.worktree')) !== null) return false;
  const text = readText(path.join(commonDir, 'config'));
  return text !== undefined && !MOVING_CONFIG.test(text);
}

/** Every path git checks the owner of belongs to this user (else `safe.directory` decides). */
function ownedByMe(...paths: string[]): boolean {
  const uid = process.getuid!();
  return paths.every((p) => statOf(p)?.uid === uid);
}

function answer(
  topLevel: string,
  gitDir: string,
  commonDir: string,
  owned: string[],
): RepoPaths | undefined {
  if (!validGitDir(gitDir, commonDir) || !plainConfig(gitDir, commonDir)) return undefined;
  if (!ownedByMe(topLevel, gitDir, ...owned)) return undefined;
  let real: string[];
  try {
    real = [gitDir, commonDir].map((p) => realpathSync(p));
  } catch {
    return undefined;
  }
  const [g, c] = real as [string, string];
  const mainWorktree = path.basename(c) === '.git' ? path.dirname(c) : null;
  return { topLevel, commonDir: c, gitDir: g, mainWorktree };
}

/** A main worktree: `.git` is the git dir and the common dir. */
function fromDir(topLevel: string, dotGit: string): RepoPaths | undefined {
  // A `.git` directory with a `commondir` is not a layout git writes for a work tree.
  if (statOf(path.join(dotGit, 'commondir')) !== null) return undefined;
  return answer(topLevel, dotGit, dotGit, []);
}

/** A linked worktree (or a submodule): `.git` names the git dir, which may name a common dir. */
function fromFile(topLevel: string, dotGit: string): RepoPaths | undefined {
  const dirs = gitDirsOfFile(dotGit);
  return dirs && answer(topLevel, dirs.gitDir, dirs.commonDir, [dotGit]);
}

/**
 * The git dir a `.git` file names, and the common dir its `commondir` names (the git dir itself
 * when there is none); undefined when either cannot be used.
 */
export function gitDirsOfFile(dotGit: string): { gitDir: string; commonDir: string } | undefined {
  const m = /^gitdir: (.+?)\s*$/.exec(readText(dotGit) ?? '');
  if (!m) return undefined;
  const gitDir = path.resolve(path.dirname(dotGit), m[1]!);
  // Git drops the line ends of `commondir`, and cannot use an empty one.
  const common = readText(path.join(gitDir, 'commondir'))?.replace(/[\r\n]+$/, '');
  if (common === '') return undefined;
  return { gitDir, commonDir: common === undefined ? gitDir : path.resolve(gitDir, common) };
}
