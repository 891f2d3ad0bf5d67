import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { fleetDir } from '../git/repo.js';
import { writeFileAtomic } from './atomic.js';

/**
 * Persisted fleet state: what the person changed at run time (role reassignments) and what the
 * agents told us (session ids). Lives in the git common dir so every worktree shares it and it
 * never shows up in `git status`.
 */
export interface FleetState {
  version: 1;
  roles: Record<string, string>;
  sessions: Record<string, string>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function stringRecord(v: unknown): Record<string, string> | null {
  if (v === undefined) return {};
  if (!isObject(v)) return null;
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) {
    if (typeof x !== 'string') return null;
    out[k] = x;
  }
  return out;
}

/**
 * The state in parsed JSON, checked by hand rather than with zod: three fields do not justify
 * loading zod on `status`'s start path (test/unit/fleet-state-parse.test.ts holds it equal to
 * the zod schema it replaced). Unknown keys are dropped; anything malformed gives the empty state.
 */
export function parseFleetState(json: unknown): FleetState {
  const empty: FleetState = { version: 1, roles: {}, sessions: {} };
  if (!isObject(json) || (json.version !== undefined && json.version !== 1)) return empty;
  const roles = stringRecord(json.roles);
  const sessions = stringRecord(json.sessions);
  return roles && sessions ? { version: 1, roles, sessions } : empty;
}

function stateFile(commonDir: string): string {
  return path.join(fleetDir(commonDir), 'state.json');
}

/**
 * The state file's text, parsed. A file that is not JSON (cut by a full disk, edited by hand) is
 * a configuration error, not an empty state: the next role change would write over it.
 */
function fromText(text: string | null, file: string): FleetState {
  if (text === null) return parseFleetState({});
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `${file} is not JSON (${(e as Error).message}): fix it or move it away (it holds run-time role changes and session ids)`,
    );
  }
  // Valid JSON of the wrong shape gives the empty state: the config's own roles still apply.
  return parseFleetState(json);
}

export async function readFleetState(commonDir: string): Promise<FleetState> {
  const file = stateFile(commonDir);
  return fromText(await readFile(file, 'utf8').catch(() => null), file);
}

/**
 * The same, read synchronously, for the config load every command starts with: one small file
 * (usually absent), where an asynchronous read is a trip through libuv's thread pool that a
 * loaded machine stretches to milliseconds (see config/compile-cache.ts).
 */
export function readFleetStateSync(commonDir: string): FleetState {
  const file = stateFile(commonDir);
  let text: string | null;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = null;
  }
  return fromText(text, file);
}

// Serialize read-modify-write cycles within this process.
let queue: Promise<unknown> = Promise.resolve();

export function updateFleetState(
  commonDir: string,
  change: (state: FleetState) => FleetState,
): Promise<FleetState> {
  const next = queue.then(async () => {
    const state = change(await readFleetState(commonDir));
    await writeFileAtomic(stateFile(commonDir), `${JSON.stringify(state, null, 2)}\n`);
    return state;
  });
  queue = next.catch(() => undefined);
  return next;
}
