// The three ways to land a fleet that figure 1 compares, each run on a fresh fixture.
import { execa } from 'execa';
import path from 'node:path';
import { git, type BenchFleet } from '../fixtures/fleet.js';
import { readCounts, type OriginCounts } from '../fixtures/origin.js';
import { readSpawnCounts, spawnCountFile, type SpawnCounts } from '../lib/spawns.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
/** The fleet-tui entry measured: this checkout's, or another build's via FLEET_TUI_BIN. */
export const BIN = process.env.FLEET_TUI_BIN ?? path.join(REPO_ROOT, 'bin', 'fleet-tui.js');

/** The article's rule 3, verbatim. */
export const ARTICLE_LOOP = 'git pull --rebase origin main && git push origin HEAD:main';
/** (c): the same loop, retried until the push lands (capped so a broken run cannot hang). */
const RETRY_LOOP = `n=0; until ${ARTICLE_LOOP}; do n=$((n+1)); if [ $n -ge 300 ]; then exit 1; fi; done`;

export type Contender = 'a' | 'b' | 'c';

export const COMMANDS: Record<Contender, string> = {
  a: 'fleet-tui land --all --json',
  b: `for each worktree, one after another: ${ARTICLE_LOOP}`,
  c: `all worktrees at once, each: until ${ARTICLE_LOOP}; do :; done`,
};

export interface LandRun {
  wallMs: number;
  counts: OriginCounts;
  /** fleet-tui's own report (contender a only). */
  report?: { fetches: number; pushes: number; outcomes: string[] };
  /** fleet-tui's git processes (contender a only). */
  spawns?: SpawnCounts | null;
  /** Every instance's commits are on the origin's main afterwards. */
  complete: boolean;
  error?: string;
}

async function landedCommits(fleet: BenchFleet): Promise<number> {
  return Number(await git(fleet.origin, ['rev-list', '--count', 'main'])) - 1;
}

async function runContender(
  fleet: BenchFleet,
  who: Contender,
  countFile?: string,
): Promise<{ error?: string; report?: LandRun['report'] }> {
  const quiet = { reject: false, stdin: 'ignore' } as const;
  if (who === 'a') {
    const res = await execa(process.execPath, [BIN, 'land', '--all', '--json'], {
      cwd: fleet.repo,
      ...quiet,
      env: countFile ? { FLEET_TUI_GIT_COUNT: countFile } : {},
    });
    try {
      const json = JSON.parse(String(res.stdout)) as {
        fetches: number;
        pushes: number;
        instances: Array<{ outcome: string }>;
      };
      const report = {
        fetches: json.fetches,
        pushes: json.pushes,
        outcomes: json.instances.map((i) => i.outcome),
      };
      return res.exitCode === 0 ? { report } : { report, error: `exit ${res.exitCode}` };
    } catch {
      return { error: `exit ${res.exitCode}: ${String(res.stderr || res.stdout).split('\n')[0]}` };
    }
  }
  if (who === 'b') {
    for (const inst of fleet.instances) {
      const res = await execa('sh', ['-c', ARTICLE_LOOP], { cwd: inst.worktree, ...quiet });
      if (res.exitCode !== 0)
        return { error: `${inst.id}: ${String(res.stderr).split('\n').at(-2) ?? ''}` };
    }
    return {};
  }
  const all = await Promise.all(
    fleet.instances.map((inst) =>
      execa('sh', ['-c', RETRY_LOOP], { cwd: inst.worktree, ...quiet }),
    ),
  );
  const failed = all.findIndex((r) => r.exitCode !== 0);
  return failed < 0 ? {} : { error: `${fleet.instances[failed]!.id}: gave up after 300 tries` };
}

export async function landWith(
  fleet: BenchFleet,
  who: Contender,
  commitsEach: number,
): Promise<LandRun> {
  // As for anyone who ran fleet-tui in this repository before: the config is compiled (cached
  // per content in .git/fleet-tui/) and its branch names checked. Not timed.
  if (who === 'a') await execa(process.execPath, [BIN, 'config'], { cwd: fleet.repo });
  const countFile = who === 'a' ? spawnCountFile() : undefined;
  const t0 = performance.now();
  const { error, report } = await runContender(fleet, who, countFile);
  const wallMs = performance.now() - t0;
  const complete = (await landedCommits(fleet)) === fleet.instances.length * commitsEach;
  const spawns = countFile ? readSpawnCounts(countFile) : undefined;
  return {
    wallMs,
    counts: readCounts(fleet.log),
    report,
    complete,
    ...(countFile ? { spawns } : {}),
    ...(error ? { error } : {}),
  };
}
