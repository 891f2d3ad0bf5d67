import type { LandReport } from '../land/types.js';
import type { FleetStore } from './store.js';
import type { SyncResult } from '../land/sync.js';
import type { FleetServices } from './types.js';
import { answerDialog, type DialogTimings } from '../sessions/screen/answer-dialog.js';
import { screenAgent } from '../sessions/status/screen-status.js';

/** Lines of a captured screen read to find a dialog (the pattern table reads the bottom ones). */
const SCREEN_LINES = 500;

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? 'unknown error';
}

function landSummary(r: LandReport): string {
  const count = (o: string) => r.instances.filter((i) => i.outcome === o).length;
  const commits = r.instances.reduce((n, i) => n + (i.outcome === 'landed' ? i.commits : 0), 0);
  const parts = [`landed ${count('landed')} (${commits} commits)`];
  for (const o of ['nothing', 'conflict', 'blocked', 'refused', 'error']) {
    if (count(o) > 0) parts.push(`${o} ${count(o)}`);
  }
  const moved =
    r.main.before === r.main.after
      ? 'main unchanged'
      : `main ${r.main.before.slice(0, 7)}→${r.main.after.slice(0, 7)}`;
  return `${parts.join(' · ')} · ${moved}`;
}

/**
 * What a key does, once resolved: call a core service, report through the store. Never throws
 * (a failure becomes a log line); returns when the operation is over.
 */
export class FleetActions {
  constructor(
    private services: FleetServices,
    private store: FleetStore,
    /** Ask for a git status refresh after an operation (all instances when no id). */
    private refresh: (id?: string) => void = () => undefined,
    /** Ask for a new reading of cost, the report and observed sessions. */
    private readonly insight: () => void = () => undefined,
    /** How long answering a dialog waits (tests shorten it). */
    private readonly dialogTimings?: DialogTimings,
  ) {}

  refreshInsight(): void {
    this.insight();
  }

  landRunning(): boolean {
    return this.store.getFacts().land?.running ?? false;
  }

  async land(id?: string): Promise<LandReport | null> {
    if (this.landRunning()) {
      this.store.log('warn', 'a land is already running — wait for it to finish');
      return null;
    }
    const ids = id ? [id] : this.store.ids();
    this.store.startLand(id ?? 'all');
    this.store.log('info', id ? `land ${id}: started` : 'push-all: started');
    for (const i of ids) this.store.setBusy(i, 'landing');
    try {
      const report = await this.services.land({
        ...(id ? { ids: [id] } : { all: true }),
        onProgress: (p) => this.store.landProgress(p),
        onNotice: (t) => this.store.log('warn', t),
      });
      this.store.finishLand(report, null);
      this.store.log(
        report.ok ? 'info' : 'warn',
        `${id ? `land ${id}` : 'push-all'}: ${landSummary(report)}`,
      );
      for (const r of report.instances) {
        if (r.outcome !== 'landed' && r.outcome !== 'nothing') {
          this.store.log(
            'warn',
            `${r.id}: ${r.outcome}${r.files.length ? ` (${r.files.join(', ')})` : ''} ${r.reason}`,
          );
        }
      }
      return report;
    } catch (e) {
      this.store.finishLand(null, message(e));
      this.store.log('error', `${id ? `land ${id}` : 'push-all'} failed: ${message(e)}`);
      return null;
    } finally {
      for (const i of ids) this.store.setBusy(i, null);
      this.refresh();
    }
  }

  async sync(id?: string): Promise<void> {
    const ids = id ? [id] : this.store.ids();
    for (const i of ids) this.store.setBusy(i, 'syncing');
    const report = (r: SyncResult) =>
      this.store.log('info', `sync ${r.id}: ${r.sync}${r.reason ? ` — ${r.reason}` : ''}`);
    try {
      if (id) report(await this.services.sync(id));
      else (await this.services.syncAll()).forEach(report);
    } catch (e) {
      this.store.log('error', `sync ${id ?? 'all'} failed: ${message(e)}`);
    } finally {
      for (const i of ids) this.store.setBusy(i, null);
      this.refresh(id);
    }
  }

  async setRole(id: string, role: string): Promise<boolean> {
    try {
      await this.services.setRole(id, role);
      this.store.setRole(id, role);
      this.store.log('info', `${id}: role is now ${role} (${this.store.instance(id).roleTitle})`);
      return true;
    } catch (e) {
      this.store.log('error', `${id}: role change failed: ${message(e)}`);
      return false;
    }
  }

  /** Restart the agent; with `withRolePrompt`, hand it the prompt of its current role. */
  async restart(id: string, withRolePrompt = false): Promise<void> {
    const session = this.services.session(id);
    if (!session) {
      this.store.log('warn', `${id}: no agent session to restart`);
      return;
    }
    const snap = this.store.instance(id);
    const prompt = this.store.roles()[snap.instance.role]?.prompt;
    try {
      await session.restart(withRolePrompt && prompt ? { rolePrompt: prompt } : undefined);
      this.store.log(
        'info',
        `${id}: agent restarted${withRolePrompt ? ` with the ${snap.instance.role} prompt` : ''}`,
      );
    } catch (e) {
      this.store.log('error', `${id}: restart failed: ${message(e)}`);
    }
  }

  async send(id: string, text: string): Promise<void> {
    const session = this.services.session(id);
    if (!session) {
      this.store.log('warn', `${id}: no agent session to send input to`);
      return;
    }
    try {
      await session.send(text);
      this.store.log('info', `${id}: sent "${text.length > 60 ? `${text.slice(0, 57)}…` : text}"`);
    } catch (e) {
      this.store.log('error', `${id}: send failed: ${message(e)}`);
    }
  }

  /**
   * Approve or deny the permission dialog on an agent's screen with that agent kind's own keys —
   * only when the screen table (screen/patterns.ts) says a permission dialog shows now; never on
   * a trust or login dialog, and never on the word of a status alone. The key goes only to a
   * dialog that holds still, and counts only once the dialog has left the screen (answer-dialog.ts:
   * Claude drops a key that comes too soon after its dialog is drawn).
   */
  async answerPermission(id: string, answer: 'approve' | 'deny'): Promise<boolean> {
    const session = this.services.session(id);
    const inst = this.services.config.instances.find((i) => i.id === id);
    const agent = inst ? screenAgent(this.services.config.agents[inst.agent]) : null;
    const press = session?.pressKeys?.bind(session);
    if (!session || !press || !agent) {
      this.store.log(
        'warn',
        `${id}: ${answer} works for claude and codex in tmux (their screen shows the dialog) — attach (a) to answer it`,
      );
      return false;
    }
    const read = async () => {
      const lines = session.screenNow ? await session.screenNow() : session.tail(SCREEN_LINES);
      return lines ? lines.join('\n') : null;
    };
    let out;
    try {
      out = await answerDialog(agent, answer, { read, press }, this.dialogTimings);
    } catch (e) {
      this.store.log('error', `${id}: ${answer} failed: ${message(e)}`);
      return false;
    }
    const done = answer === 'approve' ? 'approved' : 'denied';
    switch (out.kind) {
      case 'answered':
        this.store.log(
          'info',
          `${id}: ${done} (sent ${out.keys.join(' ')}${out.presses > 1 ? `, ${out.presses} times: the first was dropped` : ''})`,
        );
        return true;
      case 'no-dialog':
        this.store.log(
          'warn',
          `${id}: no permission dialog on its screen — nothing sent (a trust or login dialog is answered by attaching: a)`,
        );
        return false;
      case 'changed':
        this.store.log('warn', `${id}: its dialog changed or went away — nothing sent; look again`);
        return false;
      case 'unsteady':
        this.store.log('warn', `${id}: its dialog keeps changing — nothing sent; press again`);
        return false;
      case 'not-taken':
        this.store.log(
          'error',
          `${id}: the agent did not take ${out.keys.join(' ')} (pressed ${out.presses} times, the dialog stays) — attach (a) to answer it`,
        );
        return false;
    }
  }

  async createMigration(id: string, name: string): Promise<string | null> {
    try {
      const file = await this.services.createMigration(id, name);
      this.store.log('info', `${id}: created migration ${file}`);
      this.refresh(id);
      return file;
    } catch (e) {
      this.store.log('error', `${id}: migration not created: ${message(e)}`);
      return null;
    }
  }
}
