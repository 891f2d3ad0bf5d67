import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fleetDir } from '../git/repo.js';
import type { LandLogEntry } from '../state/land-records.js';

/**
 * What the land records say about a period. `landed.jsonl` (written by land, read-only here)
 * holds one line per instance landed: `{id, commits, at, main}`, `main` being the tip the land
 * pushed — so the lines sharing a `main` are one land, one push. A line with
 * `"outcome": "conflict"` (with the conflicting `files`, 0 commits) is a conflict met.
 */
export interface LandFacts {
  landed: number;
  conflicts: number;
  /** Pushes saved by landing together: a land of k instances made 1 push instead of k. */
  pushesSaved: number;
}

type Entry = Omit<LandLogEntry, 'outcome'> & { outcome?: string };

export async function readLandLog(commonDir: string): Promise<Entry[]> {
  let text = '';
  try {
    text = await readFile(path.join(fleetDir(commonDir), 'landed.jsonl'), 'utf8');
  } catch {
    return [];
  }
  const out: Entry[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const e = JSON.parse(line) as Entry;
      if (typeof e.id === 'string' && typeof e.at === 'string') out.push(e);
    } catch {
      // A torn last line after a crash: skip it.
    }
  }
  return out;
}

/**
 * Per instance and for the fleet, within [fromMs, toMs). An instance's share of a land's saved
 * pushes is (k − 1) / k, so the instances' shares add up to the fleet's k − 1 per land.
 */
export function landFacts(
  entries: readonly Entry[],
  fromMs: number,
  toMs: number,
): { byInstance: Map<string, LandFacts>; fleet: LandFacts } {
  const byInstance = new Map<string, LandFacts>();
  const fleet: LandFacts = { landed: 0, conflicts: 0, pushesSaved: 0 };
  const of = (id: string) => {
    let f = byInstance.get(id);
    if (!f) byInstance.set(id, (f = { landed: 0, conflicts: 0, pushesSaved: 0 }));
    return f;
  };
  const lands = new Map<string, Set<string>>();
  entries.forEach((e, i) => {
    const t = Date.parse(e.at);
    if (!(t >= fromMs && t < toMs)) return;
    if (e.outcome === 'conflict') {
      of(e.id).conflicts += 1;
      fleet.conflicts += 1;
      return;
    }
    if (e.outcome !== undefined && e.outcome !== 'landed') return;
    const commits = typeof e.commits === 'number' ? e.commits : 0;
    of(e.id).landed += commits;
    fleet.landed += commits;
    const key = typeof e.main === 'string' && e.main ? e.main : `line-${i}`;
    const set = lands.get(key) ?? new Set<string>();
    set.add(e.id);
    lands.set(key, set);
  });
  for (const ids of lands.values()) {
    const k = ids.size;
    fleet.pushesSaved += k - 1;
    for (const id of ids) of(id).pushesSaved += (k - 1) / k;
  }
  for (const f of byInstance.values()) f.pushesSaved = Math.round(f.pushesSaved * 100) / 100;
  return { byInstance, fleet };
}
