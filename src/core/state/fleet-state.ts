import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fleetDir } from '../git/repo.js';
import { writeFileAtomic } from './atomic.js';

/**
 * Persisted fleet state: what the person changed at run time (role reassignments) and what the
 * agents told us (session ids). Lives in the git common dir so every worktree shares it and it
 * never shows up in `git status`.
 */
const stateSchema = z.object({
  version: z.literal(1).default(1),
  roles: z.record(z.string(), z.string()).default({}),
  sessions: z.record(z.string(), z.string()).default({}),
});
export type FleetState = z.output<typeof stateSchema>;

function stateFile(commonDir: string): string {
  return path.join(fleetDir(commonDir), 'state.json');
}

export async function readFleetState(commonDir: string): Promise<FleetState> {
  let text: string;
  try {
    text = await readFile(stateFile(commonDir), 'utf8');
  } catch {
    return stateSchema.parse({});
  }
  const parsed = stateSchema.safeParse(JSON.parse(text));
  // A damaged state file must not stop the fleet; the config's own roles still apply.
  return parsed.success ? parsed.data : stateSchema.parse({});
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
