import type { ResolvedConfig } from '../../config/types.js';
import { git, gitOut } from '../git/run.js';
import { mainRef } from '../git/status.js';
import { chainWithGate, type GatedChain } from './chain.js';
import type { LandGate } from './gate.js';
import { checkoutLander } from './lander.js';
import type { PlannedInstance } from './plan.js';
import { pushTip, type PushResult } from './push.js';
import { writeJournal } from '../state/land-records.js';
import type { ReplayContext, ReplayStep } from './replay.js';
import type { LandProgress } from './types.js';

export interface PushState {
  fetches: number;
  pushes: number;
}

const MAX_TRIES = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function refetch(config: ResolvedConfig, state: PushState): Promise<string> {
  state.fetches++;
  await git(['fetch', '-q', '--no-tags', '--', config.remote, config.mainBranch], {
    cwd: config.rootDir,
  });
  return gitOut(['rev-parse', '--verify', '--end-of-options', mainRef(config)], {
    cwd: config.rootDir,
    readOnly: true,
  });
}

function markLanded(
  pool: PlannedInstance[],
  steps: ReplayStep[],
  progress: (p: LandProgress) => void,
) {
  for (const s of steps) {
    const p = pool.find((x) => x.inst.id === s.id)!;
    p.result = { ...p.result, outcome: 'landed', commits: s.added, reason: '' };
    progress({ id: s.id, phase: 'pushing' });
  }
}

function markAll(
  pool: PlannedInstance[],
  steps: ReplayStep[],
  outcome: 'error' | 'refused',
  reason: string,
) {
  for (const s of steps) {
    const p = pool.find((x) => x.inst.id === s.id)!;
    p.result = { ...p.result, outcome, reason };
  }
}

async function pushChain(
  config: ResolvedConfig,
  lander: string,
  tip: string,
  state: PushState,
  landerAt: string | null = null,
  onPushing?: (tip: string) => void,
): Promise<PushResult> {
  // The gate checked the same commit out a moment ago: once is enough.
  if (landerAt !== tip) await checkoutLander(lander, tip);
  state.pushes++;
  const res = pushTip(lander, config.remote, config.mainBranch, tip);
  onPushing?.(tip);
  return res;
}

/**
 * Push the chain; when the remote moved, fetch and rebuild (up to 5 tries, with backoff); when
 * the remote refuses, land the instances one at a time to find the refused one. Returns the new
 * main sha.
 */
export interface PushRun {
  config: ResolvedConfig;
  ctx: ReplayContext;
  lander: string;
  /** The main the chain starts from. */
  start: string;
  candidates: PlannedInstance[];
  gate: LandGate | null;
  state: PushState;
  progress: (p: LandProgress) => void;
  commonDir: string;
  /** The chain already built and gated on `start` (see prepare.ts), used for the first try. */
  first?: GatedChain | null;
  /** Told each chain tip once its push is under way (its git process asked for). */
  onPushing?: (tip: string) => void;
}

export async function pushPlanned(run: PushRun): Promise<string> {
  const { config, ctx, lander, start, candidates, gate, state, progress, commonDir } = run;
  let base = start;
  for (let attempt = 1; ; attempt++) {
    const pool = candidates.filter((p) => p.result.outcome === 'pending');
    const chain =
      attempt === 1 && run.first
        ? run.first
        : await chainWithGate(config, ctx, base, pool, gate, lander, progress);
    if (chain.steps.length === 0) return base;
    chain.steps.forEach((s) => progress({ id: s.id, phase: 'pushing' }));
    // The journal's phase only tells (recover goes by the journal's presence and the markers):
    // it is written while the push is on the wire.
    const journaled = writeJournal(commonDir, {
      pid: process.pid,
      startedAt: new Date().toISOString(),
      phase: 'push',
    });
    journaled.catch(() => undefined); // awaited below
    const [res] = await Promise.all([
      pushChain(config, lander, chain.tip, state, chain.landerAt, run.onPushing),
      journaled,
    ]);
    if (res.kind === 'ok') {
      markLanded(pool, chain.steps, progress);
      return chain.tip;
    }
    if (res.kind === 'moved' && attempt < MAX_TRIES) {
      await sleep(50 * 2 ** (attempt - 1));
      try {
        base = await refetch(config, state);
      } catch (e) {
        markAll(pool, chain.steps, 'error', (e as Error).message);
        return base;
      }
      continue;
    }
    if (res.kind === 'refused' && chain.steps.length > 1)
      return oneAtATime(config, ctx, lander, pool, chain.steps, base, state, progress);
    const why =
      res.kind === 'moved'
        ? `${config.remote}/${config.mainBranch} kept moving; gave up after ${MAX_TRIES} tries — land again`
        : res.message;
    markAll(pool, chain.steps, res.kind === 'refused' ? 'refused' : 'error', why);
    return base;
  }
}

/** The remote refused the chain: push instance by instance so only the refused one stays out. */
async function oneAtATime(
  config: ResolvedConfig,
  ctx: ReplayContext,
  lander: string,
  pool: PlannedInstance[],
  steps: ReplayStep[],
  start: string,
  state: PushState,
  progress: (p: LandProgress) => void,
): Promise<string> {
  let base = start;
  for (const step of steps) {
    const p = pool.find((x) => x.inst.id === step.id)!;
    for (let attempt = 1; ; attempt++) {
      const chain = await chainWithGate(config, ctx, base, [p], null, lander, progress);
      if (chain.steps.length === 0) break; // conflicts on the new base: marked by chainWithGate
      const res = await pushChain(config, lander, chain.tip, state);
      if (res.kind === 'ok') {
        markLanded([p], chain.steps, progress);
        base = chain.tip;
        break;
      }
      if (res.kind === 'moved' && attempt < MAX_TRIES) {
        try {
          base = await refetch(config, state);
        } catch (e) {
          markAll([p], chain.steps, 'error', (e as Error).message);
          break;
        }
        continue;
      }
      markAll([p], chain.steps, res.kind === 'refused' ? 'refused' : 'error', res.message);
      progress({ id: p.inst.id, phase: p.result.outcome, detail: res.message });
      break;
    }
  }
  return base;
}
