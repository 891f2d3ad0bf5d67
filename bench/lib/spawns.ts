// Git spawns per command: fleet-tui writes its counts to FLEET_TUI_GIT_COUNT at exit
// (src/core/git/run.ts); the bench gives each measured run its own file.
import { mkdtempSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { workDir } from './env.js';

export interface SpawnCounts {
  spawns: number;
  byCommand: Record<string, number>;
  /** Processes node itself started (`git`, and `sh` for a batch of git processes). */
  processes?: Record<string, number>;
  /** fleet-tui's own CPU time (user + system), without its children. */
  cpuMs?: number;
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

/** `status 12, rev-list 12, …; started by node: sh 2, git 1` for a figure's note. */
export function describeCounts(c: SpawnCounts | null): string {
  if (!c) return 'no count written';
  const list = (o: Record<string, number>) =>
    Object.entries(o)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
  const started = c.processes ? `; started by node: ${list(c.processes) || 'none'}` : '';
  return `${list(c.byCommand)}${started}`;
}
