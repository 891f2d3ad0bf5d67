import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { git, GitStream } from '../git/run.js';

/**
 * Building the chain without a checkout: trees come from `git merge-tree`, and the commits that
 * hold them are written in batches with `git hash-object -t commit --stdin-paths`. Their ids are
 * computed here first (so the next commit can name its parent without waiting for git) and then
 * checked against what git wrote.
 */
export interface RawCommit {
  sha: string;
  parents: string[];
  tree: string;
  /** The `author …` header line, verbatim. */
  author: string;
  /** Optional `encoding …` header line. */
  encoding: string | null;
  message: string;
}

/** Read commits verbatim (`cat-file --batch`): author line and message kept byte for byte. */
export async function readCommits(
  cwd: string,
  shas: readonly string[],
  env?: Record<string, string>,
): Promise<Map<string, RawCommit>> {
  const map = new Map<string, RawCommit>();
  if (shas.length === 0) return map;
  const { stdout } = await git(['cat-file', '--batch'], {
    cwd,
    env,
    readOnly: true,
    input: `${shas.join('\n')}\n`,
  });
  // Sizes are in bytes: walk the output as a buffer.
  const buf = Buffer.from(stdout, 'utf8');
  let pos = 0;
  while (pos < buf.length) {
    const nl = buf.indexOf(10, pos);
    if (nl < 0) break;
    const [sha, type, size] = buf.subarray(pos, nl).toString('utf8').split(' ');
    if (type === 'missing' || size === undefined) {
      pos = nl + 1;
      continue;
    }
    const end = nl + 1 + Number(size);
    const body = buf.subarray(nl + 1, end).toString('utf8');
    pos = end + 1;
    if (type !== 'commit' || !sha) continue;
    const split = body.indexOf('\n\n');
    const headers = (split < 0 ? body : body.slice(0, split)).split('\n');
    const header = (k: string) =>
      headers.filter((h) => h.startsWith(`${k} `)).map((h) => h.slice(k.length + 1));
    map.set(sha, {
      sha,
      tree: header('tree')[0] ?? '',
      parents: header('parent'),
      author: `author ${header('author')[0] ?? ''}`,
      encoding: header('encoding')[0] ?? null,
      message: split < 0 ? '' : body.slice(split + 2),
    });
  }
  return map;
}

export function commitBody(c: {
  tree: string;
  parents: readonly string[];
  author: string;
  committer: string;
  encoding: string | null;
  message: string;
}): string {
  const lines = [
    `tree ${c.tree}`,
    ...c.parents.map((p) => `parent ${p}`),
    c.author,
    `committer ${c.committer}`,
  ];
  if (c.encoding) lines.push(`encoding ${c.encoding}`);
  return `${lines.join('\n')}\n\n${c.message}`;
}

export function objectId(format: string, type: string, body: string): string {
  const buf = Buffer.from(body, 'utf8');
  const hash = createHash(format === 'sha256' ? 'sha256' : 'sha1');
  hash.update(`${type} ${buf.length}\0`);
  hash.update(buf);
  return hash.digest('hex');
}

/** Objects computed but not yet written; `flush` hands them to one long-running hash-object. */
export class ObjectWriter {
  private pending: Array<{ id: string; body: string }> = [];
  private dir: string | null = null;
  private seq = 0;
  private stream: GitStream | null = null;

  constructor(
    private readonly cwd: string,
    readonly format: string,
    private readonly env?: Record<string, string>,
  ) {}

  commit(body: string): string {
    const id = objectId(this.format, 'commit', body);
    this.pending.push({ id, body });
    return id;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.dir ??= await mkdtemp(path.join(os.tmpdir(), 'fleet-objects-'));
    const files: string[] = [];
    for (const o of batch) {
      const f = path.join(this.dir, `${this.seq++}`);
      await writeFile(f, o.body);
      files.push(f);
    }
    this.stream ??= new GitStream(['hash-object', '-w', '-t', 'commit', '--stdin-paths'], {
      cwd: this.cwd,
      env: this.env,
    });
    this.stream.send(`${files.join('\n')}\n`);
    for (const o of batch) {
      const written = await this.stream.take((buf) => {
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

  async close(): Promise<void> {
    await this.stream?.end();
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }
}
