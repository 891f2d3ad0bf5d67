// A local model server the real `claude` and `codex` CLIs talk to in the contract tests
// (127.0.0.1 only). It speaks just enough of two wire formats:
//   - Anthropic Messages: POST /v1/messages, streamed as SSE (message_start, content_block_*,
//     message_delta, message_stop);
//   - OpenAI Responses: POST /v1/responses, streamed as SSE (response.created,
//     response.output_item.*, response.completed) — Codex with a `wire_api = "responses"` provider.
// Replies are scripted by a marker in the person's latest prompt, so auxiliary requests the CLIs
// make on their own (titles, topic checks) never eat a scripted reply:
//   [[bash:<command>]]  → a Bash / shell tool call (needs permission), then text once it ran;
//   [[error]]           → Claude: 529 with `x-should-retry: false` (else it retries for minutes);
//                         Codex: 400 (a 5xx is retried five times first);
//   [[slow:<ms>]]       → the text reply starts after <ms> (to see the "working" screen);
//   anything else       → a short text reply: `mock reply: <first words of the prompt>`.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { anthropicReply } from './mock/anthropic.js';
import { isObj, type MockOptions } from './mock/common.js';
import { responsesReply } from './mock/responses.js';

export type { MockOptions } from './mock/common.js';

interface MockRequest {
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
