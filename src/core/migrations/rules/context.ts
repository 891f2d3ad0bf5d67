import type { ProblemFile } from '../types.js';
import type { MigrationEntry } from '../model.js';

/** What the rules need besides the model: settings and a source of fix suggestions. */
export interface RuleContext {
  outOfOrder: 'warn' | 'error';
  /** Instance id → band start (HHMMSS). Instances without a band are not band-checked. */
  bands: Record<string, string>;
  pattern: string;
  /** `<remote>/<main>`, for fix texts. */
  mainRef: string;
  /**
   * The next free version in the instance's band for the file at `path` (the same answer for
   * the same path; different paths get different slots). Null when there is no band or it is full.
   */
  suggest(instance: string, path: string): string | null;
  /** Instance id → its SSH host, for instances on hosts (named `ps5@box` in messages). */
  hosts?: Record<string, string>;
}

/** How messages name an instance: its id, with `@host` when it works on an SSH host. */
export function label(id: string, ctx: Pick<RuleContext, 'hosts'>): string {
  const host = ctx.hosts?.[id];
  return host ? `${id}@${host}` : id;
}

export function fileOf(e: {
  instance: string | null;
  where: ProblemFile['where'];
  path: string;
}): ProblemFile {
  return { instance: e.instance, where: e.where, path: e.path };
}

export function describe(
  e: { instance: string | null; where: ProblemFile['where']; path: string },
  ctx: Pick<RuleContext, 'hosts'>,
): string {
  if (e.where === 'main') return `${e.path} (main)`;
  if (!e.instance) return `${e.path} (working tree)`;
  return `${e.path} (${label(e.instance, ctx)} ${e.where})`;
}

/** "rename ps3's X to Y — next free slot in ps3's band", or why that is not possible. */
export function renameFix(
  e: MigrationEntry | { instance: string | null; path: string; file: string; name?: string },
  ctx: RuleContext,
): string {
  const id = e.instance;
  if (!id) return `rename ${e.file} to an unused version`;
  const who = label(id, ctx);
  if (!(id in ctx.bands)) return `rename ${who}'s ${e.file} to an unused version`;
  const next = ctx.suggest(id, e.path);
  if (!next)
    return `${who}'s band is full for today — rename ${e.file} into a free band or ask for a wider band`;
  const name =
    'name' in e && e.name !== undefined ? e.name : normalizeName(e.file.replace(/\.sql$/i, ''));
  return `rename ${who}'s ${e.file} to ${next}_${name}.sql — next free slot in ${who}'s band`;
}

/** Migration names are `[a-z0-9_]`: lower-case, every other run of characters becomes `_`. */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, '_')
    .replace(/_+/g, '_')
    .replace(/^_|_$/g, '');
}
