// A fleet with instances on two SSH "hosts": two clones of the fixture's bare origin in their own
// directories, reached through the test sshd's two aliases. Everything is real: sshd, ssh, git.
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { closeHost } from '../../src/core/hosts/ssh.js';
import { makeFleet, run, type FixtureInstance, type FleetFixture } from './git-fixture.js';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { startSshd, type Sshd } from './sshd.js';

export interface HostsFleet {
  fx: FleetFixture;
  /** Clone directory of each host (box1 via the first alias, box2 via the second). */
  clones: { box1: string; box2: string };
  /** Where an instance's worktree really is (on its host's clone, or local). */
  worktree(id: string): string;
  config(): Promise<ResolvedConfig>;
  cli: FleetFixture['cli'];
  cleanup(): Promise<void>;
}

export async function makeHostsFleet(
  sshd: Sshd,
  instances: FixtureInstance[],
  opts: {
    hostsExtra?: { box1?: string; box2?: string };
    configExtra?: string;
    /** Files of main's first commit (as makeFleet's `files`). */
    files?: Record<string, string>;
  } = {},
): Promise<HostsFleet> {
  const hostsDir = await mkdtemp(path.join(os.tmpdir(), 'fleet-hosts-'));
  const clones = { box1: path.join(hostsDir, 'box1'), box2: path.join(hostsDir, 'box2') };
  const hostsSource = `  hosts: {
    box1: { ssh: '${sshd.aliases[0]}', repo: '${clones.box1}'${opts.hostsExtra?.box1 ?? ''} },
    box2: { ssh: '${sshd.aliases[1]}', repo: '${clones.box2}'${opts.hostsExtra?.box2 ?? ''} },
  },
${opts.configExtra ?? ''}`;
  const fx = await makeFleet({ instances, configExtra: hostsSource, files: opts.files });
  for (const c of Object.values(clones)) await run(hostsDir, ['clone', '-q', fx.origin, c]);
  const byId = new Map(fx.instances.map((i) => [i.id, i]));
  const worktree = (id: string) => {
    const i = byId.get(id)!;
    if (!i.host) return i.worktree;
    return path.join(clones[i.host as 'box1' | 'box2'], '.claude', 'worktrees', `instance-${id}`);
  };
  const config = async () => {
    const cfg = await loadConfig({ cwd: fx.repo });
    return cfg;
  };
  return {
    fx,
    clones,
    worktree,
    config,
    cli: (args, o = {}) => fx.cli(args, { ...o, env: { ...sshd.env, ...o.env } }),
    cleanup: async () => {
      const cfg = await loadConfig({ cwd: fx.repo }).catch(() => null);
      await Promise.all(Object.values(cfg?.hosts ?? {}).map((h) => closeHost(h)));
      await fx.cleanup();
      await rm(hostsDir, { recursive: true, force: true, maxRetries: 3 });
    },
  };
}

/** The fleet most host tests use: one local instance and one on each host. */
const TWO_HOST_FLEET: FixtureInstance[] = [
  { id: 'ps1' },
  { id: 'ps2', host: 'box1' },
  { id: 'ps3', host: 'box2' },
];

export interface HostsSuite {
  /** The suite's sshd (started before the first test). */
  readonly sshd: Sshd;
  /**
   * A fleet on the two hosts (ps1 here, ps2 on box1, ps3 on box2 unless told), `fleet-tui up` run and checked unless
   * `up: false`; cleaned up after the test.
   */
  fleet(
    instances?: FixtureInstance[],
    opts?: Parameters<typeof makeHostsFleet>[2] & { up?: boolean },
  ): Promise<HostsFleet>;
}

/**
 * One describe's worth of host-test setup: sshd started once (its env, plus `env`, in
 * process.env for in-process calls), fleets cleaned after each test, sshd running again after a
 * test that stopped it (`restart`: always restarted, cutting every connection), everything
 * restored at the end.
 */
export function hostsSuite(
  opts: { env?: Record<string, string>; restart?: boolean } = {},
): HostsSuite {
  let sshd: Sshd | undefined;
  const made: HostsFleet[] = [];
  const saved = { ...process.env };
  beforeAll(async () => {
    sshd = await startSshd();
    Object.assign(process.env, sshd.env, opts.env);
  });
  afterEach(async () => {
    if (opts.restart) await sshd!.stop();
    if (opts.restart || !(await sshd!.running())) await sshd!.start();
    for (const f of made.splice(0)) await f.cleanup();
  });
  afterAll(async () => {
    process.env = saved;
    await sshd?.cleanup();
  });
  return {
    get sshd() {
      return sshd!;
    },
    async fleet(instances = TWO_HOST_FLEET, o = {}) {
      const { up, ...rest } = o;
      const f = await makeHostsFleet(sshd!, instances, rest);
      made.push(f);
      if (up !== false) {
        const r = await f.cli(['up']);
        expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      }
      return f;
    },
  };
}

export interface HeldRebase {
  /** Wait until a rebase on the host reached its checkout; the pid of that git. */
  started(): Promise<number>;
  /** Let it go on. */
  go(): Promise<void>;
  /** No hold for later rebases. */
  remove(): Promise<void>;
}

/**
 * A post-checkout hook in a host clone (a rebase's checkout of its target runs it, after git
 * wrote its rebase state) that holds every rebase there until the test says go.
 */
export async function holdHostRebases(hf: HostsFleet, host: 'box1' | 'box2'): Promise<HeldRebase> {
  const started = path.join(hf.fx.dir, `rebase-started-${host}`);
  const go = path.join(hf.fx.dir, `rebase-go-${host}`);
  const hook = path.join(hf.clones[host], '.git', 'hooks', 'post-checkout');
  await writeFile(
    hook,
    `#!/bin/sh\necho $PPID > '${started}'\nwhile [ ! -e '${go}' ]; do sleep 0.05; done\n`,
  );
  await chmod(hook, 0o755);
  return {
    started: async () => {
      let pid = 0;
      await vi.waitFor(
        async () => {
          pid = Number((await readFile(started, 'utf8').catch(() => '')).trim());
          expect(pid).toBeGreaterThan(0);
        },
        { timeout: 30_000 },
      );
      return pid;
    },
    go: () => writeFile(go, ''),
    remove: () => writeFile(hook, '#!/bin/sh\n'),
  };
}
