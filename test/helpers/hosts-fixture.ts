// A fleet with instances on two SSH "hosts": two clones of the fixture's bare origin in their own
// directories, reached through the test sshd's two aliases. Everything is real: sshd, ssh, git.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { closeHost } from '../../src/core/hosts/ssh.js';
import { makeFleet, run, type FixtureInstance, type FleetFixture } from './git-fixture.js';
import type { Sshd } from './sshd.js';

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
