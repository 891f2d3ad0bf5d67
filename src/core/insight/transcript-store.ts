import { open, readFile, stat } from 'node:fs/promises';
import { mapLimit } from '../git/parallel.js';
import { writeFileAtomic } from '../state/atomic.js';
import { parseClaudeLine } from './claude-transcripts.js';
import { newCodexState, parseCodexLine, type CodexFileState } from './codex-sessions.js';
import type { UsageEntry } from './usage-entry.js';

export type TranscriptKind = 'claude' | 'codex';

/** One transcript file read up to `offset` (always the end of a whole line). */
interface FileRecord {
  kind: TranscriptKind;
  ino: number;
  size: number;
  mtimeMs: number;
  offset: number;
  codex?: CodexFileState;
  /** Keep entries at all: false for Codex sessions of other directories (never needed). */
  keep: boolean;
  entries: UsageEntry[];
}

/** Compact row for the cache file: a month of calls stays a few MB. */
type Row = [
  number,
  string,
  number,
  number,
  number,
  number,
  number | null,
  string | null,
  string | null,
  string,
  string | null,
];

interface CacheFile {
  version: 1;
  files: Record<string, Omit<FileRecord, 'entries'> & { rows: Row[] }>;
}

const toRow = (e: UsageEntry): Row => [
  e.t,
  e.model,
  e.input,
  e.output,
  e.cacheCreation,
  e.cacheRead,
  e.cost,
  e.speed,
  e.key,
  e.sessionId,
  e.cwd,
];
const fromRow = (r: Row, source: TranscriptKind): UsageEntry => ({
  t: r[0],
  model: r[1],
  input: r[2],
  output: r[3],
  cacheCreation: r[4],
  cacheRead: r[5],
  cost: r[6],
  speed: r[7],
  key: r[8],
  sessionId: r[9],
  cwd: r[10],
  source,
});

const CHUNK = 4 * 1024 * 1024;

/** `p` is `dir` or inside it. */
export function isUnder(p: string, dir: string): boolean {
  return p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/**
 * Transcripts read incrementally: each file is read from where the last read stopped, so a
 * refresh costs one `stat` per unchanged file. What was read survives in a cache file (under the
 * git common dir's `fleet-tui/`), so the next process starts where this one stopped.
 */
export class TranscriptStore {
  private files = new Map<string, FileRecord>();
  private dirty = false;
  /** Bytes read by the last refresh (tests and the README's measure). */
  bytesRead = 0;
  /** Grows whenever a file is read, replaced or forgotten: same version, same entries. */
  version = 0;

  /** Entries kept are at or after this time (see `keepFrom`); moves at midnight. */
  private keptFrom = -Infinity;

  constructor(
    private readonly cacheFile: string | null,
    /** Codex sessions whose working directory is outside these directories are not kept. */
    private readonly keepCodexUnder: readonly string[],
    /**
     * Only calls at or after this time are kept, and files last written before it are not read
     * at all (a file untouched since then holds no such call): `status` wants today only, and
     * must not pay for a month of transcripts.
     */
    private readonly keepFrom: (() => number) | null = null,
  ) {}

  /** The day moved on (a long-running reader past midnight): drop what is now too old. */
  private prune(): void {
    if (!this.keepFrom) return;
    const from = this.keepFrom();
    if (from === this.keptFrom) return;
    this.keptFrom = from;
    for (const rec of this.files.values()) {
      if (rec.entries.length > 0 && rec.entries[0]!.t < from) {
        rec.entries = rec.entries.filter((e) => e.t >= from);
        this.dirty = true;
        this.version++;
      }
    }
  }

  async load(): Promise<void> {
    if (!this.cacheFile) return;
    let data: CacheFile;
    try {
      data = JSON.parse(await readFile(this.cacheFile, 'utf8')) as CacheFile;
    } catch {
      return; // no cache yet, or a damaged one: read everything again
    }
    if (data.version !== 1 || typeof data.files !== 'object') return;
    for (const [file, rec] of Object.entries(data.files)) {
      const { rows, ...rest } = rec;
      this.files.set(file, { ...rest, entries: rows.map((r) => fromRow(r, rec.kind)) });
    }
    this.prune();
  }

  private savedAt = 0;

  /** Write the cache if anything changed, at most once per `everyMs` (the TUI refreshes often). */
  async save(everyMs = 0): Promise<void> {
    if (!this.cacheFile || !this.dirty || Date.now() - this.savedAt < everyMs) return;
    this.savedAt = Date.now();
    const data: CacheFile = { version: 1, files: {} };
    for (const [file, { entries, ...rest }] of this.files)
      data.files[file] = { ...rest, rows: entries.map(toRow) };
    await writeFileAtomic(this.cacheFile, JSON.stringify(data));
    this.dirty = false;
  }

  /** Read what was appended to each file since the last time; forget files no longer listed. */
  async refresh(list: Array<{ file: string; kind: TranscriptKind }>): Promise<void> {
    this.bytesRead = 0;
    this.prune();
    const listed = new Set(list.map((l) => l.file));
    for (const file of [...this.files.keys()])
      if (!listed.has(file)) {
        this.files.delete(file);
        this.dirty = true;
        this.version++;
      }
    // A refresh is mostly one stat per file: in parallel, so hundreds of files cost little.
    await mapLimit(list, 16, ({ file, kind }) => this.refreshFile(file, kind));
  }

  entries(file: string): UsageEntry[] {
    return this.files.get(file)?.entries ?? [];
  }

  private async refreshFile(file: string, kind: TranscriptKind): Promise<void> {
    let st;
    try {
      st = await stat(file);
    } catch {
      return;
    }
    let rec = this.files.get(file);
    if (this.keepFrom && st.mtimeMs < this.keptFrom) {
      if (rec) {
        this.files.delete(file);
        this.dirty = true;
        this.version++;
      }
      return;
    }
    if (rec && rec.ino === st.ino && rec.size === st.size && rec.mtimeMs === st.mtimeMs) return;
    // Replaced or truncated (a new inode, or shorter than what was read): read it again whole.
    if (!rec || rec.kind !== kind || rec.ino !== st.ino || st.size < rec.offset) {
      rec = { kind, ino: st.ino, size: 0, mtimeMs: 0, offset: 0, keep: true, entries: [] };
      if (kind === 'codex') rec.codex = newCodexState(file);
      this.files.set(file, rec);
    }
    await this.readFrom(file, rec, st.size);
    rec.ino = st.ino;
    rec.size = st.size;
    rec.mtimeMs = st.mtimeMs;
    this.dirty = true;
    this.version++;
  }

  private async readFrom(file: string, rec: FileRecord, size: number): Promise<void> {
    const fh = await open(file, 'r');
    try {
      let carry = Buffer.alloc(0);
      let pos = rec.offset;
      const sessionId = file.replace(/^.*[\\/]/, '').replace(/\.jsonl$/, '');
      while (pos < size) {
        const buf = Buffer.alloc(Math.min(CHUNK, size - pos));
        const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        this.bytesRead += bytesRead;
        const data = Buffer.concat([carry, buf.subarray(0, bytesRead)]);
        const lastNl = data.lastIndexOf(0x0a);
        if (lastNl < 0) {
          carry = data;
          continue;
        }
        carry = data.subarray(lastNl + 1);
        // Only whole lines: a line being written is read next time, from rec.offset.
        rec.offset = pos - carry.length;
        for (const line of data.subarray(0, lastNl).toString('utf8').split('\n')) {
          const e =
            rec.kind === 'claude'
              ? parseClaudeLine(line, sessionId)
              : parseCodexLine(rec.codex!, line.trim());
          if (rec.kind === 'codex' && rec.keep && rec.codex?.cwd && !this.isKept(rec.codex.cwd)) {
            rec.keep = false;
            rec.entries = [];
          }
          if (e && rec.keep && e.t >= this.keptFrom) rec.entries.push(e);
        }
      }
    } finally {
      await fh.close();
    }
  }

  private isKept(cwd: string): boolean {
    return this.keepCodexUnder.some((d) => isUnder(cwd, d));
  }
}
