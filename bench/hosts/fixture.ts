// Section 9's fleet: 12 instances × 2 commits, 8 worktrees here and 4 in a clone on an SSH
// "host" (the test sshd on 127.0.0.1). Both transports are slowed the same way: every connection
// to origin (git's ssh, the slow-ssh wrapper of the landing figures) and every ssh fleet-tui
// starts for the host (a wrapper first in PATH) waits 100 ms before it runs.
import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { git } from '../fixtures/fleet.js';
import { CONNECT_DELAY_MS, installSlowTransport, resetCounts } from '../fixtures/origin.js';
import { workDir } from '../lib/env.js';

export const LOCAL = 8;
export const ON_HOST = 4;
export const COMMITS = 2;

export interface HostsBenchFleet {
  dir: string;
  origin: string;
  repo: string;
  hostClone: string;
  /** Origin connections log (fixtures/origin.ts). */
  log: string;
  /** Directory holding the slow `ssh` wrapper (put first in PATH). */
  binDir: string;
  /** One line per ssh started: `master`, `session` or `control`. */
  sshLog: string;
}

/** The slow `ssh`: control commands (-O) only talk to the local socket, so they do not wait. */
function installSlowSsh(dir: string): { binDir: string; sshLog: string } {
  const real = execFileSync('sh', ['-c', 'command -v ssh'], { encoding: 'utf8' }).trim();
  const binDir = path.join(dir, 'bin');
  const sshLog = path.join(dir, 'ssh.log');
  execFileSync('mkdir', ['-p', binDir]);
  writeFileSync(sshLog, '');
  const wrapper = path.join(binDir, 'ssh');
  writeFileSync(
    wrapper,
    `#!/bin/sh
kind=session
for a; do case "$a" in -O) kind=control ;; ControlMaster=yes) kind=master ;; esac; done
echo "$kind" >> '${sshLog}'
[ "$kind" = control ] || sleep ${CONNECT_DELAY_MS / 1000}
exec '${real}' "$@"
`,
  );
  chmodSync(wrapper, 0o755);
  return { binDir, sshLog };
}

export function sshCounts(sshLog: string): { masters: number; sessions: number } {
  const lines = readFileSync(sshLog, 'utf8').split('\n');
  return {
    masters: lines.filter((l) => l === 'master').length,
    sessions: lines.filter((l) => l === 'session').length,
  };
}

async function commitWork(wt: string, id: string): Promise<void> {
  for (let c = 1; c <= COMMITS; c++) {
    const rel = `work/${id}/change-${c}.txt`;
    await mkdir(path.join(wt, path.dirname(rel)), { recursive: true });
    await writeFile(path.join(wt, rel), `${id} change ${c}\n`);
    await git(wt, ['add', '--', rel]);
    await git(wt, ['commit', '-q', '-m', `${id}: change ${c}`]);
  }
}

export async function buildHostsFleet(sshAlias: string): Promise<HostsBenchFleet> {
  const dir = await mkdtemp(path.join(workDir(), 'fleet-tui-bench-hosts-'));
  const origin = path.join(dir, 'origin.git');
  const repo = path.join(dir, 'repo');
  const hostClone = path.join(dir, 'host-clone');
  await git(dir, ['init', '-q', '--bare', '-b', 'main', origin]);
  const { wrapper, log } = installSlowTransport(dir, origin);
  const slow = ['-c', `core.sshCommand=${wrapper}`, '-c', 'ssh.variant=simple'];
  await git(dir, ['init', '-q', '-b', 'main', repo]);
  await git(repo, ['config', 'core.sshCommand', wrapper]);
  await git(repo, ['config', 'ssh.variant', 'simple']);
  await git(repo, ['remote', 'add', 'origin', `bench-origin:${origin}`]);
  const ids = Array.from({ length: LOCAL + ON_HOST }, (_, i) => `ps${i + 1}`);
  const config = {
    hosts: { box: { ssh: sshAlias, repo: hostClone } },
    roles: Object.fromEntries(
      ids.map((id) => [`role-${id}`, { title: `Work of ${id}`, paths: [`work/${id}/**`] }]),
    ),
    instances: ids.map((id, i) => ({
      id,
      role: `role-${id}`,
      agent: 'claude',
      band: `${String(Math.floor(i / 4)).padStart(2, '0')}${String((i % 4) * 15).padStart(2, '0')}00`,
      ...(i >= LOCAL ? { host: 'box' } : {}),
    })),
  };
  await writeFile(path.join(repo, '.gitignore'), '.claude/worktrees/\n');
  await writeFile(
    path.join(repo, 'fleet.config.ts'),
    `// Built by bench/hosts/fixture.ts.\nexport default ${JSON.stringify(config, null, 2)};\n`,
  );
  await git(repo, ['add', '-A']);
  await git(repo, ['commit', '-q', '-m', 'initial commit']);
  await git(repo, ['push', '-q', '-u', 'origin', 'main']);
  await git(dir, [...slow, 'clone', '-q', `bench-origin:${origin}`, hostClone]);
  await git(hostClone, ['config', 'core.sshCommand', wrapper]);
  await git(hostClone, ['config', 'ssh.variant', 'simple']);
  for (const [i, id] of ids.entries()) {
    const base = i >= LOCAL ? hostClone : repo;
    const wt = path.join(base, '.claude', 'worktrees', `instance-${id}`);
    await git(base, ['worktree', 'add', '-q', '-b', `claude/${id}-wip`, wt, 'origin/main']);
    await commitWork(wt, id);
  }
  resetCounts(log);
  const ssh = installSlowSsh(dir);
  return { dir, origin, repo, hostClone, log, ...ssh };
}
