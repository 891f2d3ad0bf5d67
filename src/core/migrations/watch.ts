import path from 'node:path';
import type { ResolvedConfig } from '../../config/types.js';
import { findRepo } from '../git/repo.js';
import { gitOut } from '../git/run.js';
import { layoutOf, settingsOf } from './check.js';
import { debounced } from './debounce.js';
import type { FleetModel, MainView } from './model.js';
import { buildReport } from './report.js';
import {
  readInstanceRaw,
  readRange,
  readTree,
  readWorktree,
  resolveMainRef,
  isWorktree,
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

  const emit = () => {
    const model: FleetModel = {
      main,
      instances: config.instances.map((i) =>
        instanceView(i.id, i.band, raws.get(i.id) ?? { branch: [], worktree: [] }, main, layout),
      ),
    };
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
    return true;
  };
  const readAll = (i: ResolvedConfig['instances'][number]) =>
    readInstanceRaw(config.rootDir, i.worktreePath, i.branch, mainRef, layout);

  await readMain();
  const initial = await Promise.all(config.instances.map(readAll));
  config.instances.forEach((i, k) => raws.set(i.id, initial[k]!));
  emit();

  const debounceMs = opts.debounceMs ?? 15;
  // Per instance: a file event re-reads only `git status`; a ref event re-reads its commits too.
  const commitsDirty = new Set<string>();
  const perInstance = new Map(
    config.instances.map((inst) => [
      inst.id,
      debounced(async () => {
        const prev = raws.get(inst.id) ?? { branch: [], worktree: [] };
        const full = commitsDirty.delete(inst.id);
        let next: InstanceRaw;
        if (full || !(await isWorktree(inst.worktreePath))) next = await readAll(inst);
        else
          next = { branch: prev.branch, worktree: await readWorktree(inst.worktreePath, layout) };
        raws.set(inst.id, next);
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

  const refreshInstance = (id: string, commits: boolean) => {
    if (commits) commitsDirty.add(id);
    perInstance.get(id)?.request();
  };
  const onEvent = (_event: string, file: string) => {
    const id = migDirs.get(path.dirname(file));
    if (id) refreshInstance(id, false);
    if (refFiles.has(file)) {
      const who = refFiles.get(file);
      if (who) refreshInstance(who, true);
      else mainJob.request();
    }
  };
  const targets = new DirTargets([...migDirs.keys(), ...refDirs], onEvent, (dir) => {
    const id = migDirs.get(dir);
    if (!id) return;
    // The directory appeared: whatever is already in it made no events.
    refreshInstance(id, false);
  });
  await targets.sync(true);
  await targets.ready();

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
