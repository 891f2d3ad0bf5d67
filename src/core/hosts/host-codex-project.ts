import type { ResolvedHost } from '../../config/types.js';
import { FleetError } from '../errors.js';
import {
  CODEX_CONFIG_HEAD,
  withCodexHooks,
  type HookEntry,
} from '../sessions/status/codex-project.js';
import { HOST_HOOK_NAME, hostCodexHookCommand } from './agent-hooks.js';
import { readHostFiles, removeHostFile, writeHostFile, type HostFile } from './host-files.js';

/**
 * Codex's per-project files for an instance on an SSH host, written there with the rules of a
 * local start (status/codex-project.ts): `.codex/hooks.json` in the host clone's main checkout
 * (Codex reads hooks only from the repository's root), the role prompt as
 * `developer_instructions` in the worktree's `.codex/config.toml` (only a file fleet-tui wrote is
 * rewritten; otherwise on the command line). The hook is a shell one-liner (agent-hooks.ts) that
 * appends to the instance's event file on the host, read back by the host's event watcher.
 * Tracked files are never written; written ones are excluded from `git status`.
 * One round trip to read, one per file written (none when nothing changed).
 */
const HOOKS = '.codex/hooks.json';
const CONFIG = '.codex/config.toml';

/** Entries fleet-tui wrote here, or by a local install (`$FLEET_TUI_HOOK`). */
const ours = (e: HookEntry) =>
  (e.hooks ?? []).some(
    (h) =>
      typeof h.command === 'string' &&
      (h.command.includes(HOST_HOOK_NAME) || h.command.includes('$FLEET_TUI_HOOK')),
  );

function parseHooks(file: HostFile, where: string): Record<string, unknown> {
  if (file.kind !== 'file' || file.text.trim() === '') return {};
  try {
    const v: unknown = JSON.parse(file.text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('not an object');
    return v as Record<string, unknown>;
  } catch (e) {
    throw new FleetError(
      `${where}: not valid JSON (${(e as Error).message}) — fix or remove it so fleet-tui can add its status hooks`,
    );
  }
}

/** Write the files for a start; returns extra Codex arguments and notes for the log. */
export async function installHostCodexProject(
  host: ResolvedHost,
  worktree: string,
  instructions: string | null,
): Promise<{ args: string[]; notes: string[] }> {
  const notes: string[] = [];
  const args: string[] = [];
  const repo = host.repo.replace(/\/+$/, '');
  const hookDirs = worktree.startsWith(`${repo}/`) ? [repo] : [repo, worktree];
  const files = await readHostFiles(host, [
    ...hookDirs.map((dir) => ({ dir, rel: HOOKS })),
    { dir: worktree, rel: CONFIG },
  ]);
  for (const [i, dir] of hookDirs.entries()) {
    const file = files[i]!;
    const where = `${HOOKS} in ${dir} on host "${host.name}"`;
    if (file.kind === 'tracked') {
      notes.push(
        `${where} is tracked by git — status hooks skipped (status comes from the screen)`,
      );
      continue;
    }
    const next = `${JSON.stringify(withCodexHooks(parseHooks(file, where), ours, hostCodexHookCommand), null, 2)}\n`;
    // Unchanged (every start of every instance writes the same): not rewritten.
    if (file.kind === 'file' && file.text === next) continue;
    await writeHostFile(host, dir, HOOKS, next, {
      pattern: '/.codex/hooks.json',
      why: 'Codex status hooks',
    });
  }
  const config = files[hookDirs.length]!;
  const mine =
    config.kind === 'missing' ||
    (config.kind === 'file' && config.text.startsWith(CODEX_CONFIG_HEAD));
  if (instructions === null) {
    // The person's template places the prompt: instructions of an earlier start must not stay.
    if (config.kind === 'file' && mine) await removeHostFile(host, worktree, CONFIG);
  } else if (!mine) {
    // A TOML basic string: JSON's escapes are TOML's.
    args.push('-c', `developer_instructions=${JSON.stringify(instructions)}`);
  } else {
    await writeHostFile(
      host,
      worktree,
      CONFIG,
      `${CODEX_CONFIG_HEAD} the role prompt, rewritten at each start (edit the role in the fleet config)\ndeveloper_instructions = ${JSON.stringify(instructions)}\n`,
      { pattern: '/.codex/config.toml', why: "the instance's role for Codex" },
    );
  }
  return { args, notes };
}
