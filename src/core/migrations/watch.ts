import path from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import { findRepo } from '../git/repo.js';
import { gitOut } from '../git/run.js';
import { layoutOf, settingsOf } from './check.js';
import { debounced } from '../debounce.js';
import { applyFileChange } from './incremental.js';
import type { FleetModel, InstanceView, MainView } from './model.js';
import { buildReport } from './report.js';
import {
  fileState,
  isWorktree,
  readHeadTree,
  readInstanceRaw,
  readRange,
  readTree,
  resolveMainRef,
  type InstanceRaw,
} from './sources.js';
import type { CheckReport } from './types.js';
import { instanceView } from './view.js';
import { DirTargets } from './watch-targets.js';

export interface MigrationWatch {
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Quiet time after a file event before re-reading that instance (ms). */
  debounceMs?: number;
}

/**
 * Live migration guard. Watches only each instance's migrations directory (depth 0) plus the
 * refs that move main and the branches; on an event it re-reads only what changed (one
 * instance's `git status`, or its commits, or main's tree), recomputes the report from the
 * cached model and calls `onReport` when the problem list changed (and once at start).
 */
export async function watchMigrations(
  config: ResolvedConfig,
  onReport: (r: CheckReport) => void,
  opts: WatchOptions = {},
): Promise<MigrationWatch> {
  const layout = layoutOf(config);
  const repo = await findRepo(config.rootDir);
  const commonDir = repo?.commonDir ?? path.join(config.rootDir, '.git');
  const mainRef = await resolveMainRef(config.rootDir, config.remote, config.mainBranch);
  let mainSha = '';
  let main: MainView = { entries: [], badNames: [], byFile: new Map(), maxVersion: '' };
  const raws = new Map<string, InstanceRaw>();
  let last = '';

  // Views are cached per instance and dropped when its raw state (or main) changes.
  const views = new Map<string, InstanceView>();
  const viewOf = (i: ResolvedConfig['instances'][number]) => {
    let v = views.get(i.id);
    if (!v) {
      v = instanceView(i.id, i.band, raws.get(i.id) ?? { branch: [], worktree: [] }, main, layout);
      views.set(i.id, v);
    }
    return v;
  };
  const emit = () => {
    const model: FleetModel = { main, instances: config.instances.map(viewOf) };
    const report = buildReport(model, settingsOf(config));
    const key = JSON.stringify(report);
    if (key === last) return;
    last = key;
    onReport(report);
  };

  const readMain = async () => {
    const sha = await gitOut(['rev-parse', '-q', '--verify', mainRef], {
      cwd: config.rootDir,
      readOnly: true,
      allowFail: true,
    });
    if (sha === mainSha) return false;
    const tree = await readTree(config.rootDir, mainRef, layout);
    if (tree) main = tree;
    mainSha = sha;
    views.clear();
    return true;
  };
  const heads = new Map<string, Map<string, string>>();
  const readInstance = async (i: ResolvedConfig['instances'][number]) => {
    const wt = await isWorktree(i.worktreePath);
    const [raw, head] = await Promise.all([
      readInstanceRaw(config.rootDir, i.worktreePath, i.branch, mainRef, layout),
      wt ? readHeadTree(i.worktreePath, layout) : null,
    ]);
    raws.set(i.id, raw);
    if (head) heads.set(i.id, head);
    else heads.delete(i.id);
    views.delete(i.id);
  };

  await Promise.all([readMain(), ...config.instances.map(readInstance)]);
  emit();

  const debounceMs = opts.debounceMs ?? 10;
  // Per instance: a file event re-hashes just the named files against HEAD's tree (no git
  // process); a ref event or a directory that appeared re-reads the instance with git.
  const fullDirty = new Set<string>();
  const pending = new Map<string, Set<string>>();
  const perInstance = new Map(
    config.instances.map((inst) => [
      inst.id,
      debounced(async () => {
        const files = pending.get(inst.id) ?? new Set<string>();
        pending.delete(inst.id);
        const head = heads.get(inst.id);
        if (fullDirty.delete(inst.id) || !head || !(await isWorktree(inst.worktreePath))) {
          await readInstance(inst);
        } else {
          let worktree = raws.get(inst.id)?.worktree ?? [];
          for (const rel of files) {
            const file = await fileState(inst.worktreePath, rel);
            const why = 'skipped' in file ? file.skipped : undefined;
            worktree = applyFileChange(worktree, head, rel, file.oid, why);
          }
          raws.set(inst.id, { branch: raws.get(inst.id)?.branch ?? [], worktree });
        }
        views.delete(inst.id);
        emit();
      }, debounceMs),
    ]),
  );
  const mainJob = debounced(async () => {
    if (!(await readMain())) return;
    // A new base changes every instance's "commits not on main".
    const ranges = await Promise.all(
      config.instances.map(async (i) =>
        (await isWorktree(i.worktreePath))
          ? readRange(i.worktreePath, `${mainRef}...HEAD`, layout)
          : readRange(config.rootDir, `${mainRef}...refs/heads/${i.branch}`, layout),
      ),
    );
    config.instances.forEach((i, k) =>
      raws.set(i.id, { ...(raws.get(i.id) ?? { worktree: [] }), branch: ranges[k]! }),
    );
    views.clear();
    emit();
  }, debounceMs);

  const migDirs = new Map(
    config.instances.map((i) => [path.join(i.worktreePath, layout.dir), i.id]),
  );
  const refFiles = new Map<string, string | null>([
    [path.join(commonDir, mainRef), null],
    [path.join(commonDir, 'packed-refs'), null],
  ]);
  for (const i of config.instances)
    refFiles.set(path.join(commonDir, 'refs', 'heads', i.branch), i.id);
  for (const i of config.instances) {
    // A commit in the worktree moves its HEAD (detached) or its branch ref.
    const gitDir = await gitDirOf(i.worktreePath);
    if (gitDir) refFiles.set(path.join(gitDir, 'HEAD'), i.id);
  }
  const refDirs = [...new Set([...refFiles.keys()].map((f) => path.dirname(f)))];

  const refreshInstance = (id: string, file: string | null) => {
    if (file === null) fullDirty.add(id);
    else {
      const set = pending.get(id) ?? new Set<string>();
      set.add(file);
      pending.set(id, set);
    }
    perInstance.get(id)?.request();
  };
  const onEvent = (dir: string, file: string | null) => {
    const id = migDirs.get(dir);
    if (id)
      return refreshInstance(id, file === null ? null : `${layout.dir}/${path.basename(file)}`);
    if (file === null) {
      // Events were dropped: re-read main and every instance.
      mainJob.request();
      config.instances.forEach((i) => refreshInstance(i.id, null));
    } else if (refFiles.has(file)) {
      const who = refFiles.get(file);
      if (who) refreshInstance(who, null);
      else mainJob.request();
    }
  };

  const targets = new DirTargets([...migDirs.keys(), ...refDirs], onEvent, (dir) => {
    const id = migDirs.get(dir);
    if (!id) return;
    // The directory appeared: whatever is already in it made no events.
    refreshInstance(id, null);
  });
  await targets.sync(true);

  return {
    async close() {
      await targets.close();
      await Promise.all([...perInstance.values(), mainJob].map((d) => d.close()));
    },
  };
}

async function gitDirOf(worktree: string): Promise<string | null> {
  if (!(await isWorktree(worktree))) return null;
  const out = await gitOut(['rev-parse', '--path-format=absolute', '--git-dir'], {
    cwd: worktree,
    readOnly: true,
    allowFail: true,
  });
  return out || null;
}
