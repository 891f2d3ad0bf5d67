import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { it } from 'vitest';
import { SessionManager, type Session } from '../../src/core/sessions/index.js';
import { makeHostsFleet } from '../helpers/hosts-fixture.js';
import { startSshd } from '../helpers/sshd.js';
import { simAgent } from './tmux-helpers.js';
import { waitFor } from './sessions-helpers.js';

it('measure', async () => {
  const tmuxDir = await mkdtemp(path.join(os.tmpdir(), 'fth-'));
  process.env.TMUX_TMPDIR = tmuxDir;
  const sshd = await startSshd();
  Object.assign(process.env, sshd.env);
  const f = await makeHostsFleet(sshd, [{ id: 'ps1' }, { id: 'ps2', host: 'box1' }, { id: 'ps3', host: 'box1' }], {
    configExtra: `  agents: ${JSON.stringify({ claude: simAgent() })},\n  sessions: { tmuxSession: 'fleet-test' },\n`,
  });
  await f.cli(['up']);
  const m = new SessionManager(await f.config(), { tmuxSocket: 'local', crashBackoffMs: 0 });
  const has = (s: Session, t: string) => s.tail(200).some((l) => stripAnsi(l).includes(t));
  const sessions = async () => ((await sshd.log()).match(/Starting session/g) ?? []).length;
  const logins = async () => sshd.logins();
  let t = Date.now();
  await m.startAll();
  const s2 = m.session('ps2'), s1 = m.session('ps1');
  console.log('startAll ms', Date.now() - t);
  await waitFor('idle', () => s2.state().status === 'idle' && m.session('ps3').state().status === 'idle' && s1.state().status === 'idle', 60000);
  const a = await sessions();
  await new Promise((r) => setTimeout(r, 10000));
  console.log('ssh sessions in 10 s idle (2 host agents):', (await sessions()) - a, 'logins total', await logins());
  for (const [name, s] of [['local', s1], ['host', s2]] as const) {
    const lat: number[] = [];
    for (let i = 0; i < 5; i++) {
      t = Date.now();
      await s.send(`ping ${i}`);
      await waitFor('answer', () => has(s, `I'll ping ${i}`), 30000);
      lat.push(Date.now() - t);
      await waitFor('idle', () => s.state().status === 'idle', 30000);
    }
    console.log(name, 'send→answer on screen ms', lat.join(' '));
  }
  const b = await sessions();
  t = Date.now();
  await m.session('ps2').send('one more');
  await waitFor('answer', () => has(s2, "I'll one more"), 30000);
  await waitFor('idle', () => s2.state().status === 'idle', 30000);
  console.log('ssh sessions for one host turn', (await sessions()) - b, 'in ms', Date.now() - t);
  m.dispose();
  for (const sock of ['local', 'fleet-box1']) await execa('tmux', ['-L', sock, 'kill-server'], { reject: false });
  await f.cleanup();
  await sshd.cleanup();
  await rm(tmuxDir, { recursive: true, force: true });
}, 300000);
