// Migration fixtures: thousands of applied migrations on main, and each instance's new ones in
// its own timestamp band (committed on its branch, plus one still untracked in its worktree).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  buildFleet,
  git,
  type AgentKind,
  type BenchFleet,
  type BenchInstance,
} from '../fixtures/fleet.js';

export const MIGRATIONS_DIR = 'supabase/migrations';

/** `count` versions spread over past days, ten a day on the hour, all older than today. */
export function mainMigrations(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  const day0 = Date.UTC(2024, 0, 1);
  for (let k = 0; k < count; k++) {
    const date = new Date(day0 + Math.floor(k / 10) * 86_400_000)
      .toISOString()
      .slice(0, 10)
      .replace(/-/g, '');
    const version = `${date}${String(k % 10).padStart(2, '0')}0000`;
    files[`${MIGRATIONS_DIR}/${version}_create_table_${k}.sql`] =
      `create table t${k} (id bigint primary key);\n`;
  }
  return files;
}

function today(): string {
  return new Date().toISOString().slice(0, 10).replace(/-/g, '');
}

/** Slot k of a band: band start + k × 5 minutes, in HHMMSS. */
function slot(band: string, k: number): string {
  const minutes = Number(band.slice(0, 2)) * 60 + Number(band.slice(2, 4)) + k * 5;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}${String(minutes % 60).padStart(2, '0')}${band.slice(4)}`;
}

async function addInstanceWork(inst: BenchInstance): Promise<void> {
  const day = today();
  const committed = [0, 1].map(
    (k) => `${MIGRATIONS_DIR}/${day}${slot(inst.band, k)}_${inst.id}_change_${k}.sql`,
  );
  for (const rel of committed)
    writeFileSync(path.join(inst.worktree, rel), `-- ${inst.id}\nselect 1;\n`);
  await git(inst.worktree, ['add', '--', ...committed]);
  await git(inst.worktree, ['commit', '-q', '-m', `${inst.id}: migrations`]);
  writeFileSync(
    path.join(inst.worktree, MIGRATIONS_DIR, `${day}${slot(inst.band, 2)}_${inst.id}_draft.sql`),
    'select 2;\n',
  );
}

export async function migrationFleet(
  n: number,
  onMain: number,
  agent?: (dir: string) => AgentKind,
): Promise<BenchFleet> {
  const fleet = await buildFleet({ instances: n, files: mainMigrations(onMain), agent });
  for (const inst of fleet.instances) await addInstanceWork(inst);
  return fleet;
}
