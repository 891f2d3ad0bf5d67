// Host event files are rotated like local ones (past 1 MiB, the last 64 KB of whole lines), on the
// host, before a start; a watcher following the file goes on across the rotation without losing
// or repeating a line. Real sshd on 127.0.0.1, real sh on the "host".
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostEventWatcher, readRecentHostEvents } from '../../src/core/hosts/agent-events.js';
import { positionAfterRotation, ROTATE_SH } from '../../src/core/hosts/event-rotation.js';
import { ROTATE_BYTES, TAIL_BYTES } from '../../src/core/sessions/status/event-file.js';
import { SessionManager } from '../../src/core/sessions/index.js';
import { simAgent } from './tmux-helpers.js';
import { makeHostsFleet, type HostsFleet } from '../helpers/hosts-fixture.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { waitFor } from './sessions-helpers.js';

const line = (tag: string) =>
  `${JSON.stringify({ event: 'Notification', t: '2026-12-02T00:00:00.000Z', message: tag, pad: 'x'.repeat(60) })}\n`;

/** An event file just over the rotation limit: lines `old-0` … `old-<n-1>`. */
function bigEventFile(file: string): number {
  const lines: string[] = [];
  for (let bytes = 0; bytes < ROTATE_BYTES + 1000;) {
    lines.push(line(`old-${lines.length}`));
    bytes += lines.at(-1)!.length; // ASCII: characters are bytes
  }
  writeFileSync(file, lines.join(''));
  return lines.length;
}

describe('hosts: event file rotation', () => {
  it('the rotation script keeps whole lines of the last 64 KB; every old position maps onto the same bytes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'fth-rot-'));
    try {
      const file = path.join(dir, 'a.events.jsonl');
      bigEventFile(file);
      const old = readFileSync(file);
      await execa('sh', ['-c', `f=$1\n${ROTATE_SH}`, 'sh', file, '1']);
      const now = readFileSync(file);
      expect(now.length).toBeLessThanOrEqual(TAIL_BYTES + 200);
      const lines = now.toString('utf8').split('\n');
      expect(lines[0]).toMatch(/^\{"event":"fleet:rotated",/);
      expect(JSON.parse(lines[1]!)).toMatchObject({ event: 'Notification' });
      expect(old.toString('utf8').endsWith(lines.slice(1).join('\n'))).toBe(true);
      // From every line start of the old file within the kept part, and from its end, reading
      // the new file from the mapped position gives exactly what was still unread.
      const kept = old.length - (now.length - (now.indexOf(10) + 1));
      for (let pos = kept; pos <= old.length; pos = old.indexOf(10, pos) + 1 || old.length + 1) {
        const at = positionAfterRotation(now, pos);
        expect(now.subarray(at).equals(old.subarray(pos))).toBe(true);
      }
      // A reader further behind than the kept part loses what is gone, and repeats nothing.
      expect(positionAfterRotation(now, 10)).toBe(now.indexOf(10) + 1);
      // A file cut by someone else (no marker) is read from its start.
      expect(positionAfterRotation(Buffer.from(line('x')), 500)).toBe(0);
      // Under the limit: untouched.
      writeFileSync(file, line('small'));
      await execa('sh', ['-c', `f=$1\n${ROTATE_SH}`, 'sh', file, '1']);
      expect(readFileSync(file, 'utf8')).toBe(line('small'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('over SSH', () => {
    let sshd: Sshd;
    let hf: HostsFleet | undefined;
    let watcher: HostEventWatcher | undefined;
    let mgr: SessionManager | undefined;
    let tmuxDir = '';
    const saved = { ...process.env };
    beforeAll(async () => {
      tmuxDir = await mkdtemp(path.join(os.tmpdir(), 'fth-rot-tmux-'));
      process.env.TMUX_TMPDIR = tmuxDir;
      sshd = await startSshd();
      Object.assign(process.env, sshd.env);
    });
    afterEach(async () => {
      watcher?.dispose();
      watcher = undefined;
      mgr?.dispose();
      mgr = undefined;
      for (const t of ['fleet-box1', 'local-rot'])
        await execa('tmux', ['-L', t, 'kill-server'], { reject: false });
      await hf?.cleanup();
      hf = undefined;
    });
    afterAll(async () => {
      process.env = saved;
      await sshd?.cleanup();
      await rm(tmuxDir, { recursive: true, force: true });
    });

    it('a start-time read rotates a big host file; the watcher follows across it, nothing lost or repeated', async () => {
      hf = await makeHostsFleet(sshd, [{ id: 'ps2', host: 'box1' }]);
      const host = (await hf.config()).hosts.box1!;
      const dir = path.join(hf.clones.box1, '.git', 'fleet-tui', 'agents');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, 'ps2.events.jsonl');
      const n = bigEventFile(file);

      const seen: string[] = [];
      watcher = new HostEventWatcher(host);
      watcher.subscribe('ps2', file, statSync(file).size, (evs) =>
        seen.push(...evs.map((e) => e.message ?? '?')),
      );
      for (let i = 0; i < 5; i++) appendFileSync(file, line(`before-${i}`));
      await waitFor('the lines before the rotation', () => seen.includes('before-4'));

      // Another reader's start-time read (as HostTmuxSession's before a start) rotates it.
      const recent = await readRecentHostEvents(host, file, 'ps2', true);
      const size = statSync(file).size;
      expect(size).toBeLessThanOrEqual(TAIL_BYTES + 200);
      expect(recent.end).toBe(size);
      expect(recent.events.at(-1)?.message).toBe('before-4');
      expect(recent.events.some((e) => e.message === `old-${n - 1}`)).toBe(true);

      for (let i = 0; i < 5; i++) appendFileSync(file, line(`after-${i}`));
      await waitFor('the lines after the rotation', () => seen.includes('after-4'));
      // One more round of the watcher's loop: nothing comes twice.
      appendFileSync(file, line('last'));
      await waitFor('the last line', () => seen.includes('last'));
      expect(seen).toEqual([
        ...Array.from({ length: 5 }, (_, i) => `before-${i}`),
        ...Array.from({ length: 5 }, (_, i) => `after-${i}`),
        'last',
      ]);
      // A read without rotation (adopting a running agent) leaves a big file alone.
      watcher.dispose();
      bigEventFile(file);
      await readRecentHostEvents(host, file, 'ps2');
      expect(statSync(file).size).toBeGreaterThan(ROTATE_BYTES);
    });

    it('a host agent start rotates its big event file; its hooks are read after it', async () => {
      hf = await makeHostsFleet(sshd, [{ id: 'ps2', host: 'box1' }], {
        configExtra: `  agents: ${JSON.stringify({ claude: simAgent() })},\n  sessions: { tmuxSession: 'fleet-rot' },\n`,
      });
      expect((await hf.cli(['up'])).exitCode).toBe(0);
      const dir = path.join(hf.clones.box1, '.git', 'fleet-tui', 'agents');
      await mkdir(dir, { recursive: true });
      const file = path.join(dir, 'ps2.events.jsonl');
      bigEventFile(file);
      mgr = new SessionManager(await hf.config(), { tmuxSocket: 'local-rot', crashBackoffMs: 0 });
      const s = mgr.session('ps2');
      await s.start();
      await waitFor(
        'idle from its hooks',
        () => s.state().status === 'idle' && !!s.state().sessionId,
      );
      const text = readFileSync(file, 'utf8');
      expect(text.length).toBeLessThan(TAIL_BYTES + 20_000);
      expect(text.split('\n')[0]).toMatch(/^\{"event":"fleet:rotated",/);
      expect(text).toContain(`"session_id":"${s.state().sessionId}"`);
    });
  });
});
