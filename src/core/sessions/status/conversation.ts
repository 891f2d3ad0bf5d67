import { existsSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HookEvent } from './hook-events.js';

// Kept free of heavy imports: the hook script loads it on every agent hook.

/**
 * Codex keeps a thread's conversation in
 * `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<local time>-<thread id>.jsonl` (codex 0.171.0); its
 * title thread has none. Newest days first: a notify is nearly always about a recent thread.
 */
export function findCodexRollout(
  threadId: string,
  codexHome = process.env.CODEX_HOME || path.join(os.homedir(), '.codex'),
): string | null {
  if (!/^[A-Za-z0-9-]+$/.test(threadId)) return null;
  const suffix = `-${threadId}.jsonl`;
  const sorted = (dir: string) => {
    try {
      return readdirSync(dir)
        .filter((n) => /^\d+$/.test(n))
        .sort()
        .reverse();
    } catch {
      return [];
    }
  };
  const root = path.join(codexHome, 'sessions');
  for (const y of sorted(root))
    for (const m of sorted(path.join(root, y)))
      for (const d of sorted(path.join(root, y, m))) {
        const dir = path.join(root, y, m, d);
        let names: string[] = [];
        try {
          names = readdirSync(dir);
        } catch {
          continue;
        }
        const hit = names.find((n) => n.startsWith('rollout-') && n.endsWith(suffix));
        if (hit) return path.join(dir, hit);
      }
  return null;
}

/** Whether the event names a session that has a conversation on disk (so it can be resumed):
 * Claude writes its transcript at the first prompt, not at SessionStart. */
function conversationOnDisk(ev: HookEvent): boolean {
  return !ev.aux && typeof ev.transcriptPath === 'string' && existsSync(ev.transcriptPath);
}

/** An agent hook of the managed agent (not fleet-tui's own line, an aux thread or an observed
 * agent) naming a session. */
function managedSession(ev: HookEvent): ev is HookEvent & { sessionId: string } {
  return !!ev.sessionId && !ev.event.startsWith('fleet:') && !ev.aux && !ev.observed;
}

/** Whether a hook's session can be resumed: its conversation is on disk. A hook that says
 * nothing about its file (the simulated `plain` agent) is taken at its word. */
export function resumableSession(ev: HookEvent): string | null {
  if (!managedSession(ev)) return null;
  if (ev.transcriptPath === undefined) return ev.sessionId;
  return conversationOnDisk(ev) ? ev.sessionId : null;
}

/**
 * The session to resume, or null with the reason to start fresh. The event file is read first
 * (hooks land there even when no fleet-tui process runs); the fleet state's id is used only when
 * no hook says its conversation is missing.
 */
export function pickResumeId(
  events: HookEvent[],
  saved: string | null,
): { id: string | null; why: string } {
  for (let i = events.length - 1; i >= 0; i--) {
    const id = resumableSession(events[i]!);
    if (id) return { id, why: `resuming session ${id}` };
  }
  if (saved) {
    const missing = events.some(
      (e) => managedSession(e) && e.sessionId === saved && e.transcriptPath !== undefined,
    );
    if (!missing) return { id: saved, why: `resuming session ${saved}` };
    return { id: null, why: `started fresh: session ${saved} has no conversation on disk` };
  }
  return { id: null, why: 'started fresh: no conversation to resume yet' };
}
