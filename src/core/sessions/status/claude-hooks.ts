import { existsSync } from 'node:fs';
import { chmod, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { FleetError } from '../../errors.js';
import { excludeFromGit } from '../../git/exclude.js';
import { gitOut } from '../../git/run.js';
import { writeFileAtomic } from '../../state/atomic.js';
import { hookArgv, shellQuote } from '../launch.js';

/** The Claude Code hooks fleet-tui installs; each appends a line to the instance's event file. */
export const CLAUDE_HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PostToolUse',
  'PostToolUseFailure',
  'PermissionRequest',
  'Notification',
  'Stop',
  'StopFailure',
  'SessionEnd',
] as const;
const MARKER = 'fleet-hook.js --file ';
const SETTINGS = path.join('.claude', 'settings.local.json');

interface HookEntry {
  matcher?: string;
  hooks?: Array<{ type?: string; command?: string }>;
}

function ours(entry: HookEntry): boolean {
  return (entry.hooks ?? []).some(
    (h) => typeof h.command === 'string' && h.command.includes(MARKER),
  );
}

/** Merge fleet-tui's hook entries into existing settings; entries of earlier runs are replaced. */
export function mergeHooks(
  settings: Record<string, unknown>,
  eventFile: string,
  instance?: string,
): Record<string, unknown> {
  const hooks = { ...((settings.hooks as Record<string, HookEntry[]> | undefined) ?? {}) };
  for (const event of CLAUDE_HOOK_EVENTS) {
    const command = hookArgv(eventFile, event, instance).map(shellQuote).join(' ');
    const kept = (Array.isArray(hooks[event]) ? hooks[event] : []).filter((e) => !ours(e));
    hooks[event] = [...kept, { matcher: '', hooks: [{ type: 'command', command }] }];
  }
  return { ...settings, hooks };
}

/** Whether git tracks the settings file in this worktree (then fleet-tui never writes it). */
async function tracked(worktree: string): Promise<boolean> {
  const out = await gitOut(['ls-files', '--', SETTINGS], { cwd: worktree, readOnly: true });
  return out.trim() !== '';
}

/** Remove fleet-tui's hook entries from the worktree's settings (`hooks uninstall`); the rest
 * and the file's mode stay. Returns whether the file changed. */
export async function uninstallClaudeHooks(worktree: string): Promise<boolean> {
  const file = path.join(worktree, SETTINGS);
  if (!existsSync(file)) return false;
  let settings: Record<string, unknown>;
  try {
    settings = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch {
    return false;
  }
  const hooks = settings.hooks as Record<string, HookEntry[]> | undefined;
  if (!hooks || typeof hooks !== 'object') return false;
  let changed = false;
  const kept: Record<string, HookEntry[]> = {};
  for (const [event, entries] of Object.entries(hooks)) {
    const left = Array.isArray(entries) ? entries.filter((e) => !ours(e)) : entries;
    if (Array.isArray(entries) && left.length !== entries.length) changed = true;
    if (!Array.isArray(left) || left.length > 0) kept[event] = left;
  }
  if (!changed) return false;
  const mode = (await stat(file)).mode & 0o777;
  const next: Record<string, unknown> = { ...settings, hooks: kept };
  if (Object.keys(kept).length === 0) delete next.hooks;
  await writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`);
  await chmod(file, mode);
  return true;
}

/**
 * Install the hooks in the worktree's `.claude/settings.local.json`, merging with its content.
 * A settings file git tracks is never written (the worktree would turn dirty and the hooks
 * would land in a commit): returns why the hooks were skipped, else null.
 */
export async function installClaudeHooks(
  worktree: string,
  eventFile: string,
  instance?: string,
): Promise<string | null> {
  const file = path.join(worktree, SETTINGS);
  if (await tracked(worktree))
    return `${SETTINGS} is tracked by git — status hooks skipped (status comes from the screen)`;
  let settings: Record<string, unknown> = {};
  let mode: number | undefined;
  if (existsSync(file)) {
    // The person's mode (often 0600) is kept.
    mode = (await stat(file)).mode & 0o777;
    const text = await readFile(file, 'utf8');
    try {
      const parsed: unknown = JSON.parse(text || '{}');
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
        throw new Error('not an object');
      settings = parsed as Record<string, unknown>;
    } catch (e) {
      throw new FleetError(
        `${file}: not valid JSON (${(e as Error).message}) — fix or remove it so fleet-tui can add its status hooks`,
      );
    }
  }
  await excludeFromGit(worktree, '/.claude/settings.local.json', 'agent hook settings');
  const next = `${JSON.stringify(mergeHooks(settings, eventFile, instance), null, 2)}\n`;
  await writeFileAtomic(file, next);
  if (mode !== undefined) await chmod(file, mode);
  return null;
}
