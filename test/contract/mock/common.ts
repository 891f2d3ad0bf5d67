// Shared pieces of the mock model server: request parsing, SSE writing, reply scripting.
import type http from 'node:http';

export interface MockOptions {
  /** Delay the answers to auxiliary requests (Codex's title thread): makes the order of the
   * two notifies of a first turn deterministic — the title's last, as seen in real use. */
  auxDelayMs?: number;
}

export type Json = Record<string, unknown>;
export const isObj = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The person's words in a message content: its last text part that is not context the CLI
 * injects itself (`<system-reminder>`, `<environment_context>`, AGENTS.md … all start with '<'
 * or '#'). */
export function textOf(content: unknown): string {
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
export interface Turn {
  prompt: string;
  /** The last item is a tool result: the tool ran, now the model should answer in text. */
  afterTool: boolean;
}

export function sse(res: http.ServerResponse, events: Array<[string, Json]>, delayMs = 0): void {
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

export function replyText(prompt: string): string {
  const words = prompt
    .replace(/\[\[[^\]]*\]\]/g, '')
    .trim()
    .split(/\s+/)
    .slice(0, 6)
    .join(' ');
  return `mock reply: ${words || 'hello'}`;
}

export const marker = (prompt: string, name: string): string | null => {
  const m = new RegExp(`\\[\\[${name}(?::([^\\]]*))?\\]\\]`).exec(prompt);
  return m ? (m[1] ?? '') : null;
};

let seq = 0;
export const nextId = (prefix: string) =>
  `${prefix}_mock${Date.now().toString(36)}${(seq++).toString(36)}`;
