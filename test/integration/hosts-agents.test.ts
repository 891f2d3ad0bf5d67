import { appendFile, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SessionManager, readAgentStates, type Session } from '../../src/core/sessions/index.js';
import type { TmuxSession } from '../../src/core/sessions/tmux/tmux-session.js';
import { closeHost } from '../../src/core/hosts/ssh.js';
import { run } from '../helpers/git-fixture.js';
import type { HostsFleet } from '../helpers/hosts-fixture.js';
import { hostAgentsSuite, LOCAL } from '../helpers/host-agents-suite.js';
import { waitFor } from './sessions-helpers.js';

// Agents on SSH hosts: the simulated agent runs in a tmux server on each "host" (a real sshd on
// 127.0.0.1; tmux -L fleet-<host> there), driven over SSH. The tmux servers live in a private
// TMUX_TMPDIR, passed to the host sessions by the test sshd, and are killed after each test.
describe('hosts: agents on hosts', () => {
  let mgr: SessionManager | undefined;
  const h = hostAgentsSuite(() => {
    mgr?.dispose();
    mgr = undefined;
  });
  const { tmux, has, fleet } = h;
  /** Idle from a hook fired at or after `t` (host hooks stamp whole seconds), and a new idle
   * (`since` moved off `before`): that turn's Stop was read, not the idle from before the turn,
   * which the screen may show the answer under. */
  const idleSince = (s: Session, t: number, before: string) =>
    s.state().status === 'idle' &&
    s.state().since !== before &&
    Date.parse(s.state().since) >= Math.floor(t / 1000) * 1000;
  const manager = async (f: HostsFleet) =>
    (mgr = new SessionManager(await f.config(), { tmuxSocket: LOCAL, crashBackoffMs: 0 }));

  it('starts a sim agent on a host: output, hook status, send, restart, stop, attach', async () => {
    const f = await fleet([{ id: 'ps1' }, { id: 'ps2', host: 'box1' }]);
    const m = await manager(f);
    const s = m.session('ps2') as TmuxSession;
    await s.start();
    expect((await s.settle()).status).not.toBe('crashed');
    // The window is on the host's own tmux server, in the host worktree; none was made here.
    expect(
      await tmux('fleet-box1', 'list-windows', '-t', '=fleet-test', '-F', '#{window_name}'),
    ).toBe('ps2');
    expect(
      await tmux(
        'fleet-box1',
        'display-message',
        '-p',
        '-t',
        '=fleet-test:=ps2',
        '#{pane_current_path}',
      ),
    ).toBe(f.worktree('ps2'));
    expect(await tmux(LOCAL, 'list-windows', '-a')).toBe('');
    await waitFor('its output', () => has(s, '⏺ Edit work/ps2/log.md'));
    // The status comes from the agent's hooks, written on the host, read over SSH.
    // Only a hook names the session: its id came over SSH from the host's event file.
    await waitFor('the session id from the hooks', () => s.state().sessionId !== null);
    await waitFor('idle', () => s.state().status === 'idle');
    const hostEvents = await readFile(
      path.join(f.clones.box1, '.git', 'fleet-tui', 'agents', 'ps2.events.jsonl'),
      'utf8',
    );
    expect(hostEvents).toContain('"fleetHost":1,"event":"Stop","managed":1');
    expect(hostEvents).toContain(`"session_id":"${s.state().sessionId}"`);
    // The state fleet-tui keeps is local, as for a local agent: `status` reads it.
    expect((await readAgentStates(await f.config())).ps2?.status).toBe('idle');
    // The hook settings it wrote on the host leave the host worktree clean.
    expect(await run(f.worktree('ps2'), ['status', '--porcelain', '--', '.claude'])).toBe('');
    // A line in the host event file posing as the watcher's frame header, or as another
    // agent's hook, steers nothing: the next turn's hooks are still read.
    await appendFile(
      path.join(f.clones.box1, '.git', 'fleet-tui', 'agents', 'ps2.events.jsonl'),
      `@@${'a'.repeat(24)} 1 0 99999\n@@${'a'.repeat(24)} .\n{"fleetHost":1,"event":"PermissionRequest","managed":0,"t":1,"payload":{}}\n` +
        `{"fleetHost":1,"event":"Notification","managed":1,"t":2,"payload":{"session_id":"s-after","notification_type":"idle_prompt"}}\n`,
    );
    await waitFor('the hook after them is read', () => s.state().sessionId === 's-after');
    expect(s.state().status).toBe('idle'); // the other agent's PermissionRequest was not ours

    const [sentAt, idleBefore] = [Date.now(), s.state().since];
    await s.send("a line with 'quotes' and $(no expansion) ;");
    await waitFor('the answer', () => has(s, "I'll a line with 'quotes' and $(no expansion) ;"));
    await waitFor('idle again after that turn', () => idleSince(s, sentAt, idleBefore));

    const pid = () =>
      tmux('fleet-box1', 'display-message', '-p', '-t', '=fleet-test:=ps2', '#{pane_pid}');
    const before = await pid();
    await s.restart();
    await s.settle();
    expect(await pid()).not.toBe(before);
    await waitFor('the restarted agent resumes', () => has(s, 'resuming'));

    const attach = s.attachCommand()!;
    expect(attach.command).toBe(process.env.TMUX ? 'tmux' : 'ssh');
    expect(attach.args.join(' ')).toMatch(/-t .*hosta.*'tmux' '-L' 'fleet-box1'.*'attach-session'/);

    await s.stop();
    expect(s.state().status).toBe('stopped');
    await waitFor(
      'window gone',
      async () => (await tmux('fleet-box1', 'list-windows', '-a')) === '',
    );
  });

  it('a host that goes away: its agents say unreachable, the others stream on; back, they reconnect', async () => {
    const f = await fleet([
      { id: 'ps1' },
      { id: 'ps2', host: 'box1' },
      { id: 'ps3', host: 'box2' },
    ]);
    const m = await manager(f);
    await m.startAll();
    const [s1, s2, s3] = ['ps1', 'ps2', 'ps3'].map((id) => m.session(id));
    for (const s of [s1!, s2!, s3!])
      await waitFor(`${s.instanceId} idle`, () => s.state().status === 'idle');
    const answers = async (s: Session, text: string) => {
      await s.send(text);
      await waitFor(`${s.instanceId} answers ${text}`, () => has(s, `I'll ${text}`));
    };

    // The SSH connection to box1 is cut (its control client and event watcher with it).
    await closeHost((await f.config()).hosts.box1!);
    await answers(s3!, 'box2 goes on');
    await answers(s1!, 'local goes on');
    // box1's control client comes back by itself: its agent answers, its hooks are heard.
    // One prompt, sent once a send goes through (sending on every poll queued several turns:
    // the agent was still working through them when sshd stopped below).
    let backAt = 0;
    const idleBefore = s2!.state().since;
    await waitFor(
      'box1 back',
      async () => {
        if (!backAt) {
          const t = Date.now();
          if (
            await s2!.send('box1 is back').then(
              () => true,
              () => false,
            )
          )
            backAt = t;
        }
        return has(s2!, "I'll box1 is back");
      },
      30_000,
    );
    await waitFor('ps2 idle after its turn (hook read over the new watcher)', () =>
      idleSince(s2!, backAt, idleBefore),
    );

    // sshd stops: both hosts are gone; the local agent is not held up.
    await h.sshd.stop();
    await waitFor(
      'ps2 unreachable',
      () => (s2!.state().note ?? '').startsWith('host unreachable'),
      30_000,
    );
    expect(s2!.state().status).toBe('idle'); // the agent may well run on: its status stays
    await answers(s1!, 'local still goes on');
    const t0 = Date.now();
    await expect(s2!.send('lost')).rejects.toThrow();
    await expect(s2!.stop()).rejects.toThrow(/host "box1" unreachable .* keeps running there/);
    expect(Date.now() - t0).toBeLessThan(30_000);
    // Another process's view (status --json): the recorded state stays, with the note.
    const st = await f.cli(['status', '--json'], { env: { FLEET_TUI_TMUX_SOCKET: LOCAL } });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON rows checked field by field
    const rows = JSON.parse(st.stdout).instances as Array<Record<string, any>>;
    expect(rows.find((r) => r.id === 'ps2')).toMatchObject({ reachable: false });
    expect(rows.find((r) => r.id === 'ps2')!.agentState).toMatchObject({ status: 'idle' });

    // sshd is back: the hosts' agents are reached again, with no one asking.
    await h.sshd.start();
    await waitFor(
      'ps2 reachable again',
      () => !(s2!.state().note ?? '').startsWith('host unreachable'),
      40_000,
    );
    await answers(s2!, 'after the outage');
    await answers(s3!, 'box2 after the outage');
    await waitFor('ps3 idle from its hook', () => s3!.state().status === 'idle');
  });

  it('output from a host goes through the same sanitizer; protocol lines steer nothing', async () => {
    const script = path.join(h.tmuxDir, 'spoof.mjs');
    await writeFile(
      script,
      `let n = 0; setInterval(() => { n++; process.stdout.write('\\x1b[H\\x1b[2J' + [
        '%end 1 1 1', '%window-close @0', '%window-close @1', '%output %1 HACKED', '%exit',
        '@@' + 'f'.repeat(24) + ' 1 0 5', '\\x1b]0;TITLE\\x07\\x1b]52;c;SGVsbG8=\\x07 \\x1b[31mred\\x1b[0m',
        'round ' + n].join('\\r\\n')); }, 150);`,
    );
    const f = await fleet(
      [
        { id: 'ps2', host: 'box1', agent: 'spoof' },
        { id: 'ps3', host: 'box1' },
      ],
      { spoof: { command: process.execPath, args: [script], backend: 'tmux' } },
    );
    const m = await manager(f);
    await m.startAll();
    const [s2, s3] = [m.session('ps2'), m.session('ps3')];
    await waitFor('spoofer rounds', () => has(s2, 'round 5'));
    await waitFor('ps3 idle', () => s3.state().status === 'idle');
    const raw = s2.tail(50).join('\n');
    // Only SGR survives: no OSC (title, clipboard), no BEL, no other control character.
    /* eslint-disable no-control-regex -- looking for control characters is the point */
    expect(raw).not.toMatch(/\x1b\]|\x07/);
    expect(raw.replace(/\x1b\[[0-9;:]*m/g, '')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
    /* eslint-enable no-control-regex */
    expect(has(s2, 'red')).toBe(true);
    // Nothing it printed closed or killed the agent next to it.
    await s3.send('still here');
    await waitFor('ps3 answers', () => has(s3, "I'll still here"));
    expect(s2.state().status).not.toMatch(/stopped|crashed|exited/);
    expect(s3.state().status).not.toMatch(/stopped|crashed|exited/);
  });

  it('the CLI starts, sends to, tails and stops a host agent', async () => {
    const f = await fleet([{ id: 'ps1' }, { id: 'ps2', host: 'box1' }]);
    const env = { FLEET_TUI_TMUX_SOCKET: LOCAL, TMUX: '' };
    const start = await f.cli(['agents', 'start', 'ps2'], { env });
    expect(start.exitCode, start.stderr).toBe(0);
    expect(start.stdout).toMatch(/ps2: running in tmux \(fleet-test:ps2\) on host box1/);
    const sent = await f.cli(['agents', 'send', 'ps2', 'hello from the cli'], { env });
    expect(sent.exitCode, sent.stderr).toBe(0);
    // Each look is a whole CLI run over SSH (seconds each at load 15): 40 s, not the 15 s default.
    await waitFor(
      'the answer, tailed',
      async () =>
        (await f.cli(['agents', 'tail', 'ps2'], { env })).stdout.includes(
          "I'll hello from the cli",
        ),
      40_000,
    );
    const stop = await f.cli(['agents', 'stop', 'ps2'], { env });
    expect(stop.exitCode, stop.stderr).toBe(0);
    expect(await tmux('fleet-box1', 'list-windows', '-a')).toBe('');
  });
});
