import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Session } from '../../src/core/sessions/index.js';
import { simAgent } from '../integration/tmux-helpers.js';
import { makeHostsFleet, type HostsFleet } from './hosts-fixture.js';
import { startSshd, type Sshd } from './sshd.js';

/** The local tmux server's socket name in these tests (hosts use `fleet-<host>`). */
export const LOCAL = 'local';

export interface HostAgentsSuite {
  readonly sshd: Sshd;
  /** The private TMUX_TMPDIR every tmux server of the suite lives in. */
  readonly tmuxDir: string;
  /** A tmux command on one server (`LOCAL`, `fleet-box1`, …); its stdout trimmed. */
  tmux: (socket: string, ...args: string[]) => Promise<string>;
  /** Whether the session's last 200 lines show `text` (colours stripped). */
  has: (s: Session, text: string) => boolean;
  /** A two-host fleet with the simulated agent as `claude` (plus `agents`), `up` already run. */
  fleet: (
    instances: Array<{ id: string; host?: string; agent?: string }>,
    agents?: Record<string, unknown>,
  ) => Promise<HostsFleet>;
}

/**
 * Agents on SSH hosts: the simulated agent in tmux -L fleet-<host> on the test sshd's "hosts"
 * (127.0.0.1), the tmux servers in a private TMUX_TMPDIR (passed to host sessions by the test
 * sshd), killed after each test. `beforeCleanup` runs first after each test (dispose the
 * test's session manager there, before its tmux servers go).
 */
export function hostAgentsSuite(beforeCleanup: () => void): HostAgentsSuite {
  let sshd: Sshd | undefined;
  let hf: HostsFleet | undefined;
  let tmuxDir = '';
  const saved = { ...process.env };
  const tmux = (socket: string, ...args: string[]) =>
    execa('tmux', ['-L', socket, ...args], { reject: false }).then((r) => String(r.stdout).trim());
  const sshdUp = () =>
    new Promise<boolean>((resolve) => {
      const c = net.connect(sshd!.port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), resolve(true)));
      c.once('error', () => resolve(false));
    });

  beforeAll(async () => {
    tmuxDir = await mkdtemp(path.join(os.tmpdir(), 'fth-'));
    process.env.TMUX_TMPDIR = tmuxDir;
    sshd = await startSshd();
    Object.assign(process.env, sshd.env);
  });
  afterEach(async () => {
    beforeCleanup();
    for (const s of [LOCAL, 'fleet-box1', 'fleet-box2']) await tmux(s, 'kill-server');
    await hf?.cleanup();
    hf = undefined;
    // A test that stopped sshd: start it again (only then — a second sshd on the same port
    // would fail to bind and leave the harness holding a dead process).
    if (!(await sshdUp())) await sshd!.start();
  });
  afterAll(async () => {
    process.env = saved;
    await sshd?.cleanup();
    await rm(tmuxDir, { recursive: true, force: true });
  });

  return {
    get sshd() {
      return sshd!;
    },
    get tmuxDir() {
      return tmuxDir;
    },
    tmux,
    has: (s, text) => s.tail(200).some((l) => stripAnsi(l).includes(text)),
    fleet: async (instances, agents = {}) => {
      const f = await makeHostsFleet(sshd!, instances, {
        configExtra: `  agents: ${JSON.stringify({ claude: simAgent(), ...agents })},\n  sessions: { tmuxSession: 'fleet-test' },\n`,
      });
      hf = f;
      const up = await f.cli(['up']);
      expect(up.exitCode, up.stdout + up.stderr).toBe(0);
      return f;
    },
  };
}
