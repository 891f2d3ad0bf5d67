import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { types } from 'node:util';
import { locateGitDirs } from '../core/git/locate.js';
import { fleetDir } from '../core/git/repo.js';
import { writeTemp } from '../core/state/atomic.js';
import type { FleetConfigParsed } from './schema.js';

/**
 * Schema results kept per evaluated config, so that a start whose config evaluates to the same
 * data as before neither loads zod (the largest module a command loads) nor parses again.
 * The config still runs on every start (it may read the environment); only its *result*, when
 * it is plain data (objects, arrays, strings, finite numbers, booleans, null — no getters,
 * Proxies, functions or class instances), is looked up by the hash of its JSON text together
 * with the schema's source and zod's version. Parsing is a pure function of that data, so the
 * stored output is what parsing would return. Anything else is parsed every time.
 *
 * Kept beside the compile cache, in the git common dir's `fleet-tui/config-valid/`.
 */
const ENTRY_VERSION = 1;
const KEEP = 16;
/** Nodes walked at most: a larger config is simply parsed every time. */
const MAX_NODES = 100_000;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Plain JSON data, walked without running any of its code (descriptors, never getters). */
export function isPlainData(value: unknown): boolean {
  let nodes = 0;
  const walk = (v: unknown, depth: number): boolean => {
    if (++nodes > MAX_NODES) return false;
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
    // -0 would come back from JSON as 0.
    if (typeof v === 'number') return Number.isFinite(v) && !Object.is(v, -0);
    if (typeof v !== 'object' || depth > 64 || types.isProxy(v)) return false;
    const proto = Object.getPrototypeOf(v) as unknown;
    const isArray = Array.isArray(v);
    if (isArray ? proto !== Array.prototype : proto !== Object.prototype && proto !== null)
      return false;
    const keys = Reflect.ownKeys(v);
    if (isArray && keys.length !== (v as unknown[]).length + 1) return false; // holes, extra keys
    for (const k of keys) {
      if (typeof k !== 'string' || k === '__proto__') return false;
      const d = Object.getOwnPropertyDescriptor(v, k)!;
      if (isArray && k === 'length') continue;
      if (!('value' in d) || !d.enumerable) return false;
      if (isArray && String(Number(k)) !== k) return false;
      if (!walk(d.value, depth + 1)) return false;
    }
    return true;
  };
  return walk(value, 0);
}

let tag: string | null = null;
/** What parsing depends on besides the data: the schema's source (and the constant it imports)
 * and zod's version. */
function schemaTag(): string {
  if (tag) return tag;
  const here = fileURLToPath(import.meta.url);
  const sources = ['schema', 'migration-pattern'].map((name) =>
    sha256(readFileSync(path.join(path.dirname(here), `${name}${path.extname(here)}`))),
  );
  tag = `${ENTRY_VERSION}\0${sources.join('\0')}\0zod ${zodVersion()}`;
  return tag;
}

/**
 * The version of the zod that `import 'zod'` loads: its package.json in the first of node's
 * lookup directories that has one. Not `require('zod/package.json')`: that goes through zod's
 * `exports` map, whose checks cost ~9 ms of CPU in a fresh process (node's package-target
 * validation) — a third of a cached config load — for a file found here in a few stats.
 */
export function zodVersion(): string {
  const dirs = createRequire(import.meta.url).resolve.paths('zod') ?? [];
  for (const dir of dirs) {
    let text: string;
    try {
      text = readFileSync(path.join(dir, 'zod', 'package.json'), 'utf8');
    } catch {
      continue; // Not in this node_modules: node looks in the next one too.
    }
    return (JSON.parse(text) as { version: string }).version;
  }
  throw new Error('zod/package.json not found');
}

function cacheDir(configFile: string): string | null {
  const dirs = locateGitDirs(path.dirname(configFile));
  return dirs ? path.join(fleetDir(dirs.commonDir), 'config-valid') : null;
}

/** Where the parse of `raw` is kept; null when it is not plain data or there is no repository. */
export function validatedEntry(configFile: string, raw: unknown): string | null {
  if (!isPlainData(raw)) return null;
  const dir = cacheDir(configFile);
  if (!dir) return null;
  try {
    return path.join(dir, `${sha256(`${schemaTag()}\0${JSON.stringify(raw)}`)}.json`);
  } catch {
    return null; // The schema's source or zod's package.json cannot be read: parse every time.
  }
}

/** The kept parse (read synchronously: one small file on the start path), or null. */
export function readValidated(entry: string): FleetConfigParsed | null {
  try {
    const e = JSON.parse(readFileSync(entry, 'utf8')) as { version?: unknown; data?: unknown };
    return e.version === ENTRY_VERSION && e.data && typeof e.data === 'object'
      ? (e.data as FleetConfigParsed)
      : null;
  } catch {
    return null; // Not kept yet, or damaged: parsed again and replaced.
  }
}

/** Keep a parse (best effort: a cache that cannot be written costs the next start a parse). */
export async function storeValidated(entry: string, data: FleetConfigParsed): Promise<void> {
  if (!isPlainData(data)) return;
  try {
    const tmp = await writeTemp(entry, JSON.stringify({ version: ENTRY_VERSION, data }));
    await rename(tmp, entry);
    const dir = path.dirname(entry);
    const aged = await Promise.all(
      (await readdir(dir)).map(async (n) => ({
        n,
        t: (await stat(path.join(dir, n)).catch(() => null))?.mtimeMs ?? 0,
      })),
    );
    aged.sort((a, b) => b.t - a.t);
    const stale = aged.filter((a, i) => i >= KEEP || !a.n.endsWith('.json'));
    await Promise.all(stale.map((a) => rm(path.join(dir, a.n), { force: true })));
  } catch {
    // Read-only repository, full disk: nothing lost but time.
  }
}
