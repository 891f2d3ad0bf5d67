// Helpers for the git-engine tests: load a fixture's config, count git network calls, and
// snapshot every ref and every worktree file so a test can prove what did or did not change.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { vi } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { observeGit } from '../../src/core/git/run.js';
import { BIN, makeFleet, type FleetFixture, type FixtureOptions } from './git-fixture.js';

/**
 * Start `fleet-tui land --all` in `repo` and SIGKILL it `delayMs` after it took its lock (at
 * once if it ended first): a land killed at a chosen moment of its own work.
 */
export async function killLandAfterLock(repo: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, [BIN, 'land', '--all', '--json'], {
    cwd: repo,
    stdio: 'ignore',
  });
  let gone = false;
  const exited = new Promise((r) => child.once('exit', r)).then(() => (gone = true));
  const lock = path.join(repo, '.git', 'fleet-tui', 'land.lock');
  await vi.waitFor(
    () => {
      if (!gone && !existsSync(lock)) throw new Error('the land has not taken its lock yet');
    },
    { timeout: 60_000, interval: 5 },
  );
  // Not a wait for a condition: the moment of the kill, chosen by the caller.
  await new Promise((r) => setTimeout(r, delayMs));
  child.kill('SIGKILL');
  await exited;
}

export async function fleetWithConfig(
  opts: FixtureOptions = {},
): Promise<{ fx: FleetFixture; config: ResolvedConfig }> {
  const fx = await makeFleet(opts);
  const config = await loadConfig({ cwd: fx.repo });
  return { fx, config };
}

/** Count fetches and pushes made through the git module while `fn` runs. */
export async function countNetwork<T>(
  fn: () => Promise<T>,
): Promise<{ value: T; fetches: number; pushes: number }> {
  let fetches = 0;
  let pushes = 0;
  const stop = observeGit((args) => {
    const sub = args.find((a) => !a.startsWith('-') && !a.includes('='));
    if (sub === 'fetch') fetches++;
    if (sub === 'push') pushes++;
  });
  try {
    const value = await fn();
    return { value, fetches, pushes };
  } finally {
    stop();
  }
}

/** Give each instance `n` commits touching only its own files (no conflicts). */
export async function seedCommits(fx: FleetFixture, n: (i: number) => number): Promise<string[][]> {
  const out: string[][] = [];
  for (const [i, inst] of fx.instances.entries()) {
    const shas: string[] = [];
    for (let k = 0; k < n(i); k++) {
      shas.push(
        await fx.commit(
          inst.worktree,
          { [`${inst.id}/file${k}.txt`]: `${inst.id} ${k}\n` },
          `${inst.id}: change ${k}`,
        ),
      );
    }
    out.push(shas);
  }
  return out;
}

async function walk(dir: string, base: string, acc: Map<string, string>): Promise<void> {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    const rel = path.relative(base, full);
    if (e.name === '.git') continue;
    if (e.isDirectory()) await walk(full, base, acc);
    else if (e.isFile())
      acc.set(
        rel,
        createHash('sha1')
          .update(await readFile(full))
          .digest('hex'),
      );
  }
}

/** Every ref (all worktrees' HEADs included) and every file of every worktree, hashed. */
export async function snapshot(
  fx: FleetFixture,
): Promise<{ refs: string; files: Map<string, string> }> {
  const refs = [
    await fx.git(fx.repo, 'for-each-ref', '--format=%(refname) %(objectname)'),
    await fx.git(fx.origin, 'for-each-ref', '--format=%(refname) %(objectname)'),
    await fx.git(fx.repo, 'worktree', 'list', '--porcelain'),
  ].join('\n');
  const files = new Map<string, string>();
  await walk(fx.repo, fx.repo, files);
  return { refs, files };
}

/** Subjects on origin's main, oldest first. */
export async function mainSubjects(fx: FleetFixture): Promise<string[]> {
  const out = await fx.git(fx.origin, 'log', '--reverse', '--format=%s', 'main');
  return out.split('\n');
}

export interface FleetCapture {
  main: string;
  branches: Array<{
    id: string;
    branch: string;
    worktree: string;
    unlanded: string[];
    dirty: Map<string, string | null>;
  }>;
}

async function dirtyFiles(worktree: string, fx: FleetFixture): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const text = await fx
    .git(worktree, 'status', '--porcelain', '-z', '--untracked-files=all')
    .catch(() => '');
  for (const entry of text.split('\0')) {
    if (entry.length < 4) continue;
    const rel = entry.slice(3);
    out.set(rel, await readFile(path.join(worktree, rel), 'utf8').catch(() => null));
  }
  return out;
}

/** What must survive any land: unlanded commits per branch and uncommitted file contents. */
export async function captureFleet(fx: FleetFixture): Promise<FleetCapture> {
  const main = await fx.git(fx.origin, 'rev-parse', 'main');
  const branches: FleetCapture['branches'] = [];
  for (const i of fx.instances) {
    const list = await fx
      .git(fx.repo, 'rev-list', `${main}..refs/heads/${i.branch}`)
      .catch(() => '');
    branches.push({
      id: i.id,
      branch: i.branch,
      worktree: i.worktree,
      unlanded: list ? list.split('\n') : [],
      dirty: await dirtyFiles(i.worktree, fx),
    });
  }
  return { main, branches };
}

/** The invariants after a land (and after `recover`): returns the violations found. */
export async function invariantViolations(
  fx: FleetFixture,
  before: FleetCapture,
): Promise<string[]> {
  const bad: string[] = [];
  const main = await fx.git(fx.origin, 'rev-parse', 'main');
  const forward = await fx.git(fx.repo, 'merge-base', '--is-ancestor', before.main, main).then(
    () => true,
    () => false,
  );
  if (!forward) bad.push(`main moved backwards: ${before.main} → ${main}`);
  const backups = (
    await fx.git(fx.repo, 'for-each-ref', '--format=%(refname)', 'refs/fleet/backup/')
  )
    .split('\n')
    .filter(Boolean);
  for (const b of before.branches) {
    const refs = [
      `refs/heads/${b.branch}`,
      ...backups.filter((r) => r.startsWith(`refs/fleet/backup/${b.id}/`)),
    ];
    // One rev-list per instance: everything its branch and its backups still reach.
    const existing = [];
    for (const ref of refs) {
      if (
        await fx.git(fx.repo, 'rev-parse', '-q', '--verify', ref).then(
          () => true,
          () => false,
        )
      )
        existing.push(ref);
    }
    const reach = new Set(
      existing.length ? (await fx.git(fx.repo, 'rev-list', ...existing)).split('\n') : [],
    );
    for (const c of b.unlanded) {
      if (reach.has(c)) continue;
      const cherry = await fx.git(fx.repo, 'cherry', main, c, `${c}^`);
      if (!cherry.startsWith('-')) {
        bad.push(
          `${b.id}: commit ${c.slice(0, 7)} is neither on main nor on its branch or a backup`,
        );
      }
    }
    const op = await fx.git(b.worktree, 'status').catch(() => '');
    if (/rebase in progress|You have unmerged paths|cherry-picking|All conflicts fixed/.test(op)) {
      bad.push(`${b.id}: worktree is mid-operation`);
    }
    for (const [rel, content] of b.dirty) {
      const now = await readFile(path.join(b.worktree, rel), 'utf8').catch(() => null);
      if (now !== content) bad.push(`${b.id}: uncommitted ${rel} changed`);
    }
  }
  return bad;
}
