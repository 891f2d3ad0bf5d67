import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { FleetError, UsageError } from '../errors.js';
import { findRepo } from '../git/repo.js';
import { bandOf, nextSlot, pad6, utcDay } from './bands.js';
import { readFleet, layoutOf } from './check.js';
import { allVersions } from './report.js';
import { withRepoLock } from '../git/lock.js';
import { isWorktree } from './sources.js';
import { normalizeName } from './rules/index.js';
import { createOnHost } from './hosts/create.js';

function instanceOf(config: ResolvedConfig, id: string): ResolvedInstance {
  const inst = config.instances.find((i) => i.id === id);
  if (!inst) {
    throw new UsageError(
      `unknown instance "${id}" — use one of: ${config.instances.map((i) => i.id).join(', ')}`,
    );
  }
  return inst;
}

/**
 * The version `migrations new` would hand out: today's (UTC) lowest slot of the instance's band
 * above every version of that band and day anywhere in the fleet.
 */
export async function nextVersion(
  config: ResolvedConfig,
  instanceId: string,
  date: Date = new Date(),
): Promise<string> {
  const inst = instanceOf(config, instanceId);
  const model = await readFleet(config);
  const band = bandOf(
    inst.band,
    config.instances.map((i) => i.band),
  );
  const day = utcDay(date);
  const v = nextSlot(day, band, config.migrations.bandStep, allVersions(model));
  if (!v) {
    throw new FleetError(
      `${inst.id}'s band [${pad6(band.start)}, ${pad6(band.end)}) is full for ${day} (step ${config.migrations.bandStep}) — wait for tomorrow (UTC), or give ${inst.id} a wider band in fleet.config.ts`,
    );
  }
  return v;
}

/**
 * Create `<dir>/<version>_<name>.sql` (empty, as `supabase migration new` does) in the
 * instance's worktree. A lock in the git common dir serializes concurrent calls, and the file
 * exists before the lock is released, so the next caller sees its version as taken.
 */
export async function createMigration(
  config: ResolvedConfig,
  instanceId: string,
  name: string,
  date: Date = new Date(),
): Promise<{ path: string; version: string }> {
  const inst = instanceOf(config, instanceId);
  const clean = normalizeName(name);
  if (!clean)
    throw new UsageError(
      `migration name "${name}" has no letters or digits — pass a name like add_posts`,
    );
  const repo = await findRepo(config.rootDir);
  if (!repo)
    throw new FleetError(
      `${config.rootDir} is not a git repository — run fleet-tui in your repository`,
    );
  const dir = path.join(inst.worktreePath, layoutOf(config).dir);
  return withRepoLock(
    repo.commonDir,
    'migrations-new',
    async () => {
      if (inst.host) {
        const version = await nextVersion(config, instanceId, date);
        const file = `${version}_${clean}.sql`;
        return { path: await createOnHost(config, inst, layoutOf(config).dir, file), version };
      }
      if (!(await isWorktree(inst.worktreePath))) {
        throw new FleetError(
          `${inst.id}'s worktree ${inst.worktreePath} does not exist — create it first (git worktree add ${inst.worktree} ${inst.branch})`,
        );
      }
      const version = await nextVersion(config, instanceId, date);
      const file = path.join(dir, `${version}_${clean}.sql`);
      await mkdir(dir, { recursive: true });
      await writeFile(file, '', { flag: 'wx' });
      return { path: file, version };
    },
    { waitMs: 30_000 },
  );
}
