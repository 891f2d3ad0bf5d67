import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateGitDirs } from '../core/git/locate.js';
import { fleetDir } from '../core/git/repo.js';
import { writeTemp } from '../core/state/atomic.js';
import { compileConfig, type CompiledConfig } from './compile.js';

/**
 * Compiled configs, one entry per content of `fleet.config.ts`, reused while every local file it
 * imports is unchanged too (each input's sha-256 is kept in the entry and checked on every load).
 *
 * Kept in the git common dir's `fleet-tui/config-cache/`, not in node's or the user's cache dir:
 * it is where fleet-tui already keeps the repository's state, so every worktree shares one entry,
 * it goes away with the repository, and it does not depend on HOME (tests and CI isolate HOME,
 * and a read-only HOME would only cost a recompile each start). A config outside any repository
 * is compiled every time.
 */
const ENTRY_VERSION = 1;
/** Entries kept per repository (older ones go when a new one is written). */
const KEEP = 16;

interface Entry {
  version: number;
  format: CompiledConfig['format'];
  code: string;
  /** [absolute path, sha-256 hex] of every local file the code was bundled from. */
  inputs: Array<[string, string]>;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** fleet-tui's version and its pinned esbuild: a new release compiles again. */
let toolTag: string | null = null;
function tool(): string {
  if (toolTag) return toolTag;
  const pkgFile = fileURLToPath(new URL('../../package.json', import.meta.url));
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as {
    version: string;
    dependencies?: Record<string, string>;
  };
  toolTag = `fleet-tui ${pkg.version} esbuild ${pkg.dependencies?.esbuild ?? '?'}`;
  return toolTag;
}

function cacheDirFor(file: string): string | null {
  const dirs = locateGitDirs(path.dirname(file));
  return dirs ? path.join(fleetDir(dirs.commonDir), 'config-cache') : null;
}

async function unchanged(inputs: Entry['inputs']): Promise<boolean> {
  const now = await Promise.all(inputs.map(([file]) => readFile(file).then(sha256, () => null)));
  return now.every((h, i) => h === inputs[i]![1]);
}

async function readEntry(file: string): Promise<Entry | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null; // Not compiled yet.
  }
  try {
    const e = JSON.parse(text) as Entry;
    return e.version === ENTRY_VERSION && typeof e.code === 'string' && Array.isArray(e.inputs)
      ? e
      : null;
  } catch {
    return null; // A damaged entry is compiled again and replaced.
  }
}

/** Drop all but the newest KEEP entries (and temp files a killed writer left). */
async function prune(dir: string): Promise<void> {
  const names = await readdir(dir);
  const aged = await Promise.all(
    names.map(async (n) => {
      const s = await stat(path.join(dir, n)).catch(() => null);
      return { n, t: s?.mtimeMs ?? 0 };
    }),
  );
  aged.sort((a, b) => b.t - a.t);
  const stale = aged.filter((a, i) => i >= KEEP || !a.n.endsWith('.json'));
  await Promise.all(stale.map((a) => rm(path.join(dir, a.n), { force: true })));
}

async function store(dir: string, file: string, entry: Entry): Promise<void> {
  const tmp = await writeTemp(file, JSON.stringify(entry));
  await rename(tmp, file);
  await prune(dir);
}

export interface LoadedCode extends CompiledConfig {
  /** Whether the entry came from the cache (no compile this time). */
  cached: boolean;
}

/** The config compiled, from the cache when its content and its local imports are unchanged. */
export async function compiledConfig(file: string, defineEntry: string): Promise<LoadedCode> {
  const dir = cacheDirFor(file);
  if (!dir) return { ...(await compileConfig(file, defineEntry)), cached: false };
  const source = await readFile(file);
  const entryFile = path.join(
    dir,
    `${sha256(`${ENTRY_VERSION}\0${tool()}\0${file}\0`)}-${sha256(source)}.json`,
  );
  const entry = await readEntry(entryFile);
  if (entry && (await unchanged(entry.inputs))) {
    return {
      format: entry.format,
      code: entry.code,
      inputs: entry.inputs.map(([f]) => f),
      cached: true,
    };
  }
  const compiled = await compileConfig(file, defineEntry);
  const inputs = await Promise.all(
    compiled.inputs.map(async (f): Promise<[string, string]> => [f, sha256(await readFile(f))]),
  );
  // The file changed while it compiled: use what was compiled, but do not file it under `source`.
  const after = await readFile(file).catch(() => null);
  if (after && sha256(after) === sha256(source)) {
    const stored = store(dir, entryFile, { version: ENTRY_VERSION, ...compiled, inputs });
    // A cache that cannot be written (read-only repository, full disk) costs the next start a
    // compile, nothing else: the compiled code is used either way.
    await stored.catch(() => undefined);
  }
  return { ...compiled, cached: false };
}
