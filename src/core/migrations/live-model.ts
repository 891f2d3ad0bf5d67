import path from 'node:path';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { gitOut } from '../git/run.js';
import { layoutOf, settingsOf } from './check.js';
import { applyFileChange } from './incremental.js';
import type { FleetModel, InstanceView, MainView } from './model.js';
import { buildReport } from './report.js';
import {
  fileOid,
  isWorktree,
  readHeadTree,
  readInstanceRaw,
  readRange,
  readTree,
  type InstanceRaw,
} from './sources.js';
import type { CheckReport } from './types.js';
import { instanceView } from './view.js';

/**
 * The migration watcher's cached model of the fleet: main's migrations, each instance's raw
 * state (its commits not on main, its worktree files) and the views derived from them. Each
 * refresh re-reads only its part and reports when the problem list changed.
 */
export class LiveModel {
  private readonly layout;
  private mainSha = '';
  private main: MainView = { entries: [], badNames: [], byFile: new Map(), maxVersion: '' };
  private readonly raws = new Map<string, InstanceRaw>();
  private readonly heads = new Map<string, Map<string, string>>();
  /** Dropped when an instance's raw state (or main) changes. */
  private readonly views = new Map<string, InstanceView>();
  private last = '';

  constructor(
    private readonly config: ResolvedConfig,
    private readonly mainRef: string,
    private readonly onReport: (r: CheckReport) => void,
  ) {
    this.layout = layoutOf(config);
  }

  async start(): Promise<void> {
    await Promise.all([this.readMain(), ...this.config.instances.map((i) => this.readInstance(i))]);
    this.emit();
  }

  /** `files` null: re-read the instance with git; else re-hash just those files against HEAD. */
  async refreshInstance(inst: ResolvedInstance, files: Set<string> | null): Promise<void> {
    const head = this.heads.get(inst.id);
    if (files === null || !head || !(await isWorktree(inst.worktreePath))) {
      await this.readInstance(inst);
    } else {
      let worktree = this.raws.get(inst.id)?.worktree ?? [];
      for (const rel of files) {
        const oid = await fileOid(path.join(inst.worktreePath, rel));
        worktree = applyFileChange(worktree, head, rel, oid);
      }
      this.raws.set(inst.id, { branch: this.raws.get(inst.id)?.branch ?? [], worktree });
    }
    this.views.delete(inst.id);
    this.emit();
  }

  /** Main moved: a new base changes every instance's "commits not on main". */
  async refreshMain(): Promise<void> {
    if (!(await this.readMain())) return;
    const { config, mainRef, layout } = this;
    const ranges = await Promise.all(
      config.instances.map(async (i) =>
        (await isWorktree(i.worktreePath))
          ? readRange(i.worktreePath, `${mainRef}...HEAD`, layout)
          : readRange(config.rootDir, `${mainRef}...refs/heads/${i.branch}`, layout),
      ),
    );
    config.instances.forEach((i, k) =>
      this.raws.set(i.id, { ...(this.raws.get(i.id) ?? { worktree: [] }), branch: ranges[k]! }),
    );
    this.views.clear();
    this.emit();
  }

  private async readMain(): Promise<boolean> {
    const sha = await gitOut(['rev-parse', '-q', '--verify', this.mainRef], {
      cwd: this.config.rootDir,
      readOnly: true,
      allowFail: true,
    });
    if (sha === this.mainSha) return false;
    const tree = await readTree(this.config.rootDir, this.mainRef, this.layout);
    if (tree) this.main = tree;
    this.mainSha = sha;
    this.views.clear();
    return true;
  }

  private async readInstance(i: ResolvedInstance): Promise<void> {
    const wt = await isWorktree(i.worktreePath);
    const [raw, head] = await Promise.all([
      readInstanceRaw(this.config.rootDir, i.worktreePath, i.branch, this.mainRef, this.layout),
      wt ? readHeadTree(i.worktreePath, this.layout) : null,
    ]);
    this.raws.set(i.id, raw);
    if (head) this.heads.set(i.id, head);
    else this.heads.delete(i.id);
    this.views.delete(i.id);
  }

  private viewOf(i: ResolvedInstance): InstanceView {
    let v = this.views.get(i.id);
    if (!v) {
      const raw = this.raws.get(i.id) ?? { branch: [], worktree: [] };
      v = instanceView(i.id, i.band, raw, this.main, this.layout);
      this.views.set(i.id, v);
    }
    return v;
  }

  private emit(): void {
    const model: FleetModel = {
      main: this.main,
      instances: this.config.instances.map((i) => this.viewOf(i)),
    };
    const report = buildReport(model, settingsOf(this.config));
    const key = JSON.stringify(report);
    if (key === this.last) return;
    this.last = key;
    this.onReport(report);
  }
}
