// OpenAI Responses API (Codex with a `wire_api = "responses"` provider), streamed as SSE.
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

function responsesTurn(body: Json): Turn {
  const input = Array.isArray(body.input) ? (body.input as Json[]) : [];
  const last = input[input.length - 1];
  const afterTool =
    last?.type === 'function_call_output' || last?.type === 'custom_tool_call_output';
  for (let i = input.length - 1; i >= 0 && !afterTool; i--) {
    const it = input[i]!;
    if (it.role !== 'user') continue;
    const t = textOf(it.content);
    if (t) return { prompt: t, afterTool };
  }
  return { prompt: '', afterTool };
}

function codexShellCall(tools: Json[], command: string): { name: string; args: Json } {
  const names = tools.map((t) => (typeof t.name === 'string' ? t.name : ''));
  if (names.includes('shell_command')) return { name: 'shell_command', args: { command } };
  // `require_escalated` asks to leave the sandbox: Codex must ask the person first.
  if (names.includes('exec_command'))
    return {
      name: 'exec_command',
      args: {
        cmd: command,
        sandbox_permissions: 'require_escalated',
        justification: 'Run the mock command?',
      },
    };
  return { name: 'shell', args: { command: ['bash', '-lc', command] } };
}

export function responsesReply(
  body: Json,
  res: http.ServerResponse,
  opts: MockOptions,
): { reply: string; prompt: string } {
  const { prompt, afterTool } = responsesTurn(body);
  const tools = Array.isArray(body.tools) ? (body.tools as Json[]) : [];
  const id = nextId('resp');
  const created: [string, Json] = [
    'response.created',
    { type: 'response.created', response: { id } },
  ];
  const completed: [string, Json] = [
    'response.completed',
    {
      type: 'response.completed',
      response: {
        id,
        usage: {
          input_tokens: 12,
          input_tokens_details: null,
          output_tokens: 7,
          output_tokens_details: null,
          total_tokens: 19,
        },
      },
    },
  ];
  const message = (t: string): [string, Json] => [
    'response.output_item.done',
    {
      type: 'response.output_item.done',
      item: {
        type: 'message',
        role: 'assistant',
        id: nextId('msg'),
        content: [{ type: 'output_text', text: t }],
      },
    },
  ];
  if (tools.length === 0) {
    sse(res, [created, message('Mock title'), completed], opts.auxDelayMs ?? 0);
    return { reply: 'aux', prompt };
  }
  if (marker(prompt, 'error') !== null && !afterTool) {
    // A 400 is final for Codex (a 5xx or response.failed is retried five times first).
    res.writeHead(400, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: { type: 'invalid_request_error', code: 'mock_error', message: 'mock server error' },
      }),
    );
    return { reply: 'error', prompt };
  }
  const bash = marker(prompt, 'bash');
  if (bash !== null && !afterTool) {
    const call = codexShellCall(tools, bash || 'echo hi');
    sse(res, [
      created,
      [
        'response.output_item.done',
        {
          type: 'response.output_item.done',
          item: {
            type: 'function_call',
            id: nextId('fc'),
            call_id: nextId('call'),
            name: call.name,
            arguments: JSON.stringify(call.args),
          },
        },
      ],
      completed,
    ]);
    return { reply: 'tool', prompt };
  }
  sse(
    res,
    [created, message(afterTool ? 'mock reply: the command ran' : replyText(prompt)), completed],
    Number(marker(prompt, 'slow') ?? 0),
  );
  return { reply: 'text', prompt };
}
