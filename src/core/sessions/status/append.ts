import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { HookEvent } from './hook-events.js';

// Kept free of heavy imports: the hook script loads it on every agent hook.

/** Append one event; a single write() of a short line, so concurrent writers do not interleave. */
export function appendEvent(file: string, ev: HookEvent): void {
  mkdirSync(path.dirname(file), { recursive: true });
  appendFileSync(file, `${JSON.stringify(ev)}\n`);
}
