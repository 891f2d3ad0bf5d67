// Commits whose messages are not UTF-8, made the way people make them
// (`git -c i18n.commitEncoding=… commit -F file`), and a byte-exact view of commit objects.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FleetFixture } from './git-fixture.js';

/** Message bytes in three encodings; none of them is valid UTF-8. */
export const ENCODED: Record<'latin1' | 'sjis' | 'eucjp', { encoding: string; bytes: Buffer }> = {
  // "café crème — naïve" in ISO-8859-1
  latin1: {
    encoding: 'ISO-8859-1',
    bytes: Buffer.concat([
      Buffer.from('caf'),
      Buffer.from([0xe9]),
      Buffer.from(' cr'),
      Buffer.from([0xe8]),
      Buffer.from('me na'),
      Buffer.from([0xef]),
      Buffer.from('ve'),
    ]),
  },
  // "日本ソテスト" in Shift-JIS: 0x5c ("\") as a trail byte, the classic trap
  sjis: {
    encoding: 'Shift_JIS',
    bytes: Buffer.from([0x93, 0xfa, 0x96, 0x7b, 0x83, 0x5c, 0x83, 0x65, 0x83, 0x58, 0x83, 0x67]),
  },
  // "日本テスト" in EUC-JP
  eucjp: {
    encoding: 'EUC-JP',
    bytes: Buffer.from([0xc6, 0xfc, 0xcb, 0xdc, 0xa5, 0xc6, 0xa5, 0xb9, 0xa5, 0xc8]),
  },
};

let counter = 0;

/** Commit `files` in `cwd` with a message made of `subject` bytes in `encoding`. */
export async function commitEncoded(
  fx: FleetFixture,
  cwd: string,
  files: Record<string, string | Buffer>,
  kind: keyof typeof ENCODED,
  suffix = '',
): Promise<string> {
  const { encoding, bytes } = ENCODED[kind];
  for (const [rel, content] of Object.entries(files)) {
    await fx.write(cwd, { [rel]: '' });
    await writeFile(path.join(cwd, rel), content);
  }
  await fx.git(cwd, 'add', '--', ...Object.keys(files));
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-msg-'));
  const msg = path.join(dir, 'msg');
  await writeFile(
    msg,
    Buffer.concat([
      bytes,
      Buffer.from(` ${suffix}\n\n`),
      bytes,
      Buffer.from('\nThe body goes on in plain words, as bodies do.\n'),
    ]),
  );
  counter++;
  const date = new Date(Date.UTC(2026, 1, 1) + counter * 60_000).toISOString();
  execFileSync('git', ['-c', `i18n.commitEncoding=${encoding}`, 'commit', '-q', '-F', msg], {
    cwd,
    env: { ...process.env, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
  await rm(dir, { recursive: true, force: true });
  return fx.git(cwd, 'rev-parse', 'HEAD');
}

/** A commit object's bytes without its tree and parent lines: what a replay must keep. */
export function commitIdentity(cwd: string, sha: string): Buffer {
  const raw = execFileSync('git', ['cat-file', 'commit', sha], { cwd });
  const end = raw.indexOf('\n\n');
  const head = raw
    .subarray(0, end)
    .toString('latin1')
    .split('\n')
    .filter((l) => !l.startsWith('tree ') && !l.startsWith('parent '))
    .join('\n');
  return Buffer.concat([Buffer.from(head, 'latin1'), raw.subarray(end)]);
}

/** Every commit reachable from `ref` in `cwd`, as commitIdentity hex strings. */
export function identitiesOn(cwd: string, ref: string): Set<string> {
  const shas = execFileSync('git', ['rev-list', ref, '--'], { cwd })
    .toString('latin1')
    .split('\n')
    .filter(Boolean);
  return new Set(shas.map((s) => commitIdentity(cwd, s).toString('hex')));
}
