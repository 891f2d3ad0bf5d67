import type { AgentStatus } from '../types.js';
import { isObject, str } from '../parsers/types.js';

/**
 * One line of an instance's event file. Written by `fleet-tui hook-event` (called by Claude Code
 * hooks and Codex `notify`), by the simulated agent through the same hooks, and by fleet-tui
 * itself for lifecycle facts (so `fleet-tui status` in another process can read them).
 */
export interface HookEvent {
  /** ISO time. */
  t: string;
  /** Claude hook name (`Notification`, `Stop`, `UserPromptSubmit`, `SessionStart`, `PostToolUse`),
   * Codex `agent-turn-complete`, or fleet-tui's own `fleet:*` lifecycle events. */
  event: string;
  notificationType?: string | null;
  sessionId?: string | null;
  message?: string | null;
  /** fleet:* events: the full state that was entered. */
  status?: AgentStatus;
  exitCode?: number | null;
  costUsd?: number | null;
  tokens?: { input: number; output: number } | null;
  pid?: number | null;
  backend?: 'tmux' | 'exec';
  /** fleet:request: another process (the CLI) asks the process that owns the agent to act. */
  action?: 'stop' | 'restart' | 'send';
  text?: string;
  /** The agent's conversation file as the hook saw it (Claude's transcript_path; for Codex the
   * rollout file the hook found by thread id, or null when the thread has none). */
  transcriptPath?: string | null;
  /** An auxiliary thread (Codex's title generation): no status, never the session to resume. */
  aux?: boolean;
  /** The instance marker (FLEET_TUI_INSTANCE) the hook ran with: set by fleet-tui's launcher. */
  instance?: string;
  /** The hook ran without the marker: an agent someone started by hand in the worktree. */
  observed?: boolean;
}

/** Codex's title thread asks for a title with this first message (codex 0.171.0). */
const TITLE_PROMPT = /^Generate a concise, single-line task title/;

function isAuxThread(p: Record<string, unknown>): boolean {
  const input = p['input-messages'];
  return Array.isArray(input) && typeof input[0] === 'string' && TITLE_PROMPT.test(input[0]);
}

/** Normalise a hook payload (Claude stdin JSON or Codex notify argument) into an event line. */
export function hookEventFromPayload(
  payload: unknown,
  fallbackEvent: string | null,
  now = new Date(),
): HookEvent | null {
  const p = isObject(payload) ? payload : {};
  const event = str(p.hook_event_name) ?? str(p.type) ?? fallbackEvent;
  if (!event) return null;
  return {
    t: now.toISOString(),
    event,
    notificationType: str(p.notification_type),
    sessionId: str(p.session_id) ?? str(p['thread-id']),
    message: str(p.message) ?? str(p['last-assistant-message']),
    ...(str(p.transcript_path) ? { transcriptPath: str(p.transcript_path) } : {}),
    ...(isAuxThread(p) ? { aux: true } : {}),
  };
}

/** The status an agent hook means, or null when the hook carries no status (SessionStart). */
export function statusForHook(ev: HookEvent): AgentStatus | null {
  if (ev.aux || ev.observed) return null;
  switch (ev.event) {
    case 'UserPromptSubmit':
    case 'PreToolUse':
    case 'PostToolUse':
    case 'PostToolUseFailure':
      return 'working';
    case 'PermissionRequest':
      return 'waiting';
    // StopFailure: the turn ended on an API error; Interrupt: Codex's Esc.
    case 'Stop':
    case 'StopFailure':
    case 'Interrupt':
    case 'agent-turn-complete':
      return 'idle';
    case 'Notification':
      if (ev.notificationType === 'idle_prompt') return 'idle';
      // permission_prompt, elicitation dialogs and unknown notifications all need the person.
      return ev.notificationType === 'auth_success' ? null : 'waiting';
    default:
      return null;
  }
}

const WORKING_HOOKS = new Set([
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
]);

/** Hooks that report "working" exist for this agent: output activity no longer decides. */
export function isWorkingHook(ev: HookEvent): boolean {
  return WORKING_HOOKS.has(ev.event);
}

export function parseEventLine(line: string): HookEvent | null {
  if (!line.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(line);
    if (isObject(v) && typeof v.event === 'string' && typeof v.t === 'string')
      return v as unknown as HookEvent;
  } catch {
    // A half-written last line (another process appending): skip it.
  }
  return null;
}
