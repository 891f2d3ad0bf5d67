import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { appendEvent } from '../core/sessions/status/event-file.js';
import { hookEventFromPayload } from '../core/sessions/status/hook-events.js';

/**
 * The simulated agent fires hooks the way the real agents do: Claude Code runs the commands
 * configured in `.claude/settings.local.json` with the payload on stdin; Codex runs its `notify`
 * program with the payload as the last argument. Other kinds append to $FLEET_TUI_EVENT_FILE.
 */
export class SimHooks {
  constructor(
    private readonly kind: 'claude' | 'codex' | 'plain',
    private readonly cwd: string,
    private readonly notify: string[] | null,
    private readonly sessionId: string,
    /** Called once, when the conversation file first exists. */
    private onConversation?: () => void,
  ) {}

  /** Like the real agents, the conversation file exists from the first prompt on (fleet-tui
   * resumes only a session that has one); kept outside the worktree. */
  private get transcript(): string {
    return path.join(os.tmpdir(), 'fleet-tui-sim-transcripts', `${this.sessionId}.jsonl`);
  }

  private writeTranscript(event: string): void {
    if (event === 'SessionStart') return;
    try {
      mkdirSync(path.dirname(this.transcript), { recursive: true });
      appendFileSync(this.transcript, `${JSON.stringify({ event })}\n`);
      this.onConversation?.();
      this.onConversation = undefined;
    } catch {
      // A missing transcript only means no resume.
    }
  }

  async fire(event: string, extra: Record<string, unknown> = {}): Promise<void> {
    this.writeTranscript(event);
    if (this.kind === 'claude') return this.claude(event, extra);
    if (this.kind === 'codex') {
      if (event !== 'Stop') return;
      const payload = {
        type: 'agent-turn-complete',
        'thread-id': this.sessionId,
        'turn-id': `turn-${Date.now()}`,
        cwd: this.cwd,
        'input-messages': [],
        'last-assistant-message': typeof extra.message === 'string' ? extra.message : 'done',
        // Not in Codex's payload (the hook finds its rollout file); the simulation names its own.
        transcript_path: this.transcript,
      };
      if (this.notify?.[0]) {
        await execa(this.notify[0], [...this.notify.slice(1), JSON.stringify(payload)], {
          reject: false,
          timeout: 10_000,
        });
      }
      return;
    }
    const file = process.env.FLEET_TUI_EVENT_FILE;
    const ev = hookEventFromPayload(
      { hook_event_name: event, session_id: this.sessionId, ...extra },
      event,
    );
    if (file && ev) appendEvent(file, ev);
  }

  private async claude(event: string, extra: Record<string, unknown>): Promise<void> {
    let settings: { hooks?: Record<string, Array<{ hooks?: Array<{ command?: string }> }>> };
    try {
      settings = JSON.parse(
        readFileSync(path.join(this.cwd, '.claude', 'settings.local.json'), 'utf8'),
      ) as typeof settings;
    } catch {
      return;
    }
    const payload = JSON.stringify({
      session_id: this.sessionId,
      transcript_path: this.transcript,
      cwd: this.cwd,
      hook_event_name: event,
      ...extra,
    });
    const commands = (settings.hooks?.[event] ?? [])
      .flatMap((e) => (e.hooks ?? []).map((h) => h.command))
      .filter((c): c is string => !!c);
    // Like Claude Code: hooks run to completion before the agent goes on.
    await Promise.all(
      commands.map((c) =>
        execa(c, { shell: true, input: payload, cwd: this.cwd, reject: false, timeout: 10_000 }),
      ),
    );
  }
}
