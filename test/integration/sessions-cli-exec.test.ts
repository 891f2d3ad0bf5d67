import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/git-fixture.js';
import { simFleet, waitFor, type SimFleet } from './sessions-helpers.js';

let f: SimFleet | null = null;
afterEach(async () => {
  f?.manager.dispose();
  if (f) await rm(f.fx.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  f = null;
});

describe('fleet-tui agents (CLI), exec backend', () => {
  it('exec agents: start runs in the foreground; send, tail and stop reach it from other processes', async () => {
    f = await simFleet({ simArgs: ['--permission-every', '0'] });
    const fg = execa(process.execPath, [BIN, 'agents', 'start', 'ps1'], {
      cwd: f.fx.repo,
      reject: false,
    });
    const log = path.join(f.manager.commonDir, 'fleet-tui', 'agents', 'ps1.out');
    const logText = () => readFile(log, 'utf8').catch(() => '');
    try {
      await waitFor(
        'first turn',
        async () => (await logText()).includes('"type":"result"'),
        40_000,
      );
      expect((await f.fx.cli(['agents', 'start', 'ps1'])).stdout).toMatch(
        /ps1: already running \(pid \d+\)/,
      );
      expect((await f.fx.cli(['agents', 'send', 'ps1', 'tidy the imports'])).exitCode).toBe(0);
      await waitFor(
        'answer',
        async () => (await logText()).includes("I'll tidy the imports"),
        40_000,
      );
      const tail = await f.fx.cli(['agents', 'tail', 'ps1', '-n', '100']);
      expect(tail.stdout).toContain("I'll tidy the imports");
      expect(tail.stdout).not.toContain('{"type"');
      const stop = await f.fx.cli(['agents', 'stop', 'ps1']);
      expect(stop).toMatchObject({ exitCode: 0, stdout: 'ps1: stopped' });
      const res = await fg;
      expect(res.exitCode).toBe(0);
      expect(String(res.stdout)).toContain('ps1: stopped');
    } finally {
      fg.kill();
    }
  });
});
