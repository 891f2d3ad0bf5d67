import { readFile } from 'node:fs/promises';
import stripAnsi from 'strip-ansi';
import { afterEach, describe, expect, it } from 'vitest';
import { eventFilePath, readAgentStates, type Session } from '../../src/core/sessions/index.js';
import { LINE_CAP } from '../../src/core/sessions/output/cap-line.js';
import { readFleetState } from '../../src/core/state/fleet-state.js';
import { simFleet, waitFor, type SimFleet } from './sessions-helpers.js';

let f: SimFleet | null = null;
afterEach(async () => {
  if (!f) return;
  await f.manager.stopAll();
  f.manager.dispose();
  await f.fx.cleanup();
  f = null;
});

const plain = (s: Session, n = 200) => s.tail(n).map((l) => stripAnsi(l));
const has = (s: Session, text: string) => plain(s, 5000).some((l) => l.includes(text));

describe('exec backend with the simulated agent', () => {
  it('runs Claude stream-json turns: readable lines, hooks drive status, cost summed, commits made, session id saved', async () => {
    f = await simFleet({
      simArgs: ['--exit-after', '1', '--commit-every', '1', '--permission-every', '0'],
    });
    const s = f.manager.session('ps1');
    const statuses: string[] = [];
    s.on(
      'state',
      () => statuses[statuses.length - 1] !== s.state().status && statuses.push(s.state().status),
    );
    await f.manager.startAll();
    await waitFor('exit', () => s.state().status === 'exited');
    expect(s.state().exitCode).toBe(0);
    expect(statuses[0]).toBe('starting');
    expect(statuses).toContain('working');
    // The agent exits right after its turn's Stop hook: on a loaded machine the exit can be seen
    // before the hook's line is read, so `idle` may be skipped; the Stop record below is checked.
    expect(statuses[statuses.length - 1]).toBe('exited');
    expect(has(s, '⏺ Edit work/ps1/log.md')).toBe(true);
    expect(has(s, '⏺ Bash npm test')).toBe(true);
    expect(plain(s).some((l) => l.startsWith('{'))).toBe(false);
    expect(s.state().costUsd).toBeCloseTo(0.013, 6);
    expect(s.state().tokens).toEqual({ input: 1810, output: 240 });

    const events = await readFile(eventFilePath(f.manager.commonDir, 'ps1'), 'utf8');
    for (const e of ['SessionStart', 'UserPromptSubmit', 'PostToolUse', 'Stop'])
      expect(events).toContain(`"event":"${e}"`);
    const sid = s.state().sessionId;
    expect(sid).toMatch(/^[0-9a-f-]{36}$/);
    await waitFor(
      'saved session id',
      async () => (await readFleetState(f!.manager.commonDir)).sessions.ps1 === sid,
    );
    expect(await f.fx.git(f.fx.instances[0]!.worktree, 'log', '-1', '--format=%s')).toMatch(
      /^ps1: /,
    );

    const states = await readAgentStates(f.config);
    expect(states.ps1).toMatchObject({ status: 'exited', exitCode: 0, sessionId: sid });
  });

  it('survives hostile output: binary, invalid UTF-8, CR progress, wide chars, cursor moves, a 5 MB line (cut)', async () => {
    f = await simFleet({ simArgs: ['--hostile'] });
    const s = f.manager.session('ps1');
    await s.start();
    await waitFor('exit', () => s.state().status === 'exited');
    const lines = s.tail(20);
    const visible = lines.map((l) =>
      l.length > 100 ? `${l.slice(0, 5)}…${stripAnsi(l).replace(/^long:x+/, '')}` : l,
    );
    expect(visible).toEqual(
      expect.arrayContaining([
        'crlf line',
        'bin',
        'bad \ufffd\ufffd \ufffd(',
        'progress 100%',
        'wide 漢字 and emoji 🚀✨',
        '\x1b[31mred\x1b[0m moved done',
        'split é char',
        `long:… … [line cut: ${(5 * 1024 * 1024 + 5 - LINE_CAP).toLocaleString('en-US')} more characters]`,
        'after long',
        'unfinished',
      ]),
    );
    const all = lines.join('\n');
    for (const bad of ['progress 50%', '\x1b[2J', '\x1b[3A', 'title'])
      expect(all).not.toContain(bad);
  });

  it('keeps scrollback bounded and coalesces output notifications', async () => {
    f = await simFleet({
      simArgs: ['--rate', '4000', '--duration', '1000'],
      sessions: '{ scrollback: 100 }',
    });
    const s = f.manager.session('ps1');
    let notes = 0;
    s.on('output', () => notes++);
    await s.start();
    await waitFor('exit', () => s.state().status === 'exited');
    expect(s.tail(1000)).toHaveLength(100);
    const seqs = s.tail(100).map((l) => Number(/seq=(\d+)/.exec(l)?.[1]));
    expect(seqs[99]! - seqs[0]!).toBe(99);
    // All 4000 lines went through, the last one kept (the agent writes rate × duration lines
    // whatever the load; `> 3000` failed when a starved agent had written fewer by then).
    expect(seqs[99]).toBe(4000);
    expect(notes).toBeLessThan(40); // ~1 s at one notification per 40 ms, not one per line
    expect(s.version).toBeGreaterThanOrEqual(4000);
  });

  it('sends input, stops with SIGTERM, and a codex agent reports through notify', async () => {
    f = await simFleet({
      instances: [{ id: 'cx', agent: 'codex' }],
      simArgs: ['--permission-every', '0'],
    });
    const s = f.manager.session('cx');
    await s.start();
    await waitFor('first turn done', () => s.state().status === 'idle' && has(s, 'turn done'));
    expect(await readFile(eventFilePath(f.manager.commonDir, 'cx'), 'utf8')).toContain(
      '"event":"agent-turn-complete"',
    );
    await s.send('write the release notes');
    await waitFor('prompt answered', () => has(s, "I'll write the release notes"));
    await s.stop();
    expect(s.state().status).toBe('stopped');
    await expect(s.send('x')).rejects.toThrow(/not running/);
  });

  it('crash: status says so, restarts with backoff and resumes the session', async () => {
    f = await simFleet({ simArgs: ['--crash-after', '700'], manager: { crashBackoffMs: 200 } });
    const s = f.manager.session('ps1');
    await s.start();
    const sid = await waitFor('session id', () => s.state().sessionId);
    await waitFor('crash', () => s.state().status === 'crashed');
    expect(s.state()).toMatchObject({ exitCode: 3 });
    expect(s.state().note).toMatch(/exit code 3; restart in 1s/);
    await waitFor('restart', () => s.state().status !== 'crashed');
    await waitFor('resumed', () => has(s, `resuming ${sid}`));
    await waitFor('second crash', () => s.state().status === 'crashed');
    expect(s.state().note).toMatch(/crash loop \(2×\)/);
    await s.stop();
    expect(s.state().status).toBe('stopped');
  });
});
