// SSH kill trials (issue 18): a land of a fleet with instances on two SSH hosts has its SSH
// connection cut at a random moment — the shared ssh master killed, the sessions' ssh processes
// killed, or sshd stopped — and then, with the content checkers of the land property test:
// every commit of every instance is on main or still on its branch, every untracked, ignored or
// uncommitted file is as it was, and after `recover` and the next land no host worktree is left
// mid-rebase. FLEET_SSH_KILLS (default 3) sets the number of trials; the seed is the property
// test's (FLEET_SEED).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { land, recover } from '../../src/core/land/index.js';
import { BIN, run, type FleetFixture } from '../helpers/git-fixture.js';
import { hostScriptsDone, killIfAlive, sshPids } from '../helpers/host-scripts.js';
import { makeHostsFleet, type HostsFleet } from '../helpers/hosts-fixture.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { applyOp, INITIAL_FILES } from './fleet-apply.js';
import { captureState, violations, type FleetState } from './fleet-checks.js';
import { fleetArb } from './fleet-gen.js';

const KILLS = Number(process.env.FLEET_SSH_KILLS ?? 3);
const SEED =
  process.env.FLEET_SEED === 'random' ? undefined : Number(process.env.FLEET_SEED ?? 20261201);
const FLEET = [{ id: 'ps1' }, { id: 'ps2', host: 'box1' }, { id: 'ps3', host: 'box2' }];
type Cut = 'master' | 'sessions' | 'sshd';
type At = 'lock' | 'push' | 'rebase';

/** One checker view per repository: the local clone, and each host's clone with its instances. */
function views(hf: HostsFleet): FleetFixture[] {
  const of = (repo: string, host: string | undefined) => ({
    ...hf.fx,
    repo,
    instances: hf.fx.instances
      .filter((i) => i.host === host)
      .map((i) => ({ ...i, worktree: hf.worktree(i.id) })),
  });
  return [of(hf.fx.repo, undefined), of(hf.clones.box1, 'box1'), of(hf.clones.box2, 'box2')];
}

const capture = (vs: FleetFixture[]) => Promise.all(vs.map((v) => captureState(v)));

async function check(
  vs: FleetFixture[],
  before: FleetState[],
  where: string,
  outs?: Map<string, string>,
) {
  // The host clones need main's objects to tell whether a tip's content is on it.
  for (const v of vs.slice(1)) await run(v.repo, ['fetch', '-q', 'origin']);
  const bad = (await Promise.all(vs.map((v, k) => violations(v, before[k]!, outs)))).flat();
  expect(bad, where).toEqual([]);
}

/** Run `land --all --json` as its own process; `delayMs` after it took its lock, cut SSH. */
async function landAndCut(hf: HostsFleet, sshd: Sshd, cut: Cut, at: At, delayMs: number) {
  const ctl = await mkdtemp(path.join(os.tmpdir(), 'fk-'));
  const child = spawn(process.execPath, [BIN, 'land', '--all', '--json'], {
    cwd: hf.fx.repo,
    env: { ...process.env, ...sshd.env, FLEET_SSH_CONTROL_DIR: ctl },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
  let gone = false;
  const exited = new Promise((r) => child.once('exit', r)).then(() => (gone = true));
  const lock = path.join(hf.fx.repo, '.git', 'fleet-tui', 'land.lock');
  const main0 = await run(hf.fx.origin, ['rev-parse', 'main']);
  const markers = Object.values(hf.clones).map((c) =>
    path.join(c, '.git', 'fleet-tui', 'syncing-host'),
  );
  // The moment to count from: the lock taken, the push to origin done (the host steps start),
  // or a host's rebase started (its marker written). A land that ends first is not cut.
  const reached = {
    lock: () => Promise.resolve(existsSync(lock)),
    push: async () => (await run(hf.fx.origin, ['rev-parse', 'main'])) !== main0,
    rebase: async () => {
      for (const m of markers) if ((await readdir(m).catch(() => [])).length > 0) return true;
      return false;
    },
  }[at];
  await vi.waitFor(
    async () => {
      if (!gone && !(await reached())) throw new Error(`the land has not reached "${at}" yet`);
    },
    { timeout: 60_000, interval: 5 },
  );
  // Not a wait for a condition: the moment of the cut, chosen by fast-check.
  await new Promise((r) => setTimeout(r, delayMs));
  if (cut === 'sshd') await sshd.stop();
  else for (const pid of await sshPids(ctl, cut)) killIfAlive(pid);
  await exited;
  if (cut === 'sshd') await sshd.start();
  for (const pid of await sshPids(ctl, 'master')) killIfAlive(pid);
  await rm(ctl, { recursive: true, force: true });
  const rep = out
    ? (JSON.parse(out) as { instances: Array<{ id: string; outcome: string; sync: string }> })
    : null;
  return rep?.instances ?? [];
}

describe('hosts: SSH kill trials (fast-check)', () => {
  let sshd: Sshd;
  const saved = { ...process.env };
  beforeAll(async () => {
    sshd = await startSshd();
    Object.assign(process.env, sshd.env, { FLEET_SSH_CONNECT_TIMEOUT: '3' });
  });
  afterAll(async () => {
    process.env = saved;
    await sshd?.cleanup();
  });

  it(`${KILLS} trials: SSH cut at a random moment of a land with host instances: nothing is lost`, async () => {
    const t0 = performance.now();
    await fc.assert(
      fc.asyncProperty(
        fleetArb(1),
        fc.constantFrom<Cut>('master', 'sessions', 'sshd'),
        fc.constantFrom<At>('lock', 'push', 'rebase'),
        fc.nat({ max: 1500 }),
        async (spec, cut, at, delay) => {
          const hf = await makeHostsFleet(sshd, FLEET, { files: INITIAL_FILES });
          try {
            expect((await hf.cli(['up'])).exitCode).toBe(0);
            const ops = spec.rounds[0]!.ops;
            for (const [k, inst] of hf.fx.instances.entries()) {
              const c = {
                fx: hf.fx,
                id: inst.id,
                wt: hf.worktree(inst.id),
                round: 0,
                refuse: false,
              };
              for (const op of ops[k % ops.length] ?? []) await applyOp(c, op);
            }
            const vs = views(hf);
            const before = await capture(vs);
            const where = `${cut} cut ${delay} ms after "${at}"`;
            const said = await landAndCut(hf, sshd, cut, at, delay);
            const outs = new Map(said.map((i) => [i.id, i.outcome]));
            // Which moment the cut hit (visible in the log: a run that never cuts mid-sync shows).
            const seen = said.map((i) => `${i.id} ${i.outcome}/${i.sync}`).join(', ');
            console.log(`ssh kill trial: ${where} → ${seen}`);
            // Every host sync script has ended (an empty marker directory is no sign of it).
            await hostScriptsDone(Object.values(hf.clones));
            await check(vs, before, `${where}: ${JSON.stringify([...outs])}`, outs);
            const rec = await recover(await hf.config());
            expect(rec.problems, where).toEqual([]);
            await check(vs, before, `${where}, recover`);
            // The next land goes through as usual; no host worktree is left mid-rebase.
            const beforeNext = await capture(vs);
            const next = await land(await hf.config(), { all: true });
            const outs2 = new Map(next.instances.map((i) => [i.id, i.outcome]));
            await check(vs, beforeNext, `${where}, next land`, outs2);
            for (const i of next.instances)
              expect(i.outcome === 'blocked' ? i.reason : '', where).not.toMatch(/unreachable/);
          } finally {
            await hf.cleanup();
          }
        },
      ),
      { numRuns: KILLS, seed: SEED, endOnFailure: !!process.env.FLEET_NO_SHRINK },
    );
    console.log(`${KILLS} SSH kill trials: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 3_600_000);
});
