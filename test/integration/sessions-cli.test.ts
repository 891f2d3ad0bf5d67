import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { simFleet, waitFor, type SimFleet } from './sessions-helpers.js';

let f: SimFleet | null = null;
let socket = '';
afterEach(async () => {
  f?.manager.dispose();
  if (socket) {
    await execa('tmux', ['-L', socket, 'kill-server'], { reject: false });
    await rm(path.join(process.env.TMUX_TMPDIR ?? '/tmp', `tmux-${os.userInfo().uid}`, socket), {
      force: true,
    });
  }
  if (f) await rm(f.fx.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  f = null;
  socket = '';
});

const capture = (target: string) =>
  execa('tmux', ['-L', socket, 'capture-pane', '-p', '-t', target], { reject: false }).then((r) =>
    String(r.stdout),
  );

describe('fleet-tui agents (CLI)', () => {
  it('a 12-instance tmux fleet: start --all, send, tail, stop, each from a process that then exits', async () => {
    socket = `fleet-test-cli-${process.pid}`;
    f = await simFleet({
      backend: 'tmux',
      instances: 12,
      simArgs: ['--permission-every', '0'],
      sessions: "{ tmuxSession: 'fleet-cli' }",
    });
    const env = { FLEET_TUI_TMUX_SOCKET: socket };
    const cli = (...args: string[]) => f!.fx.cli(args, { env });

    const started = await cli('agents', 'start', '--all');
    expect(started.exitCode).toBe(0);
    expect(started.stdout.trim().split('\n')).toHaveLength(12);
    const names = async () =>
      (
        await execa(
          'tmux',
          ['-L', socket, 'list-windows', '-t', '=fleet-cli', '-F', '#{window_name}'],
          { reject: false },
        )
      ).stdout
        .split('\n')
        .sort();
    expect(await names()).toEqual(f.config.instances.map((i) => i.id).sort());
    expect((await cli('agents', 'start', 'ps3')).stdout).toContain('ps3: running in tmux');
    expect(await names()).toHaveLength(12); // adopted, not duplicated

    // The prompt waits in the agent's input until its current turn ends, as with a real agent.
    const sent = await cli('agents', 'send', 'ps7', 'rename the flag');
    expect(sent).toMatchObject({ exitCode: 0, stdout: 'ps7: sent 1 line(s)' });
    await waitFor(
      'ps7 answered',
      async () => (await capture('=fleet-cli:=ps7')).includes("I'll rename the flag"),
      40_000,
    );
    const tail = await cli('agents', 'tail', 'ps7', '--lines', '60');
    expect(tail.stdout).toContain("I'll rename the flag");
    expect(tail.stdout).toContain('⏺ Edit work/ps7/log.md');

    const stopped = await cli('agents', 'stop', '--all');
    expect(stopped.exitCode).toBe(0);
    expect(await names()).toEqual(['']);
    expect((await cli('agents', 'stop')).exitCode).toBe(2);
    // ~10 s on an idle 2-core machine; twelve agents starting at once need headroom under load.
  }, 150_000);
});
