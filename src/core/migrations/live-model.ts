import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { gitOut } from '../git/run.js';
import { layoutOf, settingsOf } from './check.js';
import { applyFileChange } from './incremental.js';
import { buildMainView, type FleetModel, type InstanceView, type MainView } from './model.js';
import { buildReport } from './report.js';
import {
  fileState,
  isWorktree,
  readHeadTree,
  readInstanceRaw,
  readRange,
  readTree,
  type InstanceRaw,
} from './sources.js';
import type { CheckReport, UnreachableHost } from './types.js';
import { instanceView } from './view.js';
import { withHostErrors } from './hosts/fleet-read.js';
import type { HostInstanceRead } from './hosts/read.js';

/**
 * The migration watcher's cached model of the fleet: main's migrations, each instance's raw
 * state (its commits not on main, its worktree files) and the views derived from them. Each
 * refresh re-reads only its part and reports when the problem list changed.
 */
export class LiveModel {
  private readonly layout;
  private mainSha = '';
  private main: MainView = buildMainView([], []);
  private readonly raws = new Map<string, InstanceRaw>();
  private readonly heads = new Map<string, Map<string, string>>();
  /** Dropped when an instance's raw state (or main) changes. */
  private readonly views = new Map<string, InstanceView>();
  private last = '';
  /** Instances on this machine; those on SSH hosts are read by their host's watcher (setHostReads). */
  private readonly local: ResolvedInstance[];
  private readonly down = new Map<string, UnreachableHost>();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly mainRef: string,
    private readonly onReport: (r: CheckReport) => void,
  ) {
    this.layout = layoutOf(config);
    this.local = config.instances.filter((i) => !i.host);
  }

  async start(): Promise<void> {
    await Promise.all([this.readMain(), ...this.local.map((i) => this.readInstance(i))]);
    this.emit();
  }

  /** A host watcher's fresh reads of its instances. */
  setHostReads(reads: Map<string, HostInstanceRead>): void {
    for (const [id, r] of reads) {
      this.raws.set(id, r.raw);
      this.views.delete(id);
    }
    this.emit();
  }

  /** A host went away (its instances keep their last known state) or came back (`error` null). */
  setHostDown(host: string, error: string | null): void {
    if (error === null) this.down.delete(host);
    else {
      const instances = this.config.instances.filter((i) => i.host === host).map((i) => i.id);
      this.down.set(host, { host, hostError: error, instances });
    }
    this.emit();
  }

  /** `files` null: re-read the instance with git; else re-hash just those files against HEAD. */
  async refreshInstance(inst: ResolvedInstance, files: Set<string> | null): Promise<void> {
    if (inst.host) return;
    const head = this.heads.get(inst.id);
    if (files === null || !head || !(await isWorktree(inst.worktreePath))) {
      await this.readInstance(inst);
    } else {
      let worktree = this.raws.get(inst.id)?.worktree ?? [];
      for (const rel of files) {
        const file = await fileState(inst.worktreePath, rel);
        const why = 'skipped' in file ? file.skipped : undefined;
        worktree = applyFileChange(worktree, head, rel, file.oid, why);
      }
      this.raws.set(inst.id, { branch: this.raws.get(inst.id)?.branch ?? [], worktree });
    }
    this.views.delete(inst.id);
    this.emit();
  }

  /** Main moved: a new base changes every instance's "commits not on main". True if it moved. */
  async refreshMain(): Promise<boolean> {
    if (!(await this.readMain())) return false;
    const { config, mainRef, layout } = this;
    const ranges = await Promise.all(
      this.local.map(async (i) =>
        (await isWorktree(i.worktreePath))
          ? readRange(i.worktreePath, `${mainRef}...HEAD`, layout)
          : readRange(config.rootDir, `${mainRef}...refs/heads/${i.branch}`, layout),
      ),
    );
    this.local.forEach((i, k) =>
      this.raws.set(i.id, { ...(this.raws.get(i.id) ?? { worktree: [] }), branch: ranges[k]! }),
    );
    this.views.clear();
    this.emit();
    return true;
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
    const hosts = [...this.down.values()].sort((a, b) => a.host.localeCompare(b.host));
    const report = withHostErrors(buildReport(model, settingsOf(this.config)), hosts);
    const key = JSON.stringify(report);
    if (key === this.last) return;
    this.last = key;
    this.onReport(report);
  }
}
