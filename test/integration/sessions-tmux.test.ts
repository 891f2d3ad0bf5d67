import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { afterEach, describe, expect, it } from 'vitest';
import {
  SessionManager,
  eventFilePath,
  readAgentStates,
  type Session,
} from '../../src/core/sessions/index.js';
import { simFleet, waitFor, type SimFleet } from './sessions-helpers.js';

// Real tmux on a private socket per test; the server is always killed afterwards.
let f: SimFleet | null = null;
let socket = '';
const others: SessionManager[] = [];
afterEach(async () => {
  for (const m of others.splice(0)) m.dispose();
  f?.manager.dispose();
  await execa('tmux', ['-L', socket, 'kill-server'], { reject: false });
  await rm(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${os.userInfo().uid}`, socket), {
    force: true,
  });
  // Agents killed with the server may still be finishing a write: retry the removal.
  if (f) await rm(f.fx.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  f = null;
});

const tmux = (...args: string[]) =>
  execa('tmux', ['-L', socket, ...args], { reject: false }).then((r) => String(r.stdout).trim());
const windows = async () =>
  (await tmux('list-windows', '-t', '=fleet-test', '-F', '#{window_name}'))
    .split('\n')
    .sort()
    .join(' ');
const has = (s: Session, text: string) => s.tail(200).some((l) => stripAnsi(l).includes(text));

async function tmuxFleet(simArgs: string[], instances = 1): Promise<SimFleet> {
  socket = `fleet-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  return simFleet({
    backend: 'tmux',
    instances,
    simArgs: ['--permission-every', '0', ...simArgs],
    manager: { tmuxSocket: socket, tmuxSession: 'fleet-test' },
  });
}

describe('tmux backend against real tmux', () => {
  it('starts one window per instance, captures on output, resizes, sends a multi-line prompt, is adopted after its owner is gone, stops', async () => {
    f = await tmuxFleet([], 2);
    await f.manager.startAll();
    const s = f.manager.session('ps1');
    expect(s.backend).toBe('tmux');
    await waitFor('rendered output', () => has(s, '⏺ Edit work/ps1/log.md'));
    expect(await windows()).toBe('ps1 ps2');
    await waitFor('idle from the Stop hook', () => s.state().status === 'idle');

    s.resize(70, 18);
    await waitFor(
      'resized',
      async () =>
        (await tmux(
          'display-message',
          '-p',
          '-t',
          '=fleet-test:=ps1',
          '#{window_width}x#{window_height}',
        )) === '70x18',
    );

    const stops = async () =>
      (await readFile(eventFilePath(f!.manager.commonDir, 'ps1'), 'utf8'))
        .split('\n')
        .filter((l) => l.includes('"event":"Stop"'));
    const stopsBefore = (await stops()).length;
    await s.send('first line of the prompt\nsecond line');
    await waitFor('prompt answered', () => has(s, "I'll first line of the prompt"));
    await waitFor('second line too', () => has(s, "I'll second line"));

    // Idle from the second turn's Stop hook, not an earlier idle: the answer is on screen before
    // the turn's hooks are read, and the adoption below replays the hooks written by then (a
    // UserPromptSubmit last reads as working, not idle).
    const lastStop = await waitFor('both turns stopped', async () => {
      const all = await stops();
      return all.length >= stopsBefore + 2 ? all.at(-1) : null;
    });
    const stoppedAt = Date.parse((JSON.parse(lastStop) as { t: string }).t);
    await waitFor(
      'idle again',
      () => s.state().status === 'idle' && Date.parse(s.state().since) >= stoppedAt,
    );
    const pid = await tmux('display-message', '-p', '-t', '=fleet-test:=ps1', '#{pane_pid}');
    const v = s.version;
    f.manager.dispose(); // the controlling process "exits": the agents keep running
    expect(await tmux('display-message', '-p', '-t', '=fleet-test:=ps1', '#{pane_pid}')).toBe(pid);

    const again = new SessionManager(f.config, { tmuxSocket: socket, tmuxSession: 'fleet-test' });
    others.push(again);
    expect((await again.adopt()).sort()).toEqual(['ps1', 'ps2']);
    const s2 = again.session('ps1');
    expect(s2.state().status).toBe('idle');
    await waitFor('captured after adoption', () => has(s2, "I'll second line"));
    await again.startAll(); // no duplicates
    expect(await windows()).toBe('ps1 ps2');
    expect(v).toBeGreaterThan(0);
    expect(s2.attachCommand()).toEqual({
      command: 'tmux',
      args: [
        '-L',
        socket,
        'select-window',
        '-t',
        expect.stringMatching(/^@\d+$/),
        ';',
        'attach-session',
        '-t',
        '=fleet-test',
      ],
      kind: 'attach',
    });

    await tmux('kill-window', '-t', '=fleet-test:=ps2'); // from elsewhere, e.g. another shell
    await waitFor('ps2 seen stopped', () => again.session('ps2').state().status === 'stopped');

    const states = await readAgentStates(f.config, {
      tmuxSocket: socket,
      tmuxSession: 'fleet-test',
    });
    expect(states.ps1?.status).toBe('idle');

    await s2.stop();
    expect(s2.state().status).toBe('stopped');
    expect(await windows()).toBe('');
    expect(
      (await readAgentStates(f.config, { tmuxSocket: socket, tmuxSession: 'fleet-test' })).ps1
        ?.status,
    ).toBe('stopped');
  });

  // Once failed in full-suite runs (dead pane, no exit status within 15 s): tmux had missed the
  // agent's SIGCHLD; fleet-tui now makes it reap (tmux-dead-status.test.ts). No retry.
  it('an agent that dies is reported crashed with its exit code, and restart starts a fresh window', async () => {
    f = await tmuxFleet(['--crash-after', '1500']);
    const s = f.manager.session('ps1');
    await s.start();
    await waitFor('crash seen through control mode', () => s.state().status === 'crashed', 20_000);
    // tmux 3.3 reports the dead pane before its exit status; the code follows shortly after.
    await waitFor('its exit code', () => s.state().exitCode !== null, 20_000);
    expect(s.state().exitCode).toBe(3);
    await s.restart();
    await waitFor('running again', () => s.state().status !== 'crashed' && has(s, 'resuming'));
    expect(
      await tmux('list-windows', '-t', '=fleet-test', '-F', '#{window_name} #{pane_dead}'),
    ).toBe('ps1 0');
  });
});
