import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { FSWatcher } from 'chokidar';

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Keeps a chokidar watcher (depth 0) on a set of directories that may not exist yet: a missing
 * directory is stood in for by its nearest existing ancestor until it appears (chokidar does
 * not report paths that do not exist when they are added). `onAppear` fires when a directory
 * becomes watched later, since files created before that produce no events.
 */
export class DirTargets {
  private readonly watched = new Set<string>();
  private readonly present = new Set<string>();

  private watcher: FSWatcher | null = null;

  constructor(
    private readonly targets: string[],
    private readonly onAppear: (dir: string) => void,
  ) {}

  /** Resolve the targets once and hand back the paths to create the watcher with. */
  async start(create: (paths: string[]) => FSWatcher): Promise<FSWatcher> {
    await this.sync(true);
    this.watcher = create([...this.watched]);
    return this.watcher;
  }

  /** Re-resolve every target: call at start and whenever a directory is added or removed. */
  async sync(initial = false): Promise<void> {
    const want = new Set<string>();
    for (const t of this.targets) {
      let p = t;
      while (!(await isDir(p))) {
        const up = path.dirname(p);
        if (up === p) break;
        p = up;
      }
      want.add(p);
      const was = this.present.has(t);
      if (p === t && !was) {
        this.present.add(t);
        if (!initial) this.onAppear(t);
      } else if (p !== t && was) {
        this.present.delete(t);
        this.onAppear(t);
      }
    }
    const add = [...want].filter((p) => !this.watched.has(p));
    const drop = [...this.watched].filter((p) => !want.has(p));
    if (this.watcher && add.length) this.watcher.add(add);
    if (this.watcher && drop.length) this.watcher.unwatch(drop);
    add.forEach((p) => this.watched.add(p));
    drop.forEach((p) => this.watched.delete(p));
  }
}
