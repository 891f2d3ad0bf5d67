import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  launchFailure,
  launchScript,
  lostLaunchFailure,
  writeLauncher,
} from '../../../src/core/sessions/tmux/launcher.js';

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

describe('tmux launcher script', () => {
  it('runs the agent with its argv, directory and environment byte-exact, then is gone', () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-launch-'));
    const args = ["it's", 'a;', '$(x) `y` $Z', 'two\nlines', '-c', '', 'é🚀', '\\;'];
    const { argv, file } = writeLauncher(path.join(dir, 'launch'), {
      instance: 'ps1',
      cwd: dir,
      env: { FLEET_V: "v; 'q'" },
      command: process.execPath,
      args: [
        '-e',
        'console.log(JSON.stringify([process.argv.slice(1), process.cwd(), process.env.FLEET_V]))',
        ...args,
      ],
    });
    expect(argv).toEqual(['/bin/sh', file]);
    const out = execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });
    expect(JSON.parse(out)).toEqual([args, dir, "v; 'q'"]);
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(path.join(dir, 'launch'))).toEqual([]);
  });

  it('refuses what no argv can hold and env names the shell cannot export', () => {
    const base = { instance: 'ps1', cwd: '/tmp', env: {}, command: 'x', args: [] };
    expect(() => launchScript({ ...base, args: ['a\0b'] })).toThrow(/argument 1 contains a NUL/);
    expect(() => launchScript({ ...base, env: { 'A-B': '1' } })).toThrow(/"A-B" is not valid/);
  });

  it("a launch failure is the shell's last message, without the script name or tmux's line", () => {
    expect(
      launchFailure([
        '/repo/.git/fleet-tui/launch/ps1-ab12.sh: 5: exec: nope: not found',
        '',
        'Pane is dead (status 127, Tue Dec  1 17:23:26 2026)',
        '',
      ]),
    ).toBe('exec: nope: not found');
  });

  it("a failed launch whose message tmux dropped still says what failed, from the script's exit", () => {
    // tmux loses a pane's last output when it reaps the process before reading the pty: the
    // screen is then only tmux's own line.
    expect(launchFailure(['', 'Pane is dead (status 127, Tue Dec  1 17:23:26 2026)'])).toBeNull();
    const launched = { command: 'nope', cwd: '/repo/work/ps1' };
    expect(lostLaunchFailure(127, launched)).toBe('nope: not found');
    expect(lostLaunchFailure(126, launched)).toBe('could not enter /repo/work/ps1 or execute nope');
  });
});
