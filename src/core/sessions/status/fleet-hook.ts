// The program agent hooks run (Claude Code hook commands, Codex `notify`): record one event in
// the instance's event file and exit 0, fast. It imports nothing heavy on purpose — a hook runs
// on every tool call, and loading the whole CLI costs seconds on a busy machine.
import { parseArgs } from 'node:util';
import { appendEvent } from './append.js';
import { findCodexRollout } from './conversation.js';
import { hookEventFromPayload } from './hook-events.js';

async function readStdin(timeoutMs: number): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  return new Promise((resolve) => {
    const done = () => resolve(Buffer.concat(chunks).toString('utf8'));
    setTimeout(done, timeoutMs).unref();
    process.stdin.on('data', (c: Buffer) => chunks.push(c));
    process.stdin.on('end', done);
    process.stdin.on('error', done);
  });
}

/** Record a hook: payload from the argument (Codex) or stdin (Claude). Never throws. */
export async function recordHook(
  file: string,
  event: string | null,
  payloadArg: string | undefined,
  instance: string | null = null,
): Promise<void> {
  try {
    const text = payloadArg ?? (await readStdin(2000));
    let payload: unknown = {};
    try {
      payload = text.trim() ? JSON.parse(text) : {};
    } catch {
      payload = {};
    }
    const ev = hookEventFromPayload(payload, event);
    if (!ev) return;
    // Codex's notify names a thread, not its file: look it up here, in the agent's environment
    // (its CODEX_HOME), so fleet-tui can tell a resumable conversation from a title thread.
    if (ev.sessionId && ev.transcriptPath === undefined && ev.event === 'agent-turn-complete')
      ev.transcriptPath = findCodexRollout(ev.sessionId);
    // Whose session: the launcher marks the managed agent (FLEET_TUI_INSTANCE); the same hook
    // run by any other agent in the worktree (a `claude` started by hand) is only observed.
    if (instance) {
      if (process.env.FLEET_TUI_INSTANCE === instance) ev.instance = instance;
      else ev.observed = true;
    }
    appendEvent(file, ev);
  } catch {
    // A status hook must never break the agent that runs it.
  }
}

async function main(): Promise<void> {
  try {
    const { values, positionals } = parseArgs({
      options: {
        file: { type: 'string' },
        event: { type: 'string' },
        instance: { type: 'string' },
      },
      allowPositionals: true,
      strict: false,
    });
    if (typeof values.file === 'string') {
      await recordHook(
        values.file,
        typeof values.event === 'string' ? values.event : null,
        positionals[0],
        typeof values.instance === 'string' ? values.instance : null,
      );
    }
  } finally {
    process.exitCode = 0;
  }
}

if (process.argv[1]?.endsWith('fleet-hook.js')) void main();
