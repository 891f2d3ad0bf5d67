import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gitBytes, GitStream } from '../git/run.js';

/**
 * Building the chain without a checkout: trees come from `git merge-tree`, and the commits that
 * hold them are written in batches with `git hash-object -t commit --stdin-paths`. Their ids are
 * computed here first (so the next commit can name its parent without waiting for git) and then
 * checked against what git wrote.
 *
 * Commit objects are bytes: the message, the author and committer names and any header may be
 * in an encoding other than UTF-8 (the `encoding` header says which). Nothing here decodes them.
 */
export interface RawCommit {
  sha: string;
  parents: string[];
  tree: string;
  /**
   * Every header line except tree and parent, verbatim, continuation lines included (`author`,
   * `committer`, `encoding`, unknown ones). Signatures are left out: they sign the old object.
   */
  headers: Buffer[];
  message: Buffer;
}

const SIGNATURE_HEADERS = new Set(['gpgsig', 'gpgsig-sha256', 'mergetag']);
const NL = 0x0a;

/** Parse one commit object's body (what `cat-file` prints after its header line). */
export function parseCommit(sha: string, body: Buffer): RawCommit {
  let split = body.indexOf('\n\n');
  if (split < 0) split = body.length;
  const c: RawCommit = {
    sha,
    tree: '',
    parents: [],
    headers: [],
    message: body.subarray(Math.min(split + 2, body.length)),
  };
  let pos = 0;
  while (pos < split) {
    // A header runs to the first newline not followed by a space (continuation lines).
    let end = body.indexOf(NL, pos);
    while (end >= 0 && end < split && body[end + 1] === 0x20) end = body.indexOf(NL, end + 1);
    if (end < 0 || end > split) end = split;
    const line = body.subarray(pos, end);
    const sp = line.indexOf(0x20);
    const key = line.subarray(0, sp < 0 ? line.length : sp).toString('latin1');
    const value = sp < 0 ? '' : line.subarray(sp + 1).toString('latin1');
    if (key === 'tree') c.tree = value;
    else if (key === 'parent') c.parents.push(value);
    else if (!SIGNATURE_HEADERS.has(key)) c.headers.push(line);
    pos = end + 1;
  }
  return c;
}

/** Parse `git cat-file --batch` output: sizes are byte counts, so this walks bytes. */
export function parseBatch(out: Buffer): Map<string, RawCommit> {
  const map = new Map<string, RawCommit>();
  let pos = 0;
  while (pos < out.length) {
    const nl = out.indexOf(NL, pos);
    if (nl < 0) break;
    const [sha, type, size] = out.subarray(pos, nl).toString('latin1').split(' ');
    if (type === 'missing' || size === undefined || !/^[0-9]+$/.test(size)) {
      pos = nl + 1;
      continue;
    }
    const end = nl + 1 + Number(size);
    if (end > out.length) throw new Error('git cat-file --batch output is truncated');
    if (type === 'commit' && sha) map.set(sha, parseCommit(sha, out.subarray(nl + 1, end)));
    pos = end + 1; // the newline after the object
  }
  return map;
}

/** Read commits verbatim (`cat-file --batch`): every header and the message kept byte for byte. */
export async function readCommits(
  cwd: string,
  shas: readonly string[],
  env?: Record<string, string>,
): Promise<Map<string, RawCommit>> {
  if (shas.length === 0) return new Map();
  const { stdout } = await gitBytes(['cat-file', '--batch'], {
    cwd,
    env,
    readOnly: true,
    input: `${[...new Set(shas)].join('\n')}\n`,
  });
  return parseBatch(stdout);
}

/** The body of a commit object: tree, parents, then the given header lines and the message. */
export function commitBody(c: {
  tree: string;
  parents: readonly string[];
  headers: readonly Buffer[];
  message: Buffer;
}): Buffer {
  const top = [`tree ${c.tree}`, ...c.parents.map((p) => `parent ${p}`)].join('\n');
  const parts: Buffer[] = [Buffer.from(`${top}\n`, 'latin1')];
  for (const h of c.headers) parts.push(h, Buffer.from('\n'));
  parts.push(Buffer.from('\n'), c.message);
  return Buffer.concat(parts);
}

/** Headers of a commit fleet-tui makes itself (scaffolds, merge commits): `ident` from git var. */
export function ownHeaders(ident: string): Buffer[] {
  return [Buffer.from(`author ${ident}`), Buffer.from(`committer ${ident}`)];
}

function objectId(format: string, type: string, body: Buffer): string {
  const hash = createHash(format === 'sha256' ? 'sha256' : 'sha1');
  hash.update(`${type} ${body.length}\0`);
  hash.update(body);
  return hash.digest('hex');
}

/** Objects computed but not yet written; `flush` hands them to one long-running hash-object. */
export class ObjectWriter {
  private pending: Array<{ id: string; body: Buffer }> = [];
  private dir: string | null = null;
  private seq = 0;
  private stream: GitStream | null = null;

  constructor(
    private readonly cwd: string,
    readonly format: string,
    private readonly env?: Record<string, string>,
  ) {}

  commit(body: Buffer): string {
    const id = objectId(this.format, 'commit', body);
    this.pending.push({ id, body });
    return id;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    // Written synchronously: a handful of files of a few hundred bytes each, where a promise
    // write costs trips through libuv's thread pool between each merge-tree of the chain.
    this.dir ??= mkdtempSync(path.join(os.tmpdir(), 'fleet-objects-'));
    const dir = this.dir;
    const files = batch.map(() => path.join(dir, `${this.seq++}`));
    batch.forEach((o, k) => writeFileSync(files[k]!, o.body));
    const stream = this.start();
    stream.send(`${files.join('\n')}\n`);
    for (const o of batch) {
      const written = await stream.take((buf) => {
        const nl = buf.indexOf('\n');
        return nl < 0 ? null : { value: buf.slice(0, nl), used: nl + 1 };
      });
      if (written !== o.id) {
        throw new Error(
          `commit object id mismatch (computed ${o.id}, git wrote ${written}) — please report this`,
        );
      }
    }
  }

  /**
   * Start the writer's git process now (the land does once it knows there is a chain to build,
   * so the chain's first merge-tree does not wait for its spawn); flush starts it otherwise.
   */
  start(): GitStream {
    return (this.stream ??= new GitStream(['hash-object', '-w', '-t', 'commit', '--stdin-paths'], {
      cwd: this.cwd,
      env: this.env,
    }));
  }

  /** End the writer process and remove its files (again: nothing to do). */
  async close(): Promise<void> {
    const { stream, dir } = this;
    this.stream = null;
    this.dir = null;
    await stream?.end();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
