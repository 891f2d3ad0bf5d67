import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResolvedHost } from '../../src/config/types.js';
import { hostCounts } from '../../src/core/hosts/counters.js';
import { shArgv } from '../../src/core/hosts/quote.js';
import { closeHost, HostError, hostGit, hostRun } from '../../src/core/hosts/ssh.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

// The SSH transport against a real sshd: one shared connection per host, argv that survives the
// remote shell byte for byte, and failures that name the host without stalling the others.
describe('hosts: SSH transport', () => {
  let sshd: Sshd;
  let saved: NodeJS.ProcessEnv;
  const host = (name: string, ssh: string, extra: Partial<ResolvedHost> = {}): ResolvedHost => ({
    name,
    ssh,
    repo: '/nonexistent',
    port: null,
    identityFile: null,
    ...extra,
  });
  let a: ResolvedHost;
  let b: ResolvedHost;

  beforeAll(async () => {
    sshd = await startSshd();
    saved = { ...process.env };
    Object.assign(process.env, sshd.env, { FLEET_SSH_CONNECT_TIMEOUT: '3' });
    a = host('box-a', sshd.aliases[0]);
    b = host('box-b', sshd.aliases[1]);
  });
  afterAll(async () => {
    await Promise.all([a, b].map((h) => closeHost(h)));
    process.env = saved;
    await sshd?.cleanup();
  });

  it('hostile words reach the remote command exactly, and nothing in them runs', async () => {
    const canary = path.join(sshd.dir, 'canary');
    const words = [
      `$(touch ${canary})`,
      `\`touch ${canary}\``,
      `'; touch ${canary}; '`,
      'two words',
      'new\nline',
      '*',
      '-n',
      'é ✓',
      '',
    ];
    const res = await hostRun(a, `printf '%s\\0' ${shArgv(words)}`);
    expect(res.exitCode).toBe(0);
    expect(res.stdout.toString('utf8').split('\0').slice(0, -1)).toEqual(words);
    expect(existsSync(canary)).toBe(false);
  });

  it('many commands to two hosts in parallel share one connection per host', async () => {
    const before = await sshd.logins();
    const c0 = hostCounts();
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) => hostRun(i % 2 ? a : b, `echo ${i}`)),
    );
    expect(runs.map((r) => r.stdout.toString().trim())).toEqual(
      Array.from({ length: 8 }, (_, i) => String(i)),
    );
    const c1 = hostCounts();
    // sshd itself says how many logins (TCP connections) there were in this file so far: one
    // per host (box-a's was opened by the test above and reused here).
    expect(before).toBe(1);
    expect(await sshd.logins()).toBe(2);
    expect(c1.get('box-a')!.sessions - (c0.get('box-a')?.sessions ?? 0)).toBe(4);
    expect(c1.get('box-b')!.sessions - (c0.get('box-b')?.sessions ?? 0)).toBe(4);
    expect(c1.get('box-a')!.masters + c1.get('box-b')!.masters).toBe(2);
  });

  it('git runs on the host with argv quoted; its exit code comes back', async () => {
    const res = await hostGit(a, sshd.dir, ['rev-parse', '--is-inside-work-tree'], {
      readOnly: true,
    });
    expect(res.exitCode).not.toBe(0);
    expect(res.stderr).toMatch(/not a git repository/);
    const ok = await hostGit(a, sshd.dir, ['--version']);
    expect(ok.stdout.toString()).toMatch(/^git version/);
  });

  it('a host that never answers fails with HostError, and the other host is not held up', async () => {
    // A port that accepts TCP and then says nothing: ssh waits for a greeting that never comes.
    const silent = net.createServer(() => undefined);
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as net.AddressInfo).port;
    const dead = host('box-silent', sshd.aliases[0], { port });
    try {
      let fastDone = false;
      const slow = hostRun(dead, 'true').then(
        () => null,
        (e: unknown) => ({ e, fastDoneFirst: fastDone }),
      );
      const fast = await hostRun(b, 'echo fine');
      fastDone = true;
      expect(fast.stdout.toString().trim()).toBe('fine');
      const failed = await slow;
      expect(failed?.e).toBeInstanceOf(HostError);
      expect((failed!.e as HostError).message).toMatch(/^host "box-silent" unreachable: /);
      expect(failed!.fastDoneFirst).toBe(true);
    } finally {
      silent.close();
    }
  });

  it('a host whose sshd is down: HostError with ssh’s own words', async () => {
    const down = host('box-down', sshd.aliases[0], { port: 1 });
    await expect(hostRun(down, 'true')).rejects.toThrow(/host "box-down" unreachable: .*refused/i);
  });
});
