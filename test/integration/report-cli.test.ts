import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayOf } from '../../src/core/insight/dates.js';
import { eventFilePath } from '../../src/core/sessions/status/event-file.js';
import { appendEvent } from '../../src/core/sessions/status/append.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

interface Row {
  id: string;
  landed: number;
  conflicts: number;
  pushesSaved: number;
  secondsIn: { working: number; waiting: number; idle: number; stopped: number };
  costUsd: number;
}

const H = 3600_000;

describe('fleet-tui report', () => {
  let fx: FleetFixture;
  let claudeDir: string;
  let since: string;
  let now: number;

  beforeAll(async () => {
    fx = await makeFleet({ instances: 3 });
    const [ps1, ps2, ps3] = fx.instances;
    // Two real lands: ps1 (2 commits) and ps2 (1) together — one push for two — then ps3 alone.
    await fx.commit(ps1!.worktree, { 'role-ps1/a.ts': 'a\n' }, 'a');
    await fx.commit(ps1!.worktree, { 'role-ps1/b.ts': 'b\n' }, 'b');
    await fx.commit(ps2!.worktree, { 'role-ps2/c.ts': 'c\n' }, 'c');
    expect((await fx.cli(['land', 'ps1', 'ps2'])).exitCode).toBe(0);
    await fx.commit(ps3!.worktree, { 'role-ps3/d.ts': 'd\n' }, 'd');
    expect((await fx.cli(['land', 'ps3'])).exitCode).toBe(0);

    // ps1's agent: working 3 h ago, waiting on a permission 2 h ago, working again 1.5 h ago,
    // idle since 1 h ago. The process that wrote fleet:state (this test) is alive.
    now = Date.now();
    since = dayOf(new Date(now - 24 * H));
    const commonDir = path.join(fx.repo, '.git');
    const file = eventFilePath(commonDir, 'ps1');
    const at = (ago: number) => new Date(now - ago).toISOString();
    appendEvent(file, {
      t: at(3 * H),
      event: 'fleet:state',
      status: 'working',
      pid: process.pid,
      backend: 'exec',
    });
    appendEvent(file, {
      t: at(2 * H),
      event: 'Notification',
      notificationType: 'permission_prompt',
    });
    appendEvent(file, { t: at(1.5 * H), event: 'UserPromptSubmit' });
    appendEvent(file, { t: at(1 * H), event: 'Stop' });

    // ps2 spent money an hour ago (a Claude Code transcript line as 2.1 writes it).
    claudeDir = path.join(fx.dir, 'claude');
    const proj = path.join(claudeDir, 'projects', ps2!.worktree.replace(/[^A-Za-z0-9]/g, '-'));
    await mkdir(proj, { recursive: true });
    await writeFile(
      path.join(proj, 'sess-1.jsonl'),
      `${JSON.stringify({
        type: 'assistant',
        cwd: ps2!.worktree,
        sessionId: 'sess-1',
        version: '2.1.332',
        requestRef: 'r1',
        timestamp: at(H),
        message: {
          id: 'msg_1',
          type: 'message',
          role: 'assistant',
          model: 'claude-sonnet-4-5-20250929',
          content: [{ type: 'text', text: 'done' }],
          usage: {
            input_tokens: 1000,
            output_tokens: 2000,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 50000,
          },
        },
      })}\n`,
    );
  });
  afterAll(() => fx.cleanup());

  const env = () => ({ CLAUDE_CONFIG_DIR: claudeDir, CODEX_HOME: path.join(fx.dir, 'codex') });

  it('--json: the contract shape, one row per configured instance, lands and pushes saved from the records', async () => {
    const r = await fx.cli(['report', '--json', '--since', since], { env: env() });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const j = JSON.parse(r.stdout) as {
      since: string;
      until: string;
      instances: Row[];
      fleet: Row;
    };
    expect(Object.keys(j)).toEqual(['since', 'until', 'instances', 'fleet']);
    expect(j.since).toBe(since);
    expect(j.until).toBe(dayOf(new Date()));
    const keys = ['id', 'landed', 'conflicts', 'pushesSaved', 'secondsIn', 'costUsd'];
    for (const row of [...j.instances, j.fleet]) {
      expect(Object.keys(row)).toEqual(keys);
      expect(Object.keys(row.secondsIn)).toEqual(['working', 'waiting', 'idle', 'stopped']);
    }
    expect(j.instances.map((i) => [i.id, i.landed, i.pushesSaved, i.conflicts])).toEqual([
      ['ps1', 2, 0.5, 0],
      ['ps2', 1, 0.5, 0],
      ['ps3', 1, 0, 0],
    ]);
    expect(j.fleet).toMatchObject({ id: 'fleet', landed: 4, pushesSaved: 1, conflicts: 0 });
  });

  it('time in each status from the event file; the rest of the range counts as stopped', async () => {
    const r = await fx.cli(['report', '--json', '--since', since], { env: env() });
    const j = JSON.parse(r.stdout) as { instances: Row[]; fleet: Row };
    const s = j.instances[0]!.secondsIn;
    const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThan(120);
    close(s.working, 1.5 * 3600);
    close(s.waiting, 0.5 * 3600);
    close(s.idle, 3600 + (Date.now() - now) / 1000);
    const total = s.working + s.waiting + s.idle + s.stopped;
    // From the start of `since` up to now.
    const from = new Date(`${since}T00:00:00`).getTime();
    close(total, (Date.now() - from) / 1000);
    // ps2 never ran: stopped all along.
    expect(j.instances[1]!.secondsIn).toMatchObject({ working: 0, waiting: 0, idle: 0 });
    expect(j.fleet.secondsIn.working).toBe(s.working);
  });

  it('cost per instance equals what usage counts for the same days', async () => {
    const rep = JSON.parse(
      (await fx.cli(['report', '--json', '--since', since], { env: env() })).stdout,
    ) as { instances: Row[]; fleet: Row };
    const use = JSON.parse(
      (await fx.cli(['usage', '--json', '--since', since], { env: env() })).stdout,
    ) as { instances: Array<{ costUsd: number }> };
    expect(rep.instances[1]!.costUsd).toBeGreaterThan(0);
    expect(rep.instances.map((i) => i.costUsd)).toEqual(use.instances.map((i) => i.costUsd));
    expect(rep.fleet.costUsd).toBe(rep.instances[1]!.costUsd);
  });

  it('text: a row per instance and the fleet; a bad --since exits 2 with one line', async () => {
    const r = await fx.cli(['report', '--since', since], { env: env() });
    expect(r.exitCode).toBe(0);
    for (const id of ['ps1', 'ps2', 'ps3', 'fleet'])
      expect(r.stdout).toMatch(new RegExp(`^${id}\\s`, 'm'));
    const bad = await fx.cli(['report', '--since', '2026-00-10'], { env: env() });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^fleet-tui: --since "2026-00-10": not a date/),
    ]);
  });
});
