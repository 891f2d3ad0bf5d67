// Anthropic Messages API (Claude Code): POST /v1/messages, streamed as SSE.
import type http from 'node:http';
import {
  marker,
  nextId,
  replyText,
  sse,
  textOf,
  type Json,
  type MockOptions,
  type Turn,
} from './common.js';

function anthropicTurn(body: Json): Turn {
  const msgs = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  const users = msgs.filter((m) => m.role === 'user');
  const last = users[users.length - 1];
  // A rejected tool call and the next prompt arrive merged in one user message: the person's
  // text decides; a message holding only tool results means "the tool ran, now answer".
  const prompt = last ? textOf(last.content) : '';
  return { prompt, afterTool: !prompt && msgs[msgs.length - 1] === last };
}

export function anthropicReply(
  body: Json,
  res: http.ServerResponse,
  opts: MockOptions,
): { reply: string; prompt: string } {
  const { prompt, afterTool } = anthropicTurn(body);
  const model = typeof body.model === 'string' ? body.model : 'claude-mock';
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const hasBash = tools.some((t) => t.name === 'Bash');
  const usage = {
    input_tokens: 12,
    output_tokens: 1,
    cache_read_input_tokens: 0,
    cache_creation_input_tokens: 0,
  };
  const start: [string, Json] = [
    'message_start',
    {
      type: 'message_start',
      message: {
        id: nextId('msg'),
        type: 'message',
        role: 'assistant',
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage,
      },
    },
  ];
  const end = (stop: string): Array<[string, Json]> => [
    [
      'message_delta',
      {
        type: 'message_delta',
        delta: { stop_reason: stop, stop_sequence: null },
        usage: { output_tokens: 7 },
      },
    ],
    ['message_stop', { type: 'message_stop' }],
  ];
  const text = (t: string, delay = 0) =>
    sse(
      res,
      [
        start,
        [
          'content_block_start',
          { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        ],
        [
          'content_block_delta',
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } },
        ],
        ['content_block_stop', { type: 'content_block_stop', index: 0 }],
        ...end('end_turn'),
      ],
      delay,
    );
  // Auxiliary requests (no tools: titles, topic checks) get plain text and never a scripted reply.
  if (!hasBash) {
    text('Mock title', opts.auxDelayMs ?? 0);
    return { reply: 'aux', prompt };
  }
  if (marker(prompt, 'error') !== null && !afterTool) {
    res.writeHead(529, { 'content-type': 'application/json', 'x-should-retry': 'false' });
    res.end(
      JSON.stringify({
        type: 'error',
        error: { type: 'overloaded_error', message: 'Overloaded (mock)' },
      }),
    );
    return { reply: 'error', prompt };
  }
  const bash = marker(prompt, 'bash');
  if (bash !== null && !afterTool) {
    const input = JSON.stringify({
      command: bash || 'echo hi',
      description: 'Run the mock command',
    });
    sse(res, [
      start,
      [
        'content_block_start',
        {
          type: 'content_block_start',
          index: 0,
          content_block: { type: 'tool_use', id: nextId('toolu'), name: 'Bash', input: {} },
        },
      ],
      [
        'content_block_delta',
        {
          type: 'content_block_delta',
          index: 0,
          delta: { type: 'input_json_delta', partial_json: input },
        },
      ],
      ['content_block_stop', { type: 'content_block_stop', index: 0 }],
      ...end('tool_use'),
    ]);
    return { reply: 'tool', prompt };
  }
  text(
    afterTool ? 'mock reply: the command ran' : replyText(prompt),
    Number(marker(prompt, 'slow') ?? 0),
  );
  return { reply: 'text', prompt };
}

/** The name and argument shape of Codex's shell tool in the request (it changes across versions). */
