// `land --dry-run` (a replay into a throwaway object directory) and what it shares with land.ts.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import { gitOut } from '../git/run.js';
import { mainRef } from '../git/status.js';
import { judgeScope } from './scope-check.js';
import { chainWithGate, committerIdent } from './chain.js';
import { noGate, type LandGate } from './gate.js';
import {
  finalResult,
  isCandidate,
  planInstances,
  selectInstances,
  type PlannedInstance,
} from './plan.js';
import { openReplay, type ReplayOptions } from './replay.js';
import { hostsNotContacted } from '../hosts/land-fetch.js';
import type { LandOptions, LandReport } from './types.js';

export function report(
  planned: PlannedInstance[],
  before: string,
  after: string,
  fetches: number,
  pushes: number,
): LandReport {
  const instances = planned.map(finalResult);
  const ok = instances.every((r) => r.outcome === 'landed' || r.outcome === 'nothing');
  return { ok, main: { before, after }, fetches, pushes, instances };
}

/** Dry run: replay on the local `<remote>/<main>` into a throwaway object directory. */
export async function dryRun(
  config: ResolvedConfig,
  commonDir: string,
  opts: LandOptions,
): Promise<LandReport> {
  const main = await gitOut(['rev-parse', '--verify', '--end-of-options', mainRef(config)], {
    cwd: config.rootDir,
    readOnly: true,
  });
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'fleet-dry-'));
  const env = {
    GIT_OBJECT_DIRECTORY: tmp,
    GIT_ALTERNATE_OBJECT_DIRECTORIES: path.join(commonDir, 'objects'),
  };
  const insts = selectInstances(config, opts.ids, opts.all);
  const planned = await planInstances(config, insts, main, env, hostsNotContacted(insts));
  await judgeScope(config, planned, { env, onNotice: opts.onNotice });
  const ctx = openReplay(
    config.rootDir,
    await objectFormat(config.rootDir),
    await committerIdent(config.rootDir),
    replayOptions(config),
    env,
  );
  try {
    const candidates = planned.filter(isCandidate);
    const chain = await chainWithGate(
      config,
      ctx,
      main,
      candidates,
      opts.gate && opts.gate !== noGate ? seeingObjects(opts.gate, tmp) : null,
      null,
      () => undefined,
    );
    for (const s of chain.steps) {
      const p = planned.find((x) => x.inst.id === s.id)!;
      p.result = {
        ...p.result,
        outcome: 'landed',
        commits: s.added,
        reason: 'would land (dry run)',
      };
    }
    return report(planned, main, chain.tip, 0, 0);
  } finally {
    await ctx.close();
    await rm(tmp, { recursive: true, force: true });
  }
}

/**
 * A dry run's chain lives in a throwaway object directory; the gate runs git on its own, so for
 * its duration every git process may also read from there (reading only: nothing is written).
 */
function seeingObjects(gate: LandGate, dir: string): LandGate {
  return async (input) => {
    const saved = process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES;
    process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES = saved ? `${dir}${path.delimiter}${saved}` : dir;
    try {
      return await gate(input);
    } finally {
      if (saved === undefined) delete process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES;
      else process.env.GIT_ALTERNATE_OBJECT_DIRECTORIES = saved;
    }
  };
}

export function replayOptions(config: ResolvedConfig): ReplayOptions {
  return {
    merges: config.land.merges,
    mainName: mainRef(config),
    mainBranch: config.mainBranch,
  };
}

export async function objectFormat(cwd: string): Promise<string> {
  return gitOut(['rev-parse', '--show-object-format'], { cwd, readOnly: true });
}
