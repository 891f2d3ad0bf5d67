import { describe, expect, it } from 'vitest';
import { currentBlock, usageBlocks } from '../../../src/core/insight/blocks.js';
import { encodeProjectDir, parseClaudeLine } from '../../../src/core/insight/claude-transcripts.js';
import { newCodexState, parseCodexLine } from '../../../src/core/insight/codex-sessions.js';
import { dayRange } from '../../../src/core/insight/dates.js';
import {
  claudeCost,
  findPrice,
  loadPrices,
  parsePriceTable,
} from '../../../src/core/insight/prices.js';
import type { PricedEntry } from '../../../src/core/insight/usage.js';

describe('Claude transcripts', () => {
  it('encodes a worktree path as Claude Code names its project directory', () => {
    expect(encodeProjectDir('/tmp/fleet-x/repo/.claude/worktrees/instance-ps1')).toBe(
      '-tmp-fleet-x-repo--claude-worktrees-instance-ps1',
    );
    expect(encodeProjectDir('/home/a b/ü_x')).toBe('-home-a-b---x');
  });

  it('keys a call by message id and request id (2.0 requestId, 2.1 requestRef); none without both', () => {
    const base = {
      timestamp: '2026-12-01T00:00:00Z',
      message: { id: 'msg_1', model: 'm', usage: { input_tokens: 1, output_tokens: 2 } },
    };
    expect(parseClaudeLine(JSON.stringify({ ...base, requestId: 'req_1' }), 's')?.key).toBe(
      'msg_1:req_1',
    );
    expect(parseClaudeLine(JSON.stringify({ ...base, requestRef: 'r-2' }), 's')?.key).toBe(
      'msg_1:r-2',
    );
    expect(parseClaudeLine(JSON.stringify(base), 's')?.key).toBeNull();
  });

  it('skips lines without usage numbers or a timestamp, and torn lines', () => {
    expect(parseClaudeLine('{"type":"user","message":{"role":"user"}}', 's')).toBeNull();
    expect(
      parseClaudeLine(
        '{"message":{"usage":{"input_tokens":"5","output_tokens":1}},"timestamp":"2026-01-01T00:00:00Z"}',
        's',
      ),
    ).toBeNull();
    expect(
      parseClaudeLine('{"message":{"usage":{"input_tokens":5,"output_tokens":1}}}', 's'),
    ).toBeNull();
    expect(parseClaudeLine('{"message":{"usage":{"input_tok', 's')).toBeNull();
  });
});

describe('Codex session logs', () => {
  const ev = (info: unknown, t = '2026-12-01T00:00:00Z') =>
    JSON.stringify({ timestamp: t, type: 'event_msg', payload: { type: 'token_count', info } });

  it('takes last_token_usage, else the difference of running totals; cached input apart', () => {
    const s = newCodexState('/x/rollout-a.jsonl');
    parseCodexLine(s, JSON.stringify({ type: 'session_meta', payload: { id: 'sid', cwd: '/w' } }));
    parseCodexLine(
      s,
      JSON.stringify({ type: 'turn_context', payload: { cwd: '/w/sub', model: 'gpt-5.1-codex' } }),
    );
    const a = parseCodexLine(
      s,
      ev({ total_token_usage: { input_tokens: 100, cached_input_tokens: 40, output_tokens: 10 } }),
    );
    const b = parseCodexLine(
      s,
      ev({ total_token_usage: { input_tokens: 250, cached_input_tokens: 100, output_tokens: 30 } }),
    );
    const c = parseCodexLine(
      s,
      ev({
        last_token_usage: { input_tokens: 5, cached_input_tokens: 9, output_tokens: 1 },
        total_token_usage: { input_tokens: 255, cached_input_tokens: 109, output_tokens: 31 },
      }),
    );
    expect(a).toMatchObject({
      input: 60,
      cacheRead: 40,
      output: 10,
      model: 'gpt-5.1-codex',
      cwd: '/w/sub',
      sessionId: 'sid',
    });
    expect(b).toMatchObject({ input: 90, cacheRead: 60, output: 20 });
    // Cached can never exceed input (ccusage caps it).
    expect(c).toMatchObject({ input: 0, cacheRead: 5, output: 1 });
    expect(parseCodexLine(s, ev(null))).toBeNull();
  });

  it('falls back to gpt-5 for a log that never names its model (as ccusage does)', () => {
    const s = newCodexState('/x/rollout-b.jsonl');
    const e = parseCodexLine(s, ev({ last_token_usage: { input_tokens: 5, output_tokens: 1 } }));
    expect(e).toMatchObject({ model: 'gpt-5', sessionId: 'rollout-b' });
  });
});

describe('prices', () => {
  const table = loadPrices();

  it('ships a snapshot with the Claude 4.x and gpt-5/codex families', () => {
    for (const m of [
      'claude-sonnet-4-5-20250929',
      'claude-opus-4-1-20250805',
      'claude-haiku-4-5-20251001',
      'gpt-5',
      'gpt-5-codex',
      'gpt-5.1-codex',
    ])
      expect(findPrice(table, m), m).not.toBeNull();
  });

  it('prices the part above 200k tokens at the higher tier, and fast mode at its multiplier', () => {
    const p = parsePriceTable({
      m: {
        input_cost_per_token: 1,
        input_cost_per_token_above_200k_tokens: 2,
        provider_specific_entry: { fast: 6 },
      },
    }).get('m')!;
    expect(claudeCost({ input: 250_000, output: 0, cacheCreation: 0, cacheRead: 0 }, p)).toBe(
      200_000 + 100_000,
    );
    expect(claudeCost({ input: 10, output: 0, cacheCreation: 0, cacheRead: 0 }, p, 'fast')).toBe(
      60,
    );
  });

  it('finds a model by prefix and by containment, as ccusage does; unknown → null', () => {
    const t = parsePriceTable({
      'anthropic/x-1': { input_cost_per_token: 1 },
      'claude-y-2': { input_cost_per_token: 2 },
      sample_spec: 'no',
    });
    expect(findPrice(t, 'x-1')?.input_cost_per_token).toBe(1);
    expect(findPrice(t, 'y-2')?.input_cost_per_token).toBe(2);
    expect(findPrice(t, 'zzz')).toBeNull();
    expect(t.has('sample_spec')).toBe(false);
  });
});

describe('5-hour windows (ccusage blocks)', () => {
  const e = (iso: string, cost = 1): PricedEntry => ({
    t: Date.parse(iso),
    model: 'm',
    input: 10,
    output: 1,
    cacheCreation: 0,
    cacheRead: 0,
    cost: null,
    speed: null,
    key: null,
    sessionId: 's',
    cwd: null,
    source: 'claude',
    costUsd: cost,
  });

  it('start at the hour of a call, end 5 hours later; a gap over 5 hours opens a new window', () => {
    const blocks = usageBlocks(
      [
        e('2026-12-01T09:40:00Z'),
        e('2026-12-01T13:59:00Z'),
        e('2026-12-01T14:01:00Z'),
        e('2026-12-01T20:00:00Z'),
      ],
      new Date('2026-12-01T21:00:00Z'),
    );
    expect(blocks.map((b) => [b.start.toISOString(), b.calls])).toEqual([
      ['2026-12-01T09:00:00.000Z', 2],
      ['2026-12-01T14:00:00.000Z', 1],
      ['2026-12-01T20:00:00.000Z', 1],
    ]);
    expect(blocks.map((b) => b.active)).toEqual([false, false, true]);
  });

  it('the current window sums the fleet’s calls in it; none when the last call is over 5 hours old', () => {
    const list = [e('2026-12-01T10:10:00Z', 2), e('2026-12-01T11:00:00Z', 3)];
    expect(currentBlock(list, new Date('2026-12-01T12:00:00Z'))).toMatchObject({
      costUsd: 5,
      calls: 2,
      inputTokens: 20,
    });
    expect(currentBlock(list, new Date('2026-12-01T16:30:00Z'))).toBeNull();
  });
});

describe('day ranges', () => {
  it('defaults to this month up to today, local days', () => {
    const r = dayRange({}, new Date(2026, 11, 17, 15));
    expect([r.since, r.until]).toEqual(['2026-12-01', '2026-12-17']);
    expect(r.toMs).toBe(new Date(2026, 11, 18).getTime());
  });
  it('rejects dates that do not exist and reversed ranges', () => {
    expect(() => dayRange({ since: '2026-02-30' })).toThrow(/--since "2026-02-30": not a date/);
    expect(() => dayRange({ until: '26-1-1' })).toThrow(/--until/);
    expect(() => dayRange({ since: '2026-12-02', until: '2026-12-01' })).toThrow(/after --until/);
  });
});
