// Carry out a generated round on a real fleet: commits (text, binary, deletions, renames, mode
// changes, symlinks, force-added ignored files, empty ones, messages in four encodings), merges
// of main, ignored, untracked and uncommitted files, as agents leave them.
import { execFileSync } from 'node:child_process';
import { chmod, lstat, mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ENCODED } from '../helpers/encoded-commits.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import type { Encoding, FileAction, Op } from './fleet-gen.js';

const GITIGNORE = '.claude/worktrees/\nnode_modules/\n*.log\n';
const SHARED = ['shared/s0.txt', 'shared/s1.txt', 'shared/s2.txt'];
export const INITIAL_FILES: Record<string, string> = {
  '.gitignore': GITIGNORE,
  ...Object.fromEntries(SHARED.map((p) => [p, 'line0\nline1\nline2\nline3\n'])),
};
const PROTECTED = new Set(['.gitignore', 'fleet.config.ts']);

let seq = 0;
const nextDate = () => new Date(Date.UTC(2026, 2, 1) + ++seq * 60_000).toISOString();

export function gitSync(cwd: string, args: string[], input?: string | Buffer): string {
  return execFileSync('git', args, {
    cwd,
    input,
    env: { ...process.env, LC_ALL: 'C' },
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString('latin1');
}

function tryGit(cwd: string, args: string[]): boolean {
  try {
    gitSync(cwd, args);
    return true;
  } catch {
    return false;
  }
}

function tracked(wt: string): string[] {
  return gitSync(wt, ['ls-files', '-z'])
    .split('\0')
    .filter((p) => p && !PROTECTED.has(p));
}

async function isRegular(file: string): Promise<boolean> {
  return lstat(file).then(
    (s) => s.isFile(),
    () => false,
  );
}

export interface ApplyCtx {
  fx: FleetFixture;
  id: string;
  wt: string;
  round: number;
  refuse: boolean;
}

async function put(file: string, data: string | Buffer): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await rm(file, { force: true });
  await writeFile(file, data);
}

/** Returns the paths to stage for this action. */
async function act(c: ApplyCtx, a: FileAction): Promise<string[]> {
  const list = tracked(c.wt);
  const chosen = list.length > 0 && 'pick' in a ? list[a.pick % list.length]! : null;
  switch (a.t) {
    case 'text': {
      const rel = a.shared ? SHARED[a.slot]! : `${c.id}/f${a.slot}.txt`;
      const file = path.join(c.wt, rel);
      const old = (await isRegular(file)) ? await readFile(file, 'latin1') : 'l0\nl1\nl2\nl3\n';
      const lines = old.split('\n');
      lines[a.line] = `${a.word} ${c.id} r${c.round}`;
      await put(file, lines.join('\n'));
      return [rel];
    }
    case 'binary': {
      const rel = `${c.id}/b${a.slot}.bin`;
      await put(path.join(c.wt, rel), Buffer.from([0, ...a.bytes, 0]));
      return [rel];
    }
    case 'delete':
      if (chosen) gitSync(c.wt, ['rm', '-q', '-f', '--', chosen]);
      return [];
    case 'rename': {
      if (!chosen) return [];
      const to = `${c.id}/moved-${++seq}${path.extname(chosen)}`;
      await mkdir(path.join(c.wt, c.id), { recursive: true });
      gitSync(c.wt, ['mv', '-f', '--', chosen, to]);
      return [];
    }
    case 'chmod': {
      if (!chosen || !(await isRegular(path.join(c.wt, chosen)))) return [];
      const file = path.join(c.wt, chosen);
      const mode = (await lstat(file)).mode;
      await chmod(file, mode & 0o111 ? 0o644 : 0o755);
      return [chosen];
    }
    case 'symlink': {
      const rel = `${c.id}/l${a.slot}`;
      const target = list.length > 0 ? list[a.target % list.length]! : 'nowhere';
      await mkdir(path.join(c.wt, c.id), { recursive: true });
      await rm(path.join(c.wt, rel), { force: true, recursive: true });
      await symlink(
        path.relative(path.join(c.wt, c.id), path.join(c.wt, target)),
        path.join(c.wt, rel),
      );
      return [rel];
    }
    case 'forceIgnored': {
      const rel = `${c.id}/i${a.slot}.log`;
      await put(path.join(c.wt, rel), `${a.word} tracked log ${c.id}\n`);
      gitSync(c.wt, ['add', '-f', '--', rel]);
      return [];
    }
  }
}

function message(c: ApplyCtx, enc: Encoding, what: string): Buffer {
  const subject = `${c.id} r${c.round} ${what} ${++seq}${c.refuse ? ' REFUSE' : ''}`;
  const head =
    enc === 'utf8' ? Buffer.from('') : Buffer.concat([ENCODED[enc].bytes, Buffer.from(' ')]);
  return Buffer.concat([head, Buffer.from(`${subject}\n\nbody of ${subject}\n`)]);
}

/** Resolve every unmerged path with a new text (what a person resolving would write). */
async function resolveAll(c: ApplyCtx): Promise<void> {
  const files = gitSync(c.wt, ['diff', '--name-only', '--diff-filter=U', '-z'])
    .split('\0')
    .filter(Boolean);
  for (const rel of [...new Set(files)]) {
    await put(path.join(c.wt, rel), `resolved by ${c.id} r${c.round}\n`);
    gitSync(c.wt, ['add', '--', rel]);
  }
}

async function merge(c: ApplyCtx, kind: 'clean' | 'conflict' | 'extra'): Promise<void> {
  const { fx } = c;
  if (kind === 'conflict') {
    await put(path.join(c.wt, SHARED[0]!), `${c.id} side r${c.round}\nline1\nline2\nline3\n`);
    gitSync(c.wt, ['add', '--', SHARED[0]!]);
    await writeMsg(c, 'utf8', 'before merge');
    await fx.pushFromOutside(
      { [SHARED[0]!]: `main side ${++seq}\nline1\nline2\nline3\n` },
      `outside ${seq}`,
    );
  } else {
    await fx.pushFromOutside({ [`outside/o${++seq}.txt`]: `outside ${seq}\n` }, `outside ${seq}`);
  }
  gitSync(c.wt, ['fetch', '-q', 'origin']);
  // A merge git refuses to start (uncommitted changes in the way) is simply not done.
  tryGit(c.wt, ['merge', '-q', '--no-commit', '--no-ff', 'origin/main']);
  if (!tryGit(c.wt, ['rev-parse', '-q', '--verify', 'MERGE_HEAD'])) return;
  await resolveAll(c);
  if (kind === 'extra') {
    const rel = `${c.id}/extra-${++seq}.txt`;
    await put(path.join(c.wt, rel), `added while merging ${seq}\n`);
    gitSync(c.wt, ['add', '--', rel]);
  }
  await writeMsg(c, 'utf8', `merge ${kind}`, true);
}

async function writeMsg(
  c: ApplyCtx,
  enc: Encoding,
  what: string,
  noEditMerge = false,
): Promise<void> {
  const file = path.join(os.tmpdir(), `fleet-prop-msg-${process.pid}-${++seq}`);
  await writeFile(file, message(c, enc, what));
  const date = nextDate();
  execFileSync(
    'git',
    [
      '-c',
      `i18n.commitEncoding=${enc === 'utf8' ? 'UTF-8' : ENCODED[enc].encoding}`,
      'commit',
      '-q',
      ...(noEditMerge ? [] : ['--allow-empty']),
      '-F',
      file,
    ],
    {
      cwd: c.wt,
      env: { ...process.env, LC_ALL: 'C', GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
      stdio: 'pipe',
    },
  );
  await rm(file, { force: true });
}

export async function applyOp(c: ApplyCtx, op: Op): Promise<void> {
  switch (op.t) {
    case 'commit': {
      const paths: string[] = [];
      for (const a of op.actions) paths.push(...(await act(c, a)));
      // A later action of the same commit may have removed or moved a file written earlier.
      const present: string[] = [];
      for (const rel of new Set(paths))
        if (
          await lstat(path.join(c.wt, rel)).then(
            () => true,
            () => false,
          )
        )
          present.push(rel);
      if (present.length > 0) gitSync(c.wt, ['add', '-f', '--', ...present]);
      await writeMsg(c, op.enc, 'commit');
      return;
    }
    case 'empty':
      await writeMsg(c, op.enc, 'empty');
      return;
    case 'merge':
      await merge(c, op.kind);
      return;
    case 'ignored':
      await put(path.join(c.wt, `${c.id}/i${op.slot}.log`), Buffer.from(op.bytes));
      return;
    case 'untracked':
      await put(path.join(c.wt, `${c.id}/u${op.slot}.wip`), `${op.word} untracked\n`);
      return;
    case 'dirty': {
      const list = tracked(c.wt);
      const rel = list.length > 0 ? list[op.pick % list.length]! : null;
      if (rel && (await isRegular(path.join(c.wt, rel))))
        await writeFile(path.join(c.wt, rel), `${op.word} uncommitted\n`, { flag: 'a' });
      return;
    }
  }
}

/** Between rounds the agent commits its uncommitted edits to tracked files, as agents do. */
export async function commitTracked(c: ApplyCtx): Promise<void> {
  if (gitSync(c.wt, ['status', '--porcelain', '--untracked-files=no']) === '') return;
  gitSync(c.wt, ['add', '-u']);
  await writeMsg(c, 'utf8', 'wip');
}
