import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type Sshd } from '../helpers/sshd.js';

// The harness itself: a real sshd both aliases reach, and stop/start really cut and restore it.
describe('test sshd harness', () => {
  let sshd: Sshd;
  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => sshd?.cleanup());

  const ssh = (alias: string, cmd: string) =>
    execa('ssh', ['-F', sshd.sshConfig, '-o', 'ConnectTimeout=5', alias, cmd], { reject: false });

  it('both aliases log in with the throwaway key and get the test git identity', async () => {
    for (const alias of sshd.aliases) {
      const r = await ssh(alias, 'echo "$GIT_COMMITTER_NAME"');
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toBe(process.env.GIT_COMMITTER_NAME!.replace(/\s/g, '_'));
    }
  });

  it('a user the key is not authorized for is refused', async () => {
    const bad = await execa('ssh', ['-F', sshd.sshConfig, '-l', 'nobody-here', 'hosta', 'true'], {
      reject: false,
    });
    expect(bad.exitCode).toBe(255);
  });

  it('stop cuts the listener, start brings it back on the same port', async () => {
    await sshd.stop();
    const down = await ssh('hosta', 'true');
    expect(down.exitCode).toBe(255);
    await sshd.start();
    const up = await ssh('hosta', 'true');
    expect(up.exitCode, up.stderr).toBe(0);
  });
});
