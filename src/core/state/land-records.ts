import { readFile, appendFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pidAlive } from '../git/lock.js';
import { fleetDir } from '../git/repo.js';
import { writeFileAtomic } from './atomic.js';

/**
 * What landing remembers between runs, in the git common dir (shared by every worktree, never in
 * `git status`): a log of landed commits (for "landed today"), the instances left `needs-sync`,
 * and the journal of a land in progress (what `recover` reads after a crash).
 */
export interface LandLogEntry {
  id: string;
  commits: number;
  at: string;
  main: string;
  /** Absent on a landed line; `'conflict'`: the instance met a conflict (0 commits, its files). */
  outcome?: 'conflict';
  files?: string[];
}

export interface LandJournal {
  pid: number;
  startedAt: string;
  phase: 'replay' | 'push' | 'sync';
}

const file = (commonDir: string, name: string) => path.join(fleetDir(commonDir), name);

export async function readJson<T>(f: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(f, 'utf8')) as T;
  } catch {
    return null;
  }
}

export async function appendLandLog(commonDir: string, entries: LandLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await mkdir(fleetDir(commonDir), { recursive: true });
  await appendFile(
    file(commonDir, 'landed.jsonl'),
    entries.map((e) => `${JSON.stringify(e)}\n`).join(''),
  );
}

/** Commits each instance landed since local midnight. */
export async function landedToday(
  commonDir: string,
  now = new Date(),
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let text = '';
  try {
    text = await readFile(file(commonDir, 'landed.jsonl'), 'utf8');
  } catch {
    return counts;
  }
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as LandLogEntry;
      if (e.outcome === undefined && Date.parse(e.at) >= midnight)
        counts.set(e.id, (counts.get(e.id) ?? 0) + e.commits);
    } catch {
      // A torn last line after a crash: skip it.
    }
  }
  return counts;
}

export async function readNeedsSync(commonDir: string): Promise<Set<string>> {
  const ids = await readJson<string[]>(file(commonDir, 'needs-sync.json'));
  return new Set(Array.isArray(ids) ? ids : []);
}

export async function updateNeedsSync(
  commonDir: string,
  add: readonly string[],
  remove: readonly string[],
): Promise<void> {
  if (add.length + remove.length === 0) return;
  const set = await readNeedsSync(commonDir);
  add.forEach((id) => set.add(id));
  remove.forEach((id) => set.delete(id));
  await writeFileAtomic(file(commonDir, 'needs-sync.json'), JSON.stringify([...set].sort()));
}

const journalFile = (commonDir: string) => file(commonDir, 'land-journal.json');

export function readJournal(commonDir: string): Promise<LandJournal | null> {
  return readJson<LandJournal>(journalFile(commonDir));
}

export async function writeJournal(commonDir: string, j: LandJournal): Promise<void> {
  await writeFileAtomic(journalFile(commonDir), JSON.stringify(j));
}

export async function clearJournal(commonDir: string): Promise<void> {
  await rm(journalFile(commonDir), { force: true });
}

/** A journal left by a land whose process is gone: `recover` must run before the next land. */
export async function recoveryNeeded(commonDir: string): Promise<LandJournal | null> {
  const j = await readJournal(commonDir);
  return j && !pidAlive(j.pid) ? j : null;
}
