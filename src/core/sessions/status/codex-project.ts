import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { FleetError } from '../../errors.js';
import { excludeFromGit } from '../../git/exclude.js';
import { gitOut } from '../../git/run.js';
import { writeFileAtomic } from '../../state/atomic.js';

/**
 * Codex's per-project files in an instance's worktree (codex 0.171.0), written at each start:
 *
 * - `.codex/hooks.json`: status hooks (same shape as Claude's). Codex 0.171.0 reads hooks only
 *   from the repository's root, never from a linked worktree below it (its config.toml it does
 *   read there): so the file goes into the main checkout — one file for every instance, as the
 *   command is the same for all — and also into a worktree that lives outside it. Instead of `-c notify=…`, which
 *   replaced the person's own `notify` and made Codex warn on every start; the person's notify
 *   now runs untouched. Codex asks once per worktree to trust new hooks ("Hooks need review",
 *   read as `waiting`) and keeps the trust in the person's config.toml by a hash of each command.
 *   So the command is the same text for every instance and wherever fleet-tui is installed — it
 *   reads what varies from the environment the launcher sets — and the trust survives restarts,
 *   role changes and fleet-tui moving. Run by hand (no fleet-tui environment) it does nothing.
 *   We chose this over `--dangerously-bypass-hook-trust` (it would trust every hook of the
 *   repository, unasked, and warns on each start) and over writing trust hashes into the
 *   person's config.toml (Codex's private format).
 * - `.codex/config.toml`: the role prompt as `developer_instructions`, so a fresh start runs no
 *   turn. Only a file fleet-tui wrote is rewritten; when the person has their own (or git tracks
 *   it) the instructions go on the command line instead (`-c`).
 *
 * Tracked files are never written; both files are kept out of `git status` (info/exclude).
 */
const CODEX_HOOK_EVENTS = [
  'SessionStart',
  'UserPromptSubmit',
  'PreToolUse',
  'PermissionRequest',
  'PostToolUse',
  'Stop',
  'Interrupt',
] as const;
const HOOKS = path.join('.codex', 'hooks.json');
const CONFIG = path.join('.codex', 'config.toml');
export const CODEX_CONFIG_HEAD = '# fleet-tui:';
const CONFIG_HEAD = CODEX_CONFIG_HEAD;
const MARKER = '$FLEET_TUI_HOOK';

function codexHookCommand(event: string): string {
  return `[ -z "${MARKER}" ] || exec "$FLEET_TUI_NODE" "${MARKER}" --file "$FLEET_TUI_EVENT_FILE" --instance "$FLEET_TUI_INSTANCE" --event ${event}`;
}

export interface HookEntry {
  matcher?: string;
  hooks?: Array<{ type?: string; command?: string }>;
}
const ours = (e: HookEntry) =>
  (e.hooks ?? []).some((h) => typeof h.command === 'string' && h.command.includes(MARKER));

async function tracked(worktree: string, file: string): Promise<boolean> {
  const out = await gitOut(['ls-files', '--', file], { cwd: worktree, readOnly: true });
  return out.trim() !== '';
}

async function readJson(file: string): Promise<{ value: Record<string, unknown>; mode?: number }> {
  if (!existsSync(file)) return { value: {} };
  const mode = (await stat(file)).mode & 0o777;
  try {
    const parsed: unknown = JSON.parse((await readFile(file, 'utf8')) || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    return { value: parsed as Record<string, unknown>, mode };
  } catch (e) {
    throw new FleetError(
      `${file}: not valid JSON (${(e as Error).message}) — fix or remove it so fleet-tui can add its status hooks`,
    );
  }
}

async function writeKeepingMode(file: string, text: string, mode?: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFileAtomic(file, text);
  if (mode !== undefined) await chmod(file, mode);
}

/**
 * The hooks with fleet-tui's entries (those `mine` picks) removed, then `command(event)` added
 * for every Codex event (nothing added when null); the person's entries stay. Shared by local
 * and host installs, which differ only in the hook command and how they recognise theirs.
 */
export function withCodexHooks(
  settings: Record<string, unknown>,
  mine: (e: HookEntry) => boolean,
  command: ((event: string) => string) | null,
): Record<string, unknown> {
  const hooks = { ...((settings.hooks as Record<string, HookEntry[]> | undefined) ?? {}) };
  for (const [event, entries] of Object.entries(hooks)) {
    if (!Array.isArray(entries)) continue;
    const kept = entries.filter((e) => !mine(e));
    if (kept.length) hooks[event] = kept;
    else delete hooks[event];
  }
  for (const event of command ? CODEX_HOOK_EVENTS : []) {
    hooks[event] = [
      ...(hooks[event] ?? []),
      { matcher: '', hooks: [{ type: 'command', command: command!(event) }] },
    ];
  }
  const next: Record<string, unknown> = { ...settings, hooks };
  if (Object.keys(hooks).length === 0) delete next.hooks;
  return next;
}

/**
 * Write the worktree's Codex files for a start. `instructions`: the role prompt (null when the
 * person's own template places it). Returns extra Codex arguments (instructions that could not
 * go into the project config) and notes for the log.
 */
export async function installCodexProject(
  worktree: string,
  instructions: string | null,
  mainCheckout: string,
): Promise<{ args: string[]; notes: string[] }> {
  const notes: string[] = [];
  const args: string[] = [];
  const inside = path.resolve(worktree).startsWith(path.resolve(mainCheckout) + path.sep);
  for (const dir of inside ? [mainCheckout] : [mainCheckout, worktree]) {
    const hooksFile = path.join(dir, HOOKS);
    if (await tracked(dir, HOOKS)) {
      notes.push(
        `${hooksFile} is tracked by git — status hooks skipped (status comes from the screen)`,
      );
      continue;
    }
    const { value, mode } = await readJson(hooksFile);
    const next = `${JSON.stringify(withCodexHooks(value, ours, codexHookCommand), null, 2)}\n`;
    await excludeFromGit(dir, '/.codex/hooks.json', 'Codex status hooks');
    // Unchanged (every start of every instance writes the same): not rewritten.
    if (existsSync(hooksFile) && (await readFile(hooksFile, 'utf8')) === next) continue;
    await writeKeepingMode(hooksFile, next, mode);
  }
  const configFile = path.join(worktree, CONFIG);
  const existing = existsSync(configFile) ? await readFile(configFile, 'utf8') : null;
  const mine = existing === null || existing.startsWith(CONFIG_HEAD);
  if (instructions === null) {
    // The person's template places the prompt: instructions of an earlier start must not stay.
    if (existing !== null && existing.startsWith(CONFIG_HEAD))
      await rm(configFile, { force: true });
  } else if (!mine || (await tracked(worktree, CONFIG))) {
    // A TOML basic string: JSON's escapes are TOML's.
    args.push('-c', `developer_instructions=${JSON.stringify(instructions)}`);
  } else {
    await excludeFromGit(worktree, '/.codex/config.toml', "the instance's role for Codex");
    await writeKeepingMode(
      configFile,
      `${CONFIG_HEAD} the role prompt, rewritten at each start (edit the role in the fleet config)\ndeveloper_instructions = ${JSON.stringify(instructions)}\n`,
    );
  }
  return { args, notes };
}

/** Remove fleet-tui's Codex hooks and instructions from a worktree or the main checkout
 * (`hooks uninstall`). */
export async function uninstallCodexProject(worktree: string): Promise<boolean> {
  let changed = false;
  const configFile = path.join(worktree, CONFIG);
  if (existsSync(configFile) && (await readFile(configFile, 'utf8')).startsWith(CONFIG_HEAD)) {
    await rm(configFile, { force: true });
    changed = true;
  }
  const hooksFile = path.join(worktree, HOOKS);
  if (!existsSync(hooksFile)) return changed;
  const { value, mode } = await readJson(hooksFile).catch(() => ({ value: null, mode: undefined }));
  if (!value) return changed;
  const next = withCodexHooks(value, ours, null);
  if (JSON.stringify(next) === JSON.stringify(value)) return changed;
  if (Object.keys(next).length === 0) await rm(hooksFile, { force: true });
  else await writeKeepingMode(hooksFile, `${JSON.stringify(next, null, 2)}\n`, mode);
  return true;
}
