import type { ResolvedConfig } from '../../config/types.js';
import { existsSync } from 'node:fs';
import { FleetError } from '../errors.js';
import { dropLander, landerPath } from './lander.js';
import { backupRefs } from '../git/backup.js';
import { withRepoLock } from '../git/lock.js';
import { findListed, listWorktrees } from '../git/worktree-list.js';
import { git, gitOut } from '../git/run.js';
import { mainRef } from '../git/status.js';
import { requireRepo } from '../git/worktree.js';
import { committerIdent } from './chain.js';
import { noGate } from './gate.js';
import { selectInstances, settle, type PlannedInstance } from './plan.js';
import { prepare } from './prepare.js';
import { pushPlanned, type PushState } from './push-loop.js';
import {
  appendLandLog,
  clearJournal,
  readJournal,
  updateNeedsSync,
  writeJournal,
} from '../state/land-records.js';
import { openReplay } from './replay.js';
import { dryRun, objectFormat, replayOptions, report } from './dry-run.js';
import { syncWorktrees, type SyncResult } from './sync.js';
import { changesBetween } from '../git/checkout-changes.js';
import { fetchFromHosts } from '../hosts/land-fetch.js';
import { hostCounts } from '../hosts/counters.js';
import { syncOnHosts } from '../hosts/sync.js';
import { withHostConnections } from '../hosts/land-report.js';
import type { LandOptions, LandProgress, LandReport } from './types.js';

/** Kept for callers written against the first version; everything is in LandOptions now. */
export type LandRunOptions = LandOptions;

/**
 * Land the selected instances: fetch once, replay their commits onto one chain in the lander,
 * gate, push once (fast-forward only), then sync the worktrees where that is safe.
 */
export async function land(config: ResolvedConfig, opts: LandRunOptions = {}): Promise<LandReport> {
  const repo = await requireRepo(config);
  const progress = (p: LandProgress) => opts.onProgress?.(p);
  if (opts.dryRun) return dryRun(config, repo.commonDir, opts);
  const insts = selectInstances(config, opts.ids, opts.all);
  insts.forEach((i) => progress({ id: i.id, phase: 'pending' }));
  return withRepoLock(
    repo.commonDir,
    'land',
    async () => {
      const left = await readJournal(repo.commonDir);
      if (left) {
        throw new FleetError(
          `a land started ${left.startedAt} (pid ${left.pid}) did not finish — run "fleet-tui recover" first`,
        );
      }
      await writeJournal(repo.commonDir, {
        pid: process.pid,
        startedAt: new Date().toISOString(),
        phase: 'replay',
      });
      try {
        return await landLocked(config, repo.commonDir, insts, opts, progress);
      } finally {
        await clearJournal(repo.commonDir);
      }
    },
    {
      waitMs: opts.waitMs ?? 0,
      onStale: (info) =>
        opts.onNotice?.(
          `took over a stale land lock of pid ${info.pid} (since ${info.time}); that process is gone`,
        ),
    },
  );
}

async function landLocked(
  config: ResolvedConfig,
  commonDir: string,
  insts: ResolvedConfig['instances'],
  opts: LandRunOptions,
  progress: (p: LandProgress) => void,
): Promise<LandReport> {
  const cwd = config.rootDir;
  const hostsBefore = hostCounts();
  const before = await git(['rev-parse', '--verify', '-q', '--end-of-options', mainRef(config)], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  const mainBefore = before.stdout.trim();
  // Host branches come over SSH while origin is fetched (errors come back as facts, not throws).
  const hostFetch = fetchFromHosts(config, insts);
  // Awaited below; this only keeps a rejection meanwhile from being unhandled.
  hostFetch.catch(() => undefined);
  const fetching = git(['fetch', '-q', '--no-tags', '--', config.remote, config.mainBranch], {
    cwd,
    allowFail: true,
  });
  const hadLander = existsSync(landerPath(commonDir));
  const [format, committer] = await Promise.all([objectFormat(cwd), committerIdent(cwd)]);
  const ctx = openReplay(cwd, format, committer, replayOptions(config));
  try {
    const gate = opts.gate && opts.gate !== noGate ? opts.gate : null;
    const run = { config, commonDir, insts, ctx, gate, progress, onNotice: opts.onNotice };
    // Everything local runs while the fetch is on the wire, on the main we have (prepare.ts).
    // A failure here is not reported: the same steps run again after the fetch and say it then.
    const guess = mainBefore
      ? hostFetch
          .then((hostFacts) =>
            prepare({
              ...run,
              base: mainBefore,
              hostFacts,
              fetched: fetching.then((f) => f.exitCode === 0),
            }),
          )
          .catch(() => null)
      : Promise.resolve(null);
    const fetch = await fetching;
    // Never left running: it may be checking the lander out.
    const guessed = await guess;
    const state: PushState = { fetches: 1, pushes: 0 };
    if (fetch.exitCode !== 0) {
      // Nothing changed, then: not even a lander made for a chain that will not be pushed.
      if (!hadLander && existsSync(landerPath(commonDir))) await dropLander(commonDir, cwd);
      return fetchFailed(config, insts, fetch.stderr, mainBefore, progress);
    }
    const base = await gitOut(['rev-parse', '--verify', '--end-of-options', mainRef(config)], {
      cwd,
      readOnly: true,
    });
    const prep =
      guessed?.base === base
        ? guessed
        : await prepare({ ...run, base, hostFacts: await hostFetch });
    prep.tell();
    const { planned, candidates, lander, chain } = prep;
    let after = base;
    if (lander && chain) {
      after = await pushPlanned({
        config,
        ctx,
        lander,
        start: base,
        candidates,
        gate,
        state,
        progress,
        commonDir,
        first: chain,
      });
    }
    await ctx.close();
    settle(planned);
    await writeJournal(commonDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      phase: 'sync',
    });
    await syncAfterLand(config, commonDir, planned, after, progress);
    await recordLand(commonDir, planned, after);
    return withHostConnections(
      config,
      report(planned, mainBefore || base, after, state.fetches, state.pushes),
      hostsBefore,
    );
  } finally {
    await ctx.close();
  }
}

/** The fetch failed: nothing was read or moved; every instance says why. */
function fetchFailed(
  config: ResolvedConfig,
  insts: ResolvedConfig['instances'],
  stderr: string,
  mainBefore: string,
  progress: (p: LandProgress) => void,
): LandReport {
  const msg = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
  const failed = insts.map((i) => ({
    id: i.id,
    outcome: 'error' as const,
    commits: 0,
    files: [],
    sync: 'unchanged' as const,
    reason: `fetch from ${config.remote} failed: ${msg} — check the remote and the network, then land again`,
  }));
  failed.forEach((f) => progress({ id: f.id, phase: 'error', detail: f.reason }));
  return {
    ok: false,
    main: { before: mainBefore, after: mainBefore },
    fetches: 1,
    pushes: 0,
    instances: failed,
  };
}

/** Landed instances and the conflicts met (the report counts both; a conflict lands nothing). */
async function recordLand(
  commonDir: string,
  planned: PlannedInstance[],
  main: string,
): Promise<void> {
  const at = new Date().toISOString();
  await appendLandLog(
    commonDir,
    planned
      .filter((p) => p.result.outcome === 'landed' || p.result.outcome === 'conflict')
      .map((p) =>
        p.result.outcome === 'landed'
          ? { id: p.inst.id, commits: p.result.commits, at, main }
          : { id: p.inst.id, commits: 0, at, main, outcome: 'conflict', files: p.result.files },
      ),
  );
}

/** Landed instances follow main when safe; instances with nothing to land catch up when clean. */
async function syncAfterLand(
  config: ResolvedConfig,
  commonDir: string,
  planned: PlannedInstance[],
  target: string,
  progress: (p: LandProgress) => void,
): Promise<void> {
  const eligible = planned.filter(
    (p) => p.result.outcome === 'landed' || p.result.outcome === 'nothing',
  );
  const moved = eligible.filter((p) => p.branchTip && p.branchTip !== target);
  const local = eligible.filter((p) => !p.inst.host);
  // Worktrees still at the tip the land read (the usual case) only check the new main out:
  // what that writes is read for all of them at once, beside the backups and the listing.
  const atTip = local.filter((p) => p.branchTip && p.branchTip !== target);
  const [, worktrees, diffs] = await Promise.all([
    backupRefs(
      config.rootDir,
      moved.map((p) => ({ id: p.inst.id, sha: p.branchTip! })),
      'land',
    ),
    listWorktrees(config.rootDir),
    changesBetween(
      config.rootDir,
      atTip.map((p) => ({ from: p.branchTip!, to: target })),
    ),
  ]);
  const changes = new Map(atTip.map((p, k) => [p, diffs[k]!]));
  // Instances on SSH hosts are synced on their host, with the same rules, alongside.
  const onHosts = eligible.filter((p) => p.inst.host);
  const hostSync = onHosts.length > 0 ? syncOnHosts(config, onHosts, target, progress) : null;
  local
    .filter((p) => p.result.outcome === 'landed')
    .forEach((p) => progress({ id: p.inst.id, phase: 'syncing' }));
  // Every worktree at once: each rebase runs in its own worktree (they share no index and no
  // HEAD), all started by one `sh` once every check and marker is done (sync.ts).
  // Landed: its commits up to the tip we read are on main now. Nothing to land: the same holds
  // (every commit is patch-equivalent to one on main).
  await syncWorktrees(
    commonDir,
    local.map((p) => ({
      inst: p.inst,
      target,
      from: p.branchTip,
      listed: findListed(worktrees, p.inst.worktreePath),
      changes: changes.get(p),
    })),
    (k, res) => settleSync(local[k]!, res, progress),
  );
  await hostSync;
  const results = [...local, ...onHosts];
  await updateNeedsSync(
    commonDir,
    results
      .filter((p) => p.result.outcome === 'landed' && p.result.sync === 'needs-sync')
      .map((p) => p.inst.id),
    results.filter((p) => p.result.sync === 'synced').map((p) => p.inst.id),
  );
}

/** An instance's report after its worktree's sync. */
function settleSync(
  p: PlannedInstance,
  res: SyncResult,
  progress: (p: LandProgress) => void,
): void {
  p.result = { ...p.result, sync: res.sync };
  // Nothing landed, so its worktree only stays behind main like any other; the refusal's
  // reason (a dirty file, an ignored file in the way) is still news to the person.
  if (res.sync === 'needs-sync' && p.result.outcome === 'nothing')
    p.result = {
      ...p.result,
      sync: 'unchanged',
      reason: `${p.result.reason}; not caught up with main: ${res.reason}`,
    };
  if (p.result.outcome === 'landed')
    progress({ id: p.inst.id, phase: 'landed', detail: res.reason });
}
