import { stat } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

export type DirEvent = (event: string, file: string) => void;

/**
 * Watches directories (depth 0) that may not exist yet. chokidar does not report a path that is
 * missing when it is added, so a missing directory is stood in for by its nearest existing
 * ancestor (depth 0 too) until it appears. Each target has its own chokidar instance: swapping
 * is close + watch, because chokidar's `unwatch(dir)` also ignores everything below `dir`.
 * `onAppear` fires when a target becomes watched late: files created before that make no events.
 */
export class DirTargets {
  private readonly current = new Map<
    string,
    { at: string; watcher: FSWatcher; ready: Promise<void> }
  >();
  private closed = false;

  constructor(
    private readonly targets: string[],
    private readonly onEvent: DirEvent,
    private readonly onAppear: (dir: string) => void,
  ) {}

  /** Re-resolve every target; call at start and when a directory is added or removed. */
  async sync(initial = false): Promise<void> {
    await Promise.all(this.targets.map((t) => this.syncOne(t, initial)));
  }

  private async syncOne(target: string, initial: boolean): Promise<void> {
    let at = target;
    while (!(await isDir(at)) && path.dirname(at) !== at) at = path.dirname(at);
    const cur = this.current.get(target);
    if (this.closed || cur?.at === at) return;
    const watcher = watch(at, {
      ignoreInitial: true,
      atomic: false,
      depth: 0,
      awaitWriteFinish: false,
    });
    const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
    this.current.set(target, { at, watcher, ready });
    watcher.on('error', () => undefined);
    watcher.on('all', (event, file) => {
      if (at === target) this.onEvent(event, file);
      if (event === 'addDir' || event === 'unlinkDir') void this.sync();
    });
    if (cur) await cur.watcher.close();
    if (at === target && !initial) {
      await ready;
      this.onAppear(target);
    }
  }

  /** Resolves when every current watcher has done its initial scan. */
  async ready(): Promise<void> {
    await Promise.all([...this.current.values()].map((c) => c.ready));
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.current.values()].map((c) => c.watcher.close()));
  }
}
