import picomatch from 'picomatch';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';

/**
 * Role scope as pure functions: a role's `paths` (picomatch globs) are the files it owns, the
 * fleet's `sharedPaths` are files every role may touch. A file matching neither is *outside*
 * the role — scope creep. A role without `paths` owns everything (nothing is outside).
 */
export interface Scope {
  outside: string[];
}

/** `dir/` means everything under it; dotfiles count like any file (`.github/…`, `.env`). */
function normalise(glob: string): string {
  return glob.endsWith('/') ? `${glob}**` : glob;
}

function scopeMatcher(
  rolePaths: readonly string[],
  sharedPaths: readonly string[],
): ((file: string) => boolean) | null {
  if (rolePaths.length === 0) return null;
  const globs = [...rolePaths, ...sharedPaths].map(normalise);
  return picomatch(globs, { dot: true });
}

/** Repository-relative files outside the role, sorted, each once. */
export function outsideScope(
  files: Iterable<string>,
  rolePaths: readonly string[],
  sharedPaths: readonly string[],
): string[] {
  const inScope = scopeMatcher(rolePaths, sharedPaths);
  if (!inScope) return [];
  const out = new Set<string>();
  for (const f of files) if (f && !inScope(f)) out.add(f);
  return [...out].sort();
}

/** The globs in force for an instance: its current role's `paths` and the fleet's `sharedPaths`. */
export function scopeGlobs(
  config: ResolvedConfig,
  instance: ResolvedInstance,
): { paths: string[]; shared: string[] } {
  return { paths: config.roles[instance.role]?.paths ?? [], shared: config.sharedPaths };
}
