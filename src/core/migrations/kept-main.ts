import type { BadNameEntry, MainView, MigrationEntry } from './model.js';
import type { Layout } from './sources.js';

/**
 * Main's migrations as read-cache.ts keeps them, read without building them. A check asks main
 * about a few dozen files and versions (those the instances add or touch), so the kept form is
 * text searched in place: parsing 5,000 rows into objects (as JSON did) cost a cold process
 * ≈ 60 ms of CPU and most of its garbage collections.
 *
 * The text: a JSON header line `{n, w, max, repeated, bad}`, then main's n migrations in git's
 * order, each `file NUL version NUL name NUL oid /` (a file name holds neither NUL nor `/`; its
 * version and name are parts of it), then two orders of them as n row numbers each, base 36 in
 * w characters: by file name, and by version (then row). Both are binary-searched.
 */

interface Header {
  n: number;
  w: number;
  max: string;
  repeated: string[];
  bad: string[];
}

const widthFor = (n: number) => Math.max(1, (n - 1).toString(36).length);
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The text for `main`; null when its file names are not unique (not a tree's, not kept). */
export function encodeMain(main: MainView): string | null {
  const es = main.entries;
  const n = es.length;
  const w = widthFor(n);
  const rows = es.map((_, i) => i);
  const byFile = [...rows].sort((a, b) => byText(es[a]!.file, es[b]!.file));
  for (let k = 1; k < n; k++) if (es[byFile[k]!]!.file === es[byFile[k - 1]!]!.file) return null;
  const byVersion = [...rows].sort((a, b) => byText(es[a]!.version, es[b]!.version) || a - b);
  const header: Header = {
    n,
    w,
    max: main.maxVersion,
    repeated: main.repeated,
    bad: main.badNames.map((b) => b.file),
  };
  const num = (i: number) => i.toString(36).padStart(w, '0');
  return [
    `${JSON.stringify(header)}\n`,
    es.map((e) => `${e.file}\0${e.version}\0${e.name}\0${e.oid}/`).join(''),
    byFile.map(num).join(''),
    byVersion.map(num).join(''),
  ].join('');
}

const isStr = (v: unknown): v is string => typeof v === 'string';

function parseHeader(line: string): Header | null {
  let h: unknown;
  try {
    h = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof h !== 'object' || h === null) return null;
  const { n, w, max, repeated, bad } = h as Record<string, unknown>;
  if (!Number.isSafeInteger(n) || (n as number) < 0 || w !== widthFor(n as number)) return null;
  if (!isStr(max) || !Array.isArray(repeated) || !repeated.every(isStr)) return null;
  if (!Array.isArray(bad) || !bad.every(isStr)) return null;
  return { n: n as number, w, max, repeated, bad };
}

/** Row numbers of one order; null unless each row appears once. */
function readOrder(text: string, at: number, n: number, w: number): Int32Array | null {
  const order = new Int32Array(n);
  const seen = new Uint8Array(n);
  for (let k = 0, p = at; k < n; k++) {
    let v = 0;
    for (let j = 0; j < w; j++, p++) {
      const c = text.charCodeAt(p);
      const d = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 122 ? c - 87 : -1;
      if (d < 0) return null;
      v = v * 36 + d;
    }
    if (v >= n || seen[v]) return null;
    seen[v] = 1;
    order[k] = v;
  }
  return order;
}

/**
 * Main's view over a kept text; null when the text is not one encodeMain wrote (its shape is
 * checked row by row: a checksummed text of another writer is read from git again).
 */
export function decodeMain(text: string, layout: Layout): MainView | null {
  const nl = text.indexOf('\n');
  const h = nl < 0 ? null : parseHeader(text.slice(0, nl));
  if (!h) return null;
  const { n, w } = h;
  // Row k is text[starts[k], starts[k + 1] - 1), its fields cut at three NULs.
  const starts = new Int32Array(n + 1);
  let p = nl + 1;
  for (let k = 0; k < n; k++) {
    starts[k] = p;
    const end = text.indexOf('/', p);
    if (end < 0) return null;
    for (let f = 0; f < 3; f++) {
      p = text.indexOf('\0', p) + 1;
      if (p === 0 || p > end) return null;
    }
    const extra = text.indexOf('\0', p);
    if (extra >= 0 && extra < end) return null;
    p = end + 1;
  }
  starts[n] = p;
  if (text.length !== p + 2 * n * w) return null;
  const byFile = readOrder(text, p, n, w);
  const byVersion = byFile && readOrder(text, p + n * w, n, w);
  if (!byFile || !byVersion) return null;

  const at = (file: string) => (layout.dir === '.' ? file : `${layout.dir}/${file}`);
  const field = (k: number, f: number) => {
    let s = starts[k]!;
    for (let i = 0; i < f; i++) s = text.indexOf('\0', s) + 1;
    const e = f === 3 ? starts[k + 1]! - 1 : text.indexOf('\0', s);
    return text.slice(s, e);
  };
  const made: Array<MigrationEntry | undefined> = [];
  const entry = (k: number): MigrationEntry => {
    let e = made[k];
    if (!e) {
      const [file, version, name, oid] = text.slice(starts[k], starts[k + 1]! - 1).split('\0');
      e = {
        instance: null,
        where: 'main',
        path: at(file!),
        file: file!,
        version: version!,
        name: name!,
        oid: oid!,
      };
      made[k] = e;
    }
    return e;
  };
  /** The first position in `order` whose row's field `f` is not below `key`. */
  const lowerBound = (order: Int32Array, f: number, key: string) => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (field(order[mid]!, f) < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const byName = (file: string) => {
    const i = lowerBound(byFile, 0, file);
    return i < n && field(byFile[i]!, 0) === file ? entry(byFile[i]!) : undefined;
  };
  let entries: MigrationEntry[] | undefined;
  const badNames: BadNameEntry[] = h.bad.map((file) => ({
    instance: null,
    where: 'main',
    path: at(file),
    file,
  }));
  return {
    get entries() {
      entries ??= Array.from({ length: n }, (_, k) => entry(k));
      return entries;
    },
    badNames,
    maxVersion: h.max,
    // A tree's file names are unique (encodeMain keeps no other): one migration per row.
    count: n,
    repeated: h.repeated,
    byName,
    holds: (e) => byName(e.file)?.oid === e.oid,
    withVersion(version) {
      const out: MigrationEntry[] = [];
      for (let i = lowerBound(byVersion, 1, version); i < n; i++) {
        if (field(byVersion[i]!, 1) !== version) break;
        out.push(entry(byVersion[i]!));
      }
      return out;
    },
    versionsFrom(prefix) {
      const out: string[] = [];
      for (let i = lowerBound(byVersion, 1, prefix); i < n; i++) {
        const v = field(byVersion[i]!, 1);
        if (!v.startsWith(prefix)) break;
        if (out.at(-1) !== v) out.push(v);
      }
      return out;
    },
  };
}
