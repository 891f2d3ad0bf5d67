// Git spawns per command: fleet-tui writes its counts to FLEET_TUI_GIT_COUNT at exit
// (src/core/git/run.ts); the bench gives each measured run its own file.
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workDir } from './env.js';

export interface SpawnCounts {
  spawns: number;
  byCommand: Record<string, number>;
}

export function spawnCountFile(): string {
  return path.join(mkdtempSync(path.join(workDir(), 'spawns-')), 'count.json');
}

export function readSpawnCounts(file: string): SpawnCounts | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SpawnCounts;
  } catch {
    return null;
  }
}

/** `status 12, rev-list 12, …` for a figure's note. */
export function describeCounts(c: SpawnCounts | null): string {
  if (!c) return 'no count written';
  return Object.entries(c.byCommand)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
