import type { ResolvedConfig } from '../../config/types.js';
import { CODEX_CONFIG_HEAD } from '../sessions/status/codex-project.js';
import { HOST_HOOK_NAME } from './agent-hooks.js';
import { hostGroups, type HostGroup } from './fleet.js';
import { readHostFiles, removeHostFile, writeHostFile, type HostFile } from './host-files.js';
import { HostError } from './ssh.js';

/**
 * `hooks uninstall` on SSH hosts: fleet-tui's entries leave each host worktree's
 * `.claude/settings.local.json`, the host clone's `.codex/hooks.json` (and a worktree's own,
 * when it lives outside the clone), and the role config fleet-tui wrote (`.codex/config.toml`
 * starting with its header); the person's own entries stay. Per host: one round trip to read,
 * one per file changed. A host that cannot be reached is reported, not fatal.
 */
interface HookEntry {
  hooks?: Array<{ command?: unknown }>;
}
const ours = (e: HookEntry) =>
  (e.hooks ?? []).some(
    (h) =>
      typeof h.command === 'string' &&
      (h.command.includes(HOST_HOOK_NAME) ||
        h.command.includes('$FLEET_TUI_HOOK') ||
        h.command.includes('fleet-hook.js --file ')),
  );

/** The settings without fleet-tui's hook entries; null when there were none (or not JSON). */
function withoutOurs(file: HostFile): { text: string; empty: boolean } | null {
  if (file.kind !== 'file') return null;
  let v: unknown;
  try {
    v = JSON.parse(file.text);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const settings = v as Record<string, unknown>;
  const hooks = settings.hooks;
  if (typeof hooks !== 'object' || hooks === null) return null;
  let changed = false;
  const kept: Record<string, unknown> = {};
  for (const [event, entries] of Object.entries(hooks as Record<string, unknown>)) {
    if (!Array.isArray(entries)) {
      kept[event] = entries;
      continue;
    }
    const left = (entries as HookEntry[]).filter((e) => !ours(e));
    if (left.length !== entries.length) changed = true;
    if (left.length) kept[event] = left;
  }
  if (!changed) return null;
  const next: Record<string, unknown> = { ...settings, hooks: kept };
  if (Object.keys(kept).length === 0) delete next.hooks;
  return { text: `${JSON.stringify(next, null, 2)}\n`, empty: Object.keys(next).length === 0 };
}

export interface HostUninstall {
  /** Instances whose worktree lost fleet-tui's hooks or role config. */
  instances: string[];
  /** Host clones whose `.codex/hooks.json` lost fleet-tui's hooks. */
  clones: Array<{ host: string; repo: string }>;
  /** Hosts that could not be reached: `host: ssh's words`. */
  unreachable: string[];
}

async function uninstallOnHost(group: HostGroup, res: HostUninstall): Promise<void> {
  const { host, insts: instances } = group;
  const repo = host.repo.replace(/\/+$/, '');
  const files = [
    { dir: repo, rel: '.codex/hooks.json', id: null as string | null },
    ...instances.flatMap((i) => [
      { dir: i.hostPath!, rel: '.claude/settings.local.json', id: i.id },
      { dir: i.hostPath!, rel: '.codex/hooks.json', id: i.id },
      { dir: i.hostPath!, rel: '.codex/config.toml', id: i.id },
    ]),
  ].filter((f) => f.id === null || f.rel !== '.codex/hooks.json' || !f.dir.startsWith(`${repo}/`));
  const found = await readHostFiles(host, files);
  const touched = new Set<string>();
  for (const [k, f] of files.entries()) {
    const file = found[k]!;
    if (f.rel === '.codex/config.toml') {
      if (file.kind === 'file' && file.text.startsWith(CODEX_CONFIG_HEAD)) {
        await removeHostFile(host, f.dir, f.rel);
        touched.add(f.id!);
      }
      continue;
    }
    const next = withoutOurs(file);
    if (!next) continue;
    // Codex's file with nothing left goes, as locally; Claude's settings stay (maybe `{}`).
    if (next.empty && f.rel === '.codex/hooks.json') await removeHostFile(host, f.dir, f.rel);
    else await writeHostFile(host, f.dir, f.rel, next.text, null);
    if (f.id) touched.add(f.id);
    else res.clones.push({ host: host.name, repo });
  }
  res.instances.push(...instances.filter((i) => touched.has(i.id)).map((i) => i.id));
}

export async function uninstallHostAgentHooks(config: ResolvedConfig): Promise<HostUninstall> {
  const res: HostUninstall = { instances: [], clones: [], unreachable: [] };
  await Promise.all(
    hostGroups(config).map((g) =>
      uninstallOnHost(g, res).catch((e: unknown) => {
        if (e instanceof HostError) res.unreachable.push(`${g.host.name}: ${e.detail}`);
        else res.unreachable.push(`${g.host.name}: ${e instanceof Error ? e.message : String(e)}`);
      }),
    ),
  );
  return res;
}
