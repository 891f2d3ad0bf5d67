// Issue 14 item 7 against real tmux: fleet-tui running inside tmux (where most people run it)
// attaches with `a` by switching the person's client, or with a popup when the fleet has its own
// tmux server — never a nested `tmux attach` ("sessions should be nested with care").
// A person's client needs a terminal: an outer tmux server's pane runs `tmux attach` for it.
import os from 'node:os';
import path from 'node:path';
import { rm } from 'node:fs/promises';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { attachCommand } from '../../src/core/sessions/tmux/attach.js';
import { BIN } from '../helpers/git-fixture.js';
import { waitFor } from './sessions-helpers.js';
import { simAgent, tmuxFleet, type TmuxFleet } from './tmux-helpers.js';

let f: TmuxFleet | null = null;
const servers: string[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    await execa('tmux', ['-L', s, 'kill-server'], { reject: false });
    await rm(path.join('/tmp', `tmux-${os.userInfo().uid}`, s), { force: true });
  }
  await f?.cleanup();
  f = null;
});

type Tmux = ((...args: string[]) => Promise<string>) & { socket: string };

const on = (socket: string): Tmux =>
  Object.assign(
    (...args: string[]) =>
      execa('tmux', ['-L', socket, '-f', '/dev/null', ...args], {
        reject: false,
        env: { TMUX: '' },
      }).then((r) => String(r.stdout).trim()),
    { socket },
  );

/** What the terminal clients (not fleet-tui's control client) of a server show: `format`. */
const clients = async (t: (...a: string[]) => Promise<string>, format: string) =>
  (await t('list-clients', '-F', `#{?client_control_mode,,${format}}`))
    .split('\n')
    .filter(Boolean)
    .join(' ');

/** Another tmux server (killed after the test). */
function server(name: string): Tmux {
  const socket = `${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  servers.push(socket);
  return on(socket);
}

/** The person's session `work` on `person` runs the TUI; an outer terminal attaches to it. */
async function personRunsTui(fx: TmuxFleet, person: Tmux) {
  const tui = `cd ${fx.fx.repo} && env -u CI -u CONTINUOUS_INTEGRATION FLEET_TUI_TMUX_SOCKET=${fx.socket} ${process.execPath} ${BIN}; sleep 600`;
  await person('new-session', '-d', '-s', 'work', '-x', '160', '-y', '48', tui);
  const outer = server('fleet-outer');
  await outer(
    'new-session',
    '-d',
    '-s',
    'terminal',
    '-x',
    '160',
    '-y',
    '48',
    `env -u TMUX tmux -L ${person.socket} attach-session -t =work`,
  );
  await waitFor(
    'the person attached',
    async () => (await clients(person, '#{client_session}')) === 'work',
  );
  await waitFor(
    'the grid',
    async () => /ps2 \S+ \w+/.test(await person('capture-pane', '-p', '-t', '=work:')),
    60_000,
  );
  // Both agents running and followed by fleet-tui (their output in its panes): `a` has a window
  // to show. tmux listing the windows is not enough — under load fleet-tui may not know them yet.
  await waitFor(
    'agents up',
    async () => {
      const s = await person('capture-pane', '-p', '-t', '=work:');
      return s.includes('Edit work/ps1/log.md') && s.includes('Edit work/ps2/log.md');
    },
    30_000,
  );
}

describe('attach from inside tmux (item 7)', () => {
  it("same tmux server: `a` switches the person's client to the agent; fleet-tui keeps running", async () => {
    f = await tmuxFleet({
      instances: [{ id: 'ps1' }, { id: 'ps2' }],
      agents: () => ({ claude: simAgent() }),
    });
    const person = on(f.socket);
    await personRunsTui(f, person);
    await person('send-keys', '-t', '=work:', 'a');
    await waitFor(
      'client switched',
      async () => (await clients(person, '#{client_session}')) === 'fleet-test',
    );
    expect(await clients(person, '#{window_name}')).toBe('ps1');
    // No nested attach happened (it would print "sessions should be nested with care").
    expect(await person('capture-pane', '-p', '-t', '=work:')).not.toContain('nested');
    // fleet-tui is still running in its own window, and the person gets back to it.
    await person('switch-client', '-t', '=work');
    await waitFor('the grid again', async () =>
      /ps2 \S+ \w+/.test(await person('capture-pane', '-p', '-t', '=work:')),
    );
    expect(await person('display-message', '-p', '-t', '=work:', '#{pane_dead}')).toBe('0');
  });

  it('the fleet on its own tmux server: `a` opens the agent in a popup that closes on detach', async () => {
    f = await tmuxFleet({
      instances: [{ id: 'ps1' }, { id: 'ps2' }],
      agents: () => ({ claude: simAgent() }),
    });
    const person = server('fleet-person');
    const fleetTmux = on(f.socket);
    await personRunsTui(f, person);
    await person('send-keys', '-t', '=work:', 'a');
    // The popup's attach is a client of the fleet's server, showing ps1's window.
    await waitFor(
      'popup attached',
      async () => (await clients(fleetTmux, '#{client_session}')) === 'fleet-test',
    );
    expect(await clients(fleetTmux, '#{window_name}')).toBe('ps1');
    // The person's own client stayed where it was.
    expect(await clients(person, '#{client_session}')).toBe('work');
    await fleetTmux('detach-client', '-s', '=fleet-test');
    await waitFor(
      'popup closed',
      async () => (await clients(fleetTmux, '#{client_session}')) === '',
    );
    await waitFor('the grid again', async () =>
      /ps2 \S+ \w+/.test(await person('capture-pane', '-p', '-t', '=work:')),
    );
    expect(await person('display-message', '-p', '-t', '=work:', '#{pane_dead}')).toBe('0');
  });

  it('chooses attach, switch or popup from $TMUX', () => {
    const uid = os.userInfo().uid;
    const base = { socket: 'fleet-x', sessionName: 'fleet-s', windowId: '@3' };
    expect(attachCommand({ ...base, env: {} }).kind).toBe('attach');
    expect(attachCommand({ ...base, env: { TMUX: `/tmp/tmux-${uid}/fleet-x,123,0` } })).toEqual({
      command: 'tmux',
      args: ['select-window', '-t', '@3', ';', 'switch-client', '-t', '=fleet-s'],
      kind: 'switch',
    });
    const popup = attachCommand({ ...base, env: { TMUX: `/tmp/tmux-${uid}/default,123,0` } });
    expect(popup.kind).toBe('popup');
    expect(popup.args.at(-1)).toBe(
      "env -u TMUX tmux -L fleet-x select-window -t @3 ';' attach-session -t =fleet-s",
    );
    // The default server on both sides: the same server.
    expect(
      attachCommand({ ...base, socket: null, env: { TMUX: `/tmp/tmux-${uid}/default,9,1` } }).kind,
    ).toBe('switch');
  });
});
