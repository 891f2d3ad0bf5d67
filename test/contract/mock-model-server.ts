// A local model server the real `claude` and `codex` CLIs talk to in the contract tests
// (127.0.0.1 only). It speaks just enough of two wire formats:
//   - Anthropic Messages: POST /v1/messages, streamed as SSE (message_start, content_block_*,
//     message_delta, message_stop);
//   - OpenAI Responses: POST /v1/responses, streamed as SSE (response.created,
//     response.output_item.*, response.completed) — Codex with a `wire_api = "responses"` provider.
// Replies are scripted by a marker in the person's latest prompt, so auxiliary requests the CLIs
// make on their own (titles, topic checks) never eat a scripted reply:
//   [[bash:<command>]]  → a Bash / shell tool call (needs permission), then text once it ran;
//   [[error]]           → Claude: 529 with `x-should-retry: false`; Codex: 500 + response.failed;
//   [[slow:<ms>]]       → the text reply starts after <ms> (to see the "working" screen);
//   anything else       → a short text reply: `mock reply: <first words of the prompt>`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MockRequest {
  api: 'anthropic' | 'responses' | 'other';
  method: string;
  path: string;
  /** The latest user text the reply was chosen from ('' for non-model requests). */
  prompt: string;
  /** What the mock answered: 'text' | 'tool' | 'error' | 'aux' | 'other'. */
  reply: string;
  body: unknown;
}

export interface MockModelServer {
  url: string;
  port: number;
  requests: MockRequest[];
  close(): Promise<void>;
}

type Json = Record<string, unknown>;
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The person's words in a message content: its last text part that is not context the CLI
 * injects itself (`<system-reminder>`, `<environment_context>`, AGENTS.md … all start with '<'
 * or '#'). */
function textOf(content: unknown): string {
  const parts =
    typeof content === 'string'
      ? [content]
      : Array.isArray(content)
        ? content.map((c) => (isObj(c) && typeof c.text === 'string' ? c.text : ''))
        : [];
  const own = parts.filter((t) => t.trim() && !/^\s*[<#]/.test(t));
  return own[own.length - 1] ?? '';
}

/** The last message of a conversation, reduced to who sent it and what it said. */
interface Turn {
  prompt: string;
  /** The last item is a tool result: the tool ran, now the model should answer in text. */
  afterTool: boolean;
}

function anthropicTurn(body: Json): Turn {
  const msgs = Array.isArray(body.messages) ? (body.messages as Json[]) : [];
  const users = msgs.filter((m) => m.role === 'user');
  const last = users[users.length - 1];
  // A rejected tool call and the next prompt arrive merged in one user message: the person's
  // text decides; a message holding only tool results means "the tool ran, now answer".
  const prompt = last ? textOf(last.content) : '';
  return { prompt, afterTool: !prompt && msgs[msgs.length - 1] === last };
}

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

function sse(res: http.ServerResponse, events: Array<[string, Json]>, delayMs = 0): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const send = () => {
    for (const [event, data] of events)
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    res.end();
  };
  if (delayMs > 0) setTimeout(send, delayMs);
  else send();
}

function replyText(prompt: string): string {
  const words = prompt
    .replace(/\[\[[^\]]*\]\]/g, '')
    .trim()
    .split(/\s+/)
    .slice(0, 6)
    .join(' ');
  return `mock reply: ${words || 'hello'}`;
}

const marker = (prompt: string, name: string): string | null => {
  const m = new RegExp(`\\[\\[${name}(?::([^\\]]*))?\\]\\]`).exec(prompt);
  return m ? (m[1] ?? '') : null;
};

let seq = 0;
const nextId = (prefix: string) =>
  `${prefix}_mock${Date.now().toString(36)}${(seq++).toString(36)}`;

function anthropicReply(
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

function responsesReply(
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

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : {};
  } catch {
    return {};
  }
}

/** Start the mock on an ephemeral port of 127.0.0.1. */
export interface MockOptions {
  /** Delay the answers to auxiliary requests (Codex's title thread): makes the order of the
   * two notifies of a first turn deterministic — the title's last, as seen in real use. */
  auxDelayMs?: number;
}

export async function startMockModelServer(opts: MockOptions = {}): Promise<MockModelServer> {
  const requests: MockRequest[] = [];
  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const p = (req.url ?? '/').split('?')[0]!;
      const b = isObj(body) ? body : {};
      let out: { reply: string; prompt: string };
      let api: MockRequest['api'] = 'other';
      if (req.method === 'POST' && p.endsWith('/v1/messages')) {
        api = 'anthropic';
        out = anthropicReply(b, res, opts);
      } else if (req.method === 'POST' && p.endsWith('/responses')) {
        api = 'responses';
        out = responsesReply(b, res, opts);
      } else if (p.endsWith('/models')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ object: 'list', data: [], models: [] }));
        out = { reply: 'other', prompt: '' };
      } else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: `mock: no route ${req.method} ${p}` } }));
        out = { reply: 'other', prompt: '' };
      }
      requests.push({ api, method: req.method ?? '', path: p, ...out, body });
    })();
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
