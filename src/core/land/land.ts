import type { ResolvedConfig } from '../../config/types.js';
import { existsSync } from 'node:fs';
import { FleetError } from '../errors.js';
import { dropLander, landerPath } from './lander.js';
import { withRepoLock } from '../git/lock.js';
import { git } from '../git/run.js';
import { guessRef } from '../git/head-guess.js';
import { requireRemote } from '../git/remote.js';
import { mainRef } from '../git/status.js';
import { requireRepo } from '../git/worktree.js';
import { committerIdent } from './chain.js';
import { noGate } from './gate.js';
import { selectInstances, settle, type PlannedInstance } from './plan.js';
import { prepare } from './prepare.js';
import { pushPlanned, type PushState } from './push-loop.js';
import { appendLandLog, clearJournal, readJournal, writeJournal } from '../state/land-records.js';
import { openReplay } from './replay.js';
import { dryRun, objectFormat, replayOptions, report } from './dry-run.js';
import { readAheadOfSync, syncAfterLand, type SyncReadAhead } from './sync-after-land.js';
import { fetchFromHosts } from '../hosts/land-fetch.js';
import { hostCounts } from '../hosts/counters.js';
import { withHostConnections } from '../hosts/land-report.js';
import type { LandOptions, LandProgress, LandReport } from './types.js';
import { mark } from '../git/spawn-count.js';

/** Kept for callers written against the first version; everything is in LandOptions now. */
export type LandRunOptions = LandOptions;

/**
 * Land the selected instances: fetch once, replay their commits onto one chain in the lander,
 * gate, push once (fast-forward only), then sync the worktrees where that is safe.
 */
export async function land(config: ResolvedConfig, opts: LandRunOptions = {}): Promise<LandReport> {
  mark('land');
  const repo = await requireRepo(config);
  const progress = (p: LandProgress) => opts.onProgress?.(p);
  if (opts.dryRun) return dryRun(config, repo.commonDir, opts);
  const insts = selectInstances(config, opts.ids, opts.all);
  // Checked while the lock is taken and the journal read, and awaited before the fetch: git would
  // fetch from (and the push would go to) a path or URL of that name.
  const remote = requireRemote(config);
  // Awaited in landLocked; when the lock is not taken, land fails with that error instead and a
  // missing remote is moot (nothing was fetched), so the rejection is dropped here only.
  remote.catch(() => undefined);
  insts.forEach((i) => progress({ id: i.id, phase: 'pending' }));
  return withRepoLock(
    repo.commonDir,
    'land',
    async () => {
      // The main we have, read beside the journal (a read: it changes nothing if we stop here).
      const before = readMain(config);
      before.catch(() => undefined); // awaited in landLocked
      const left = await readJournal(repo.commonDir);
      if (left) {
        throw new FleetError(
          `a land started ${left.startedAt} (pid ${left.pid}) did not finish — run "fleet-tui recover" first`,
        );
      }
      // Written while the fetch starts (landLocked waits for it before anything else): a fetch
      // only moves the remote-tracking ref, which no journal is needed to recover from.
      const journaled = writeJournal(repo.commonDir, {
        pid: process.pid,
        startedAt: new Date().toISOString(),
        phase: 'replay',
      });
      journaled.catch(() => undefined); // awaited in landLocked
      try {
        return await landLocked(
          config,
          repo.commonDir,
          insts,
          opts,
          progress,
          { before, remote },
          journaled,
        );
      } finally {
        // Never cleared while its write may still land after the removal.
        await journaled.catch(() => undefined);
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
  started: { before: Promise<string>; remote: Promise<void> },
  journaled: Promise<void>,
): Promise<LandReport> {
  const cwd = config.rootDir;
  const hostsBefore = hostCounts();
  const [mainBefore] = await Promise.all([started.before, started.remote]);
  // Host branches come over SSH while origin is fetched (errors come back as facts, not throws).
  const hostFetch = fetchFromHosts(config, insts);
  // Awaited below; this only keeps a rejection meanwhile from being unhandled.
  hostFetch.catch(() => undefined);
  const fetching = git(['fetch', '-q', '--no-tags', '--', config.remote, config.mainBranch], {
    cwd,
    allowFail: true,
  });
  // What the chain's commits need is read beside the fleet's reads: prepare awaits it only when
  // it builds the chain. The object format shows in the length of an object id.
  const known = { 40: 'sha1', 64: 'sha256' }[mainBefore.length];
  const replay = Promise.all([known ?? objectFormat(cwd), committerIdent(cwd)]).then(
    ([format, committer]) => openReplay(cwd, format, committer, replayOptions(config)),
  );
  // Awaited by prepare when it builds a chain (its error is land's error then); with nothing to
  // replay the committer is never needed, and a failure to read it is rightly dropped.
  replay.catch(() => undefined);
  await journaled;
  const hadLander = existsSync(landerPath(commonDir));
  try {
    const gate = opts.gate && opts.gate !== noGate ? opts.gate : null;
    const run = { config, commonDir, insts, ctx: replay, gate, progress, onNotice: opts.onNotice };
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
    mark('fetched');
    // The fetched main is read at once, while the guess may still be finishing.
    const fetchedMain =
      fetch.exitCode === 0
        ? readMain(config, true).then((sha) => {
            if (!sha) throw new FleetError(`the fetch left no ${mainRef(config)}`);
            return sha;
          })
        : null;
    fetchedMain?.catch(() => undefined); // awaited below, after the guess
    // Never left running: it may be checking the lander out.
    const guessed = await guess;
    const state: PushState = { fetches: 1, pushes: 0 };
    if (!fetchedMain) {
      // Nothing changed, then: not even a lander made for a chain that will not be pushed.
      if (!hadLander && existsSync(landerPath(commonDir))) await dropLander(commonDir, cwd);
      return fetchFailed(config, insts, fetch.stderr, mainBefore, progress);
    }
    const base = await fetchedMain;
    const prep =
      guessed?.base === base
        ? guessed
        : await prepare({ ...run, base, hostFacts: await hostFetch });
    prep.tell();
    mark('chain');
    const { planned, candidates, lander, chain } = prep;
    let after = base;
    let ahead: SyncReadAhead | null = null;
    if (lander && chain) {
      after = await pushPlanned({
        config,
        ctx: await replay, // read: prepare built the chain with it
        lander,
        start: base,
        candidates,
        gate,
        state,
        progress,
        commonDir,
        first: chain,
        // Read once the first push is asked for: its process starts first.
        onPushing: (tip) => void (ahead ??= readAheadOfSync(config, planned, tip)),
      });
    }
    mark('pushed');
    // The object writer ends, the journal moves on and the land is logged while the sync reads.
    const closed = closeReplay(replay);
    settle(planned);
    const journaled = writeJournal(commonDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      phase: 'sync',
    });
    const recorded = recordLand(commonDir, planned, after);
    // Awaited below (a failure still ends the land with its error, after the sync's own).
    for (const p of [closed, journaled, recorded]) p.catch(() => undefined);
    await syncAfterLand(config, commonDir, planned, after, progress, journaled, ahead);
    mark('synced');
    await Promise.all([closed, recorded]);
    return withHostConnections(
      config,
      report(planned, mainBefore || base, after, state.fetches, state.pushes),
      hostsBefore,
    );
  } finally {
    await closeReplay(replay);
  }
}

/** The object writer ended; nothing to end when the committer could not be read (no chain). */
const closeReplay = (replay: Promise<{ close(): Promise<void> }>) =>
  replay.then(
    (ctx) => ctx.close(),
    () => undefined,
  );

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

/**
 * Main's commit ('' when there is none), from the ref files where they answer as git would
 * (head-guess.ts: a loose ref, else `packed-refs`, read again after a fetch: `fresh`), else from
 * `git rev-parse`: one git process fewer on each side of the fetch, both on land's critical path.
 */
async function readMain(config: ResolvedConfig, fresh = false): Promise<string> {
  const ref = mainRef(config);
  const read = guessRef(config.rootDir, ref, fresh);
  if (read) return read;
  const res = await git(['rev-parse', '--verify', '-q', '--end-of-options', ref], {
    cwd: config.rootDir,
    readOnly: true,
    allowFail: true,
  });
  return res.stdout.trim();
}
