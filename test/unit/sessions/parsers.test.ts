import stripAnsi from 'strip-ansi';
import { describe, expect, it } from 'vitest';
import { AgentEventParser } from '../../../src/core/sessions/parsers/events.js';

function render(
  events: Array<object | string>,
  cwd: string | null = '/repo/wt',
): { lines: string[]; p: AgentEventParser } {
  const p = new AgentEventParser(cwd);
  const lines: string[] = [];
  for (const e of events)
    p.feed(typeof e === 'string' ? e : JSON.stringify(e), (l) => lines.push(stripAnsi(l)));
  return { lines, p };
}

const SID = '5f1c-claude-session';

describe('Claude stream-json', () => {
  const stream = [
    {
      type: 'system',
      subtype: 'init',
      session_id: SID,
      cwd: '/repo/wt',
      model: 'claude-sonnet-4-5',
      tools: ['Edit', 'Bash'],
    },
    {
      type: 'assistant',
      session_id: SID,
      message: {
        content: [{ type: 'text', text: 'Fixing the test.\nThen running it.' }],
        usage: { input_tokens: 5, output_tokens: 9 },
      },
    },
    {
      type: 'assistant',
      session_id: SID,
      message: {
        content: [
          {
            type: 'tool_use',
            id: 't1',
            name: 'Edit',
            input: { file_path: '/repo/wt/src/app.ts', old_string: 'a', new_string: 'b' },
          },
        ],
      },
    },
    {
      type: 'user',
      message: {
        content: [
          { type: 'tool_result', tool_use_id: 't1', content: 'The file has been updated.' },
        ],
      },
    },
    {
      type: 'assistant',
      session_id: SID,
      message: {
        content: [{ type: 'tool_use', id: 't2', name: 'Bash', input: { command: 'npm test' } }],
      },
    },
    {
      type: 'user',
      message: {
        content: [
          {
            type: 'tool_result',
            tool_use_id: 't2',
            content: [{ type: 'text', text: 'FAIL x\nmore' }],
            is_error: true,
          },
        ],
      },
    },
    {
      type: 'result',
      subtype: 'success',
      is_error: false,
      duration_ms: 12300,
      num_turns: 4,
      result: 'ok',
      session_id: SID,
      total_cost_usd: 0.0123,
      usage: {
        input_tokens: 100,
        output_tokens: 50,
        cache_creation_input_tokens: 10,
        cache_read_input_tokens: 1000,
      },
    },
  ];

  it('renders text, tool calls with relative paths, results and the final summary', () => {
    const { lines } = render(stream);
    expect(lines).toEqual([
      '● claude session 5f1c-claude-session · claude-sonnet-4-5',
      'Fixing the test.',
      'Then running it.',
      '⏺ Edit src/app.ts',
      '  ⎿ The file has been updated.',
      '⏺ Bash npm test',
      '  ⎿ FAIL x …',
      '✓ done · 12.3s · 4 turns · $0.0123',
    ]);
  });

  it('adds up cost and tokens over several runs and records the session id', () => {
    const { p } = render([...stream, stream[6]!]);
    expect(p.totals.costUsd).toBeCloseTo(0.0246, 6);
    expect(p.totals.inputTokens).toBe(2 * 1110);
    expect(p.totals.outputTokens).toBe(100);
    expect(p.totals.sessionId).toBe(SID);
    expect(p.changed).toBe(true);
  });

  it('shows errors from a failed run', () => {
    const { lines } = render([
      {
        type: 'result',
        subtype: 'error_max_turns',
        is_error: true,
        duration_ms: 1000,
        num_turns: 9,
        session_id: SID,
      },
    ]);
    expect(lines).toEqual(['✗ error_max_turns · 1.0s · 9 turns']);
  });

  it('ignores unknown event types once the stream is known to be agent events; keeps truncated lines', () => {
    const { lines } = render([
      stream[0]!,
      { type: 'rate_limit_event', x: 1 },
      '{"type":"assistant","message":{"cont',
      'plain text',
    ]);
    expect(lines).toEqual([lines[0], '{"type":"assistant","message":{"cont', 'plain text']);
  });

  it('passes JSON through untouched when it is not an agent stream', () => {
    expect(render(['{"type":"log","msg":"hi"}', '[1,2]', '{}']).lines).toEqual([
      '{"type":"log","msg":"hi"}',
      '[1,2]',
      '{}',
    ]);
  });
});

describe('Codex exec --json', () => {
  const stream = [
    { type: 'thread.started', thread_id: 'th_123' },
    { type: 'turn.started' },
    { type: 'item.completed', item: { id: 'i0', type: 'reasoning', text: 'Looking around\nmore' } },
    {
      type: 'item.started',
      item: {
        id: 'i1',
        type: 'command_execution',
        command: 'npm test',
        aggregated_output: '',
        exit_code: null,
        status: 'in_progress',
      },
    },
    {
      type: 'item.updated',
      item: {
        id: 'i1',
        type: 'command_execution',
        command: 'npm test',
        aggregated_output: 'partial',
        status: 'in_progress',
      },
    },
    {
      type: 'item.completed',
      item: {
        id: 'i1',
        type: 'command_execution',
        command: 'npm test',
        aggregated_output: 'boom\n',
        exit_code: 1,
        status: 'failed',
      },
    },
    {
      type: 'item.completed',
      item: {
        id: 'i2',
        type: 'file_change',
        changes: [
          { path: 'src/a.ts', kind: 'update' },
          { path: 'src/b.ts', kind: 'add' },
        ],
        status: 'completed',
      },
    },
    {
      type: 'item.started',
      item: {
        id: 'i3',
        type: 'mcp_tool_call',
        server: 'docs',
        tool: 'search',
        status: 'in_progress',
      },
    },
    { type: 'item.started', item: { id: 'i4', type: 'web_search', query: 'tmux control mode' } },
    { type: 'item.completed', item: { id: 'i5', type: 'agent_message', text: 'All done.' } },
    { type: 'item.completed', item: { id: 'i6', type: 'todo_list', items: [] } },
    {
      type: 'turn.completed',
      usage: { input_tokens: 1200, cached_input_tokens: 200, output_tokens: 300 },
    },
    { type: 'turn.failed', error: { message: 'stream disconnected' } },
    { type: 'error', message: 'reconnecting' },
  ];

  it('renders items, commands with their results, file changes and turn ends', () => {
    const { lines, p } = render(stream);
    expect(lines).toEqual([
      '● codex thread th_123',
      '✻ Looking around …',
      '⏺ Bash npm test',
      '  ⎿ exit 1: boom',
      '⏺ Edit src/a.ts',
      '⏺ Write src/b.ts',
      '⏺ docs.search',
      '⏺ WebSearch tmux control mode',
      'All done.',
      '✓ turn done · 1200 in · 300 out',
      '✗ turn failed: stream disconnected',
      '✗ reconnecting',
    ]);
    expect(p.totals).toEqual({
      costUsd: null,
      inputTokens: 1200,
      outputTokens: 300,
      sessionId: 'th_123',
    });
  });
});
