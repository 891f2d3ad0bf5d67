import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
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

export async function readFleetState(commonDir: string): Promise<FleetState> {
  let text: string;
  try {
    text = await readFile(stateFile(commonDir), 'utf8');
  } catch {
    return parseFleetState({});
  }
  // A damaged state file must not stop the fleet; the config's own roles still apply.
  return parseFleetState(JSON.parse(text));
}

/**
 * The same, read synchronously, for the config load every command starts with: one small file
 * (usually absent), where an asynchronous read is a trip through libuv's thread pool that a
 * loaded machine stretches to milliseconds (see config/compile-cache.ts).
 */
export function readFleetStateSync(commonDir: string): FleetState {
  let text: string;
  try {
    text = readFileSync(stateFile(commonDir), 'utf8');
  } catch {
    return parseFleetState({});
  }
  return parseFleetState(JSON.parse(text));
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
