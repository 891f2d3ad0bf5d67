// The whole product in a real terminal: tmux (private socket) runs `fleet-tui demo` at 160×48;
// the test types like a person (send-keys) and reads the screen (capture-pane) and the git state.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BIN } from '../helpers/git-fixture.js';

const SOCKET = `fleet-e2e-${process.pid}`;
const tmux = (...args: string[]) =>
  execa('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], { reject: false });
const screen = async () => (await tmux('capture-pane', '-p', '-t', 'e2e')).stdout;
const keys = async (...k: string[]) => {
  for (const key of k) {
    await tmux('send-keys', '-t', 'e2e', key);
    // One key at a time, as typed: the TUI handles each before the next arrives.
    await new Promise((r) => setTimeout(r, 150));
  }
};

/** The screen once `pred` holds for it (vi.waitFor on capture-pane every 200 ms). */
async function until(what: string, pred: (s: string) => boolean, ms = 60_000): Promise<string> {
  const s = await vi.waitFor(
    async () => {
      const s = await screen();
      if (!pred(s)) throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
      return s;
    },
    { timeout: ms, interval: 200 },
  );
  if (process.env.FLEET_E2E_VERBOSE) console.log(`${new Date().toISOString()} ${what}`);
  return s;
}

/** The focused pane is drawn with a double border: its header line starts with ║. */
const focused = (s: string) => /║\d (\S+) /.exec(s)?.[1];
const originMain = (dir: string) =>
  execa('git', ['rev-parse', 'main'], { cwd: path.join(dir, 'origin.git') }).then((r) =>
    r.stdout.trim(),
  );

describe('fleet-tui demo in tmux at 160×48', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-e2e-'));
    // Ink draws nothing until exit when it believes it runs in CI, so the TUI runs without CI=.
    const cmd = `env -u CI -u CONTINUOUS_INTEGRATION ${process.execPath} ${BIN} demo --dir ${dir} --instances 4; echo FLEET_EXIT=$?; sleep 600`;
    const res = await tmux('new-session', '-d', '-s', 'e2e', '-x', '160', '-y', '48', cmd);
    expect(res.exitCode, res.stderr).toBe(0);
  });
  afterAll(async () => {
    await tmux('kill-server');
    // Agents that outlive the TUI for a moment may still write their event files.
    await rm(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  });

  it('moves focus, zooms, lands everything with P, reassigns a role with r, and quits with q', async () => {
    let s = await until(
      'the grid',
      (x) => x.includes('4 instances') && /ps2 \S+ \w+/.test(x) && x.includes('P push-all'),
    );
    expect(s.split('\n').length).toBeLessThanOrEqual(48);
    for (const id of ['vscode', 'win', 'ps1', 'ps2']) expect(s).toMatch(new RegExp(`\\d ${id} `));
    expect(focused(s)).toBe('vscode');
    const before = await originMain(dir);
    // The demo's colliding migration shows within the first minute (top bar and the pane).
    s = await until(
      'the migration collision',
      (x) => /⚠ [1-9]\d* migration problem/.test(x),
      60_000,
    );
    expect(s).toMatch(/ps2 .*⚠ \d+ mig/);

    await keys('l');
    await until('focus on win', (x) => focused(x) === 'win');
    await keys('Enter');
    s = await until('the zoomed pane', (x) => x.includes('Esc Enter back'));
    expect(s).not.toMatch(/\d vscode /);
    await keys('Escape');
    await until('the grid again', (x) => /\d vscode /.test(x) && focused(x) === 'win');

    await keys('P');
    await until('push-all progress', (x) => x.includes('Push-all —'));
    s = await until('push-all summary', (x) => x.includes('Push-all — done'), 90_000);
    expect(s).toMatch(/vscode\s+landed\s+\d+ commits/);
    expect(s).toMatch(
      /\d+ landed \(\d+ commits\) · \d+ need attention · main \w{7} → \w{7} · 1 push/,
    );
    expect(await originMain(dir)).not.toBe(before);
    await keys('Escape');
    await until('the grid after the summary', (x) => !x.includes('Push-all —'));

    await keys('r');
    s = await until('the role picker', (x) => x.includes('Role for win'));
    expect(s).toMatch(/▸ ● docs — Docs \+ video pipeline/);
    await keys('j');
    await until('health selected', (x) => /▸ {3}health — Workflow health monitoring/.test(x));
    await keys('Enter');
    await until('the restart offer', (x) => x.includes('Restart win with the health prompt?'));
    await keys('n');
    await until('the new role in the pane', (x) =>
      x.includes('║Workflow health monitoring · claude'),
    );
    const state = JSON.parse(
      await readFile(path.join(dir, 'repo', '.git', 'fleet-tui', 'state.json'), 'utf8'),
    );
    expect(state.roles).toEqual({ win: 'health' });
    const status = await execa(process.execPath, [BIN, 'status', '--json'], {
      cwd: path.join(dir, 'repo'),
    });
    const rows = JSON.parse(status.stdout).instances as Array<{ id: string; role: string }>;
    expect(rows.find((r) => r.id === 'win')?.role).toBe('health');

    await keys('q');
    s = await until('the shell after quitting', (x) => x.includes('FLEET_EXIT='), 30_000);
    expect(s).toContain('FLEET_EXIT=0');
    expect(s).toContain(`demo sandbox: ${dir}`);
  }, 240_000);
});
