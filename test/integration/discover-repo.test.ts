// `findRepo` answers from the file system (core/git/discover.ts) for the layouts fleet-tui makes,
// and must then say exactly what `git rev-parse` says; anything else goes to git itself. Every
// case is a real repository, compared with real git's answer.
import { execa } from 'execa';
import { chown, mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { discoverRepo } from '../../src/core/git/discover.js';
import { findRepo, type RepoPaths } from '../../src/core/git/repo.js';
import { observeGit } from '../../src/core/git/run.js';

let dir: string;
const run = async (cwd: string, ...args: string[]) =>
  (await execa('git', args, { cwd, env: { LC_ALL: 'C' } })).stdout.trim();

/** Git's own answer, as findRepo builds it from `rev-parse` (null outside a work tree). */
async function gitsAnswer(cwd: string, env: Record<string, string> = {}) {
  const res = await execa(
    'git',
    ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir', '--git-dir'],
    { cwd, env: { LC_ALL: 'C', ...env }, reject: false },
  );
  if (res.exitCode !== 0) return null;
  const [topLevel, commonDir, gitDir] = res.stdout.split('\n') as [string, string, string];
  const mainWorktree = path.basename(commonDir) === '.git' ? path.dirname(commonDir) : null;
  return { topLevel, commonDir, gitDir, mainWorktree } satisfies RepoPaths;
}

/** findRepo's answer and how many `rev-parse` it ran for it. */
async function found(cwd: string) {
  const seen: string[] = [];
  const stop = observeGit((args) => void seen.push(args[0]!));
  try {
    return { repo: await findRepo(cwd), revParse: seen.filter((s) => s === 'rev-parse').length };
  } finally {
    stop();
  }
}

let main: string;
beforeAll(async () => {
  dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'fleet-discover-')));
  main = path.join(dir, 'main');
  await run(dir, 'init', '-q', '-b', 'main', main);
  await run(
    main,
    '-c',
    'user.name=t',
    '-c',
    'user.email=t@t',
    'commit',
    '-q',
    '--allow-empty',
    '-m',
    'i',
  );
  await mkdir(path.join(main, 'src', 'deep'), { recursive: true });
  await run(main, 'worktree', 'add', '-q', '-b', 'outside', path.join(dir, 'linked'));
  await run(main, 'worktree', 'add', '-q', '-b', 'inner', path.join(main, '.claude', 'wt', 'ps1'));
  await mkdir(path.join(main, '.claude', 'wt', 'ps1', 'sub'), { recursive: true });
  await symlink(main, path.join(dir, 'via-link'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it.each([
  ['the main worktree', () => main],
  ['a subdirectory of it', () => path.join(main, 'src', 'deep')],
  ['a path through a symlink', () => path.join(dir, 'via-link', 'src')],
  ['a linked worktree beside it', () => path.join(dir, 'linked')],
  ['a linked worktree inside it', () => path.join(main, '.claude', 'wt', 'ps1')],
  ['a subdirectory of a nested worktree', () => path.join(main, '.claude', 'wt', 'ps1', 'sub')],
])('%s: found without git, as git finds it', async (_, cwd) => {
  expect(discoverRepo(cwd())).toEqual(await gitsAnswer(cwd()));
  const { repo, revParse } = await found(cwd());
  expect(repo).toEqual(await gitsAnswer(cwd()));
  expect(revParse).toBe(0);
});

it('a worktree whose .git file and commondir are relative (CRLF line ends)', async () => {
  const wt = path.join(dir, 'relative');
  await run(main, 'worktree', 'add', '-q', '-b', 'relative', wt);
  const gitDir = path.join(main, '.git', 'worktrees', 'relative');
  await writeFile(path.join(wt, '.git'), `gitdir: ${path.relative(wt, gitDir)}\r\n`);
  await writeFile(path.join(gitDir, 'commondir'), '../..\r\n');
  const git = await gitsAnswer(wt);
  expect(git?.gitDir).toBe(gitDir);
  expect(discoverRepo(wt)).toEqual(git);
});

it('a separate git dir (a .git file, no commondir): no main worktree, as git says', async () => {
  const wt = path.join(dir, 'separate');
  await run(dir, 'init', '-q', `--separate-git-dir=${path.join(dir, 'separate.git')}`, wt);
  const git = await gitsAnswer(wt);
  expect(git?.mainWorktree).toBeNull();
  expect(discoverRepo(wt)).toEqual(git);
});

it.each([
  ['a bare repository', 'b1.git'],
  ['a directory inside a bare repository', 'b1.git/refs'],
  ["the main worktree's .git", 'main/.git'],
  ['a directory inside .git', 'main/.git/refs/heads'],
  ["a linked worktree's git dir", 'main/.git/worktrees/linked'],
])('%s: left to git, which finds no work tree', async (_, rel) => {
  await run(dir, 'init', '-q', '--bare', path.join(dir, 'b1.git')).catch(() => undefined);
  const cwd = path.join(dir, rel);
  expect(discoverRepo(cwd)).toBeUndefined();
  expect(await gitsAnswer(cwd)).toBeNull();
  expect((await found(cwd)).repo).toBeNull();
});

it('outside any repository: left to git, which says none', async () => {
  const plain = await mkdtemp(path.join(os.tmpdir(), 'fleet-discover-plain-'));
  try {
    expect(discoverRepo(plain)).toBeUndefined();
    expect(await found(plain)).toEqual({ repo: null, revParse: 1 });
  } finally {
    await rm(plain, { recursive: true });
  }
});

it('GIT_DIR set: left to git, which answers for that repository', async () => {
  // A directory findRepo has not been asked about (it keeps what it found by directory).
  const cwd = path.join(dir, 'linked', 'gd');
  await mkdir(cwd);
  process.env.GIT_DIR = path.join(main, '.git');
  try {
    expect(discoverRepo(cwd)).toBeUndefined();
    // git takes the cwd as the work tree's top level when GIT_DIR is set alone.
    const git = await gitsAnswer(cwd, { GIT_DIR: path.join(main, '.git') });
    expect(git?.gitDir).toBe(path.join(main, '.git'));
    expect(await found(cwd)).toEqual({ repo: git, revParse: 1 });
  } finally {
    delete process.env.GIT_DIR;
  }
});

it('core.worktree in the config: left to git, which moves the top level', async () => {
  const repo = path.join(dir, 'moved');
  await run(dir, 'init', '-q', repo);
  const tree = path.join(repo, 'tree');
  await mkdir(tree);
  await run(repo, 'config', 'core.worktree', tree);
  expect(discoverRepo(tree)).toBeUndefined();
  const git = await gitsAnswer(tree);
  expect(git?.topLevel).toBe(tree);
  expect(await found(tree)).toEqual({ repo: git, revParse: 1 });
});

it('an empty .git directory in a subdirectory: left to git, which looks past it', async () => {
  const sub = path.join(main, 'src', 'fake');
  await mkdir(path.join(sub, '.git'), { recursive: true });
  expect(discoverRepo(sub)).toBeUndefined();
  const git = await gitsAnswer(sub);
  expect(git?.topLevel).toBe(main);
  expect(await found(sub)).toEqual({ repo: git, revParse: 1 });
});

it('a .git file that names no git dir: left to git', async () => {
  const sub = path.join(main, 'src', 'broken');
  await mkdir(sub, { recursive: true });
  await writeFile(path.join(sub, '.git'), 'gitdir: /nowhere/at/all\n');
  expect(discoverRepo(sub)).toBeUndefined();
  expect(await gitsAnswer(sub)).toBeNull();
});

it.skipIf(process.getuid?.() !== 0)(
  "another user's repository: left to git (safe.directory decides)",
  async () => {
    const repo = path.join(dir, 'theirs');
    await run(dir, 'init', '-q', repo);
    await chown(repo, 65534, 65534);
    expect(discoverRepo(repo)).toBeUndefined();
    expect(await gitsAnswer(repo, { GIT_CONFIG_GLOBAL: '/dev/null' })).toBeNull();
  },
);
