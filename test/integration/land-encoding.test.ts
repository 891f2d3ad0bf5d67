// Issue "Never lose work", item 1: commit messages that are not UTF-8 used to desynchronise the
// `cat-file --batch` parse (sizes are bytes), so every commit read after one went missing and
// the landed message was corrupted. Now objects are read as bytes and replayed verbatim.
import { execFileSync } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { land } from '../../src/core/land/index.js';
import { parseBatch } from '../../src/core/land/objects.js';
import type { FleetFixture } from '../helpers/git-fixture.js';
import {
  commitEncoded,
  commitIdentity,
  ENCODED,
  identitiesOn,
} from '../helpers/encoded-commits.js';
import { fleetWithConfig, mainSubjects } from '../helpers/land-helpers.js';

describe('land: commit messages in ISO-8859-1, Shift-JIS and EUC-JP', () => {
  let fx: FleetFixture | undefined;
  afterEach(async () => {
    await fx?.cleanup();
    fx = undefined;
  });

  it('every commit lands with its message bytes, encoding header, author and committer, and no later commit is lost', async () => {
    const f = await fleetWithConfig({ instances: 4 });
    fx = f.fx;
    const [ps1, ps2, ps3, ps4] = fx.instances;
    const mine: string[] = [];
    // Each encoded commit is followed by ordinary ones, in its own and in later instances.
    mine.push(await commitEncoded(fx, ps1!.worktree, { 'ps1/a.txt': 'a\n' }, 'latin1', 'one'));
    mine.push(await fx.commit(ps1!.worktree, { 'ps1/b.txt': 'b\n' }, 'ps1: after latin1'));
    mine.push(await commitEncoded(fx, ps2!.worktree, { 'ps2/a.txt': 'a\n' }, 'sjis', 'two'));
    mine.push(await commitEncoded(fx, ps2!.worktree, { 'ps2/b.txt': 'b\n' }, 'eucjp', 'three'));
    mine.push(await fx.commit(ps2!.worktree, { 'ps2/c.txt': 'c\n' }, 'ps2: after eucjp'));
    mine.push(await commitEncoded(fx, ps3!.worktree, { 'ps3/a.txt': 'a\n' }, 'eucjp', 'four'));
    mine.push(await fx.commit(ps4!.worktree, { 'ps4/a.txt': 'a\n' }, 'ps4: plain'));
    mine.push(await commitEncoded(fx, ps4!.worktree, { 'ps4/b.txt': 'b\n' }, 'sjis', 'five'));
    const r = await land(f.config, { all: true });
    expect(r.ok, JSON.stringify(r.instances)).toBe(true);
    expect(r.instances.map((i) => [i.id, i.outcome, i.commits])).toEqual([
      ['ps1', 'landed', 2],
      ['ps2', 'landed', 3],
      ['ps3', 'landed', 1],
      ['ps4', 'landed', 2],
    ]);
    expect(await mainSubjects(fx)).toHaveLength(1 + mine.length);
    // Byte for byte: every header but tree and parent, the blank line and the message.
    const onMain = identitiesOn(fx.origin, 'main');
    for (const sha of mine) {
      const id = commitIdentity(fx.repo, sha);
      expect(onMain.has(id.toString('hex')), `${sha} ${id.toString('latin1')}`).toBe(true);
    }
    const latin1 = execFileSync('git', ['log', '-1', '--format=%B', '--grep=one', 'main'], {
      cwd: fx.origin,
      env: { ...process.env, LC_ALL: 'C' },
    });
    // git log re-encodes to UTF-8 for display: proof the header still names the encoding.
    expect(latin1.toString('utf8')).toContain('café crème naïve');
    for (const i of fx.instances) {
      expect(await fx.git(i.worktree, 'rev-parse', 'HEAD')).toBe(r.main.after);
    }
  });

  it('parseBatch walks byte counts: a message with invalid UTF-8 does not hide the next object', () => {
    const body = (msg: Buffer) =>
      Buffer.concat([
        Buffer.from(`tree ${'a'.repeat(40)}\nauthor A <a@b> 1 +0000\ncommitter C <c@d> 1 +0000\n`),
        Buffer.from('encoding ISO-8859-1\n\n'),
        msg,
      ]);
    const one = body(Buffer.concat([ENCODED.latin1.bytes, Buffer.from('\n')]));
    const two = body(Buffer.concat([ENCODED.sjis.bytes, Buffer.from('\n')]));
    const out = Buffer.concat([
      Buffer.from(`${'1'.repeat(40)} commit ${one.length}\n`),
      one,
      Buffer.from('\n'),
      Buffer.from(`${'2'.repeat(40)} commit ${two.length}\n`),
      two,
      Buffer.from('\n'),
    ]);
    const map = parseBatch(out);
    expect([...map.keys()]).toEqual(['1'.repeat(40), '2'.repeat(40)]);
    expect(map.get('2'.repeat(40))!.message.equals(two.subarray(two.length - 13))).toBe(true);
    expect(map.get('1'.repeat(40))!.headers.map((h) => h.toString('latin1'))).toEqual([
      'author A <a@b> 1 +0000',
      'committer C <c@d> 1 +0000',
      'encoding ISO-8859-1',
    ]);
  });
});
