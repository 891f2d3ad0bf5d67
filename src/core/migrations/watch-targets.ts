import { watch as fsWatch, type FSWatcher as FsWatcher } from 'node:fs';
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

/** `file` null: the OS dropped events (queue overflow) — re-read everything in `dir`. */
export type DirEvent = (dir: string, file: string | null) => void;

interface Current {
  at: string;
  close(): Promise<void>;
}

/**
 * Watches directories (not recursively) that may not exist yet.
 *
 * An existing directory gets `fs.watch` (inotify/FSEvents), which names the changed file at
 * once. chokidar re-reads and stats the whole directory on every change, throttled to 1 s;
 * with 5,000 migrations that alone costs 0.5–1 s per event, four times the latency budget.
 * A missing directory is stood in for by chokidar (depth 0) on its nearest existing ancestor —
 * small directories, where chokidar's portable add/remove events are what we want — until it
 * appears; `onAppear` then fires, since files created before the switch made no events.
 */
export class DirTargets {
  private readonly current = new Map<string, Current>();
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
    const next = at === target ? this.watchTarget(target) : this.watchAncestor(at);
    if (!next) return;
    this.current.set(target, next);
    if (cur) await cur.close();
    if (at === target && !initial) this.onAppear(target);
  }

  private watchTarget(dir: string): Current | null {
    let w: FsWatcher;
    try {
      w = fsWatch(dir, { persistent: true }, (_event, file) => {
        const name = file === null ? null : file.toString();
        // inotify names the directory itself when it is deleted or moved away.
        if (name === path.basename(dir)) void this.sync();
        this.onEvent(dir, name === null ? null : path.join(dir, name));
      });
    } catch {
      return null;
    }
    // The directory itself went away (or the watch broke): fall back to its ancestor.
    w.on('error', () => void this.sync());
    return {
      at: dir,
      close: () => {
        w.close();
        return Promise.resolve();
      },
    };
  }

  private watchAncestor(at: string): Current {
    const w: FSWatcher = watch(at, { ignoreInitial: true, depth: 0, atomic: false });
    w.on('error', () => undefined);
    w.on('addDir', () => void this.sync());
    // The next level may have appeared while this watch was starting: look once it is up.
    w.once('ready', () => void this.sync());
    return { at, close: () => w.close() };
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.current.values()].map((c) => c.close()));
  }
}
