// Git processes started together from one `sh` (core/git/run-batch.ts) must answer exactly as
// the same calls spawned one by one: bytes, exit codes, stderr, failures; untrusted arguments
// and directory names are never read by the shell.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import { batchGitSpawns } from '../../src/core/git/run-batch.js';
import { git, gitBytes, type GitOptions } from '../../src/core/git/run.js';
import { startedProcesses } from '../../src/core/git/spawn-count.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

let fx: FleetFixture | undefined;
afterEach(async () => {
  batchGitSpawns(false);
  await fx?.cleanup();
  fx = undefined;
});

type Call = readonly [args: readonly string[], opts: GitOptions];

/** The calls' results (or error messages), all asked for in one turn of the event loop. */
async function answers(calls: readonly Call[]): Promise<unknown[]> {
  return Promise.all(
    calls.map(([args, opts]) =>
      gitBytes(args, opts).then(
        (r) => ({ ...r, stdout: r.stdout.toString('hex') }),
        (e: Error) => ({ error: e.message }),
      ),
    ),
  );
}

it('a batch answers as one spawn per call: bytes, exit codes, stderr, hostile arguments and directories', async () => {
  fx = await makeFleet({ instances: 3 });
  const [a, b, c] = fx.instances.map((i) => i.worktree);
  // A directory name the shell would expand or split if it ever read it as code.
  const odd = path.join(fx.dir, 'we ird $(touch pwned) `x` "q" \'s\' ;|&*');
  await mkdir(odd);
  await fx.git(odd, 'init', '-q');
  await writeFile(path.join(odd, 'f'), 'x\n');
  await fx.write(a!, { 'latin1.txt': Buffer.from([0xe9, 0x00, 0xff, 0x0a]).toString('latin1') });
  await writeFile(path.join(b!, 'bin.dat'), Buffer.from([0, 1, 2, 0xfe, 0xff]));
  await fx.git(b!, 'add', 'bin.dat');
  const blob = await fx.git(b!, 'rev-parse', ':bin.dat');
  const ro = { readOnly: true, allowFail: true };
  const calls: Call[] = [
    [['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all'], { cwd: a!, ...ro }],
    [['status', '--porcelain=v2', '--branch', '-z', '--untracked-files=all'], { cwd: b!, ...ro }],
    [['cat-file', 'blob', blob], { cwd: b!, ...ro }],
    // Fails (exit 128) with a message on stderr.
    [['rev-parse', '--verify', '--end-of-options', 'no-such-ref'], { cwd: c!, ...ro }],
    // Arguments the shell would act on if it read them: passed to git as they are.
    [['log', '-1', '--format=tformat:$(touch pwned) `x` "$HOME" *', '--'], { cwd: c!, ...ro }],
    [['status', '--porcelain=v1', '-z', '-uall', '--', '.'], { cwd: odd, ...ro }],
    // Throws without allowFail, like a spawned one.
    [['rev-parse', '--verify', 'nope'], { cwd: c!, readOnly: true }],
    // A directory that does not exist: the spawn error's message.
    [['status'], { cwd: path.join(fx.dir, 'gone'), ...ro }],
    // Standard input (bytes, shell text), asked to be batched: through a file.
    [
      ['hash-object', '--stdin'],
      { cwd: a!, ...ro, input: Buffer.from('\0\xff $(touch pwned)\n', 'latin1'), batch: true },
    ],
  ];
  const alone = await answers(calls);
  batchGitSpawns(true);
  const before = startedProcesses();
  const together = await answers(calls);
  const after = startedProcesses();
  // All nine from one sh; node started no git itself.
  expect([(after.sh ?? 0) - (before.sh ?? 0), (after.git ?? 0) - (before.git ?? 0)]).toEqual([
    1, 0,
  ]);
  expect(together).toEqual(alone);
  expect((together[4] as { stdout: string }).stdout).toBe(
    Buffer.from('$(touch pwned) `x` "$HOME" *\n').toString('hex'),
  );
  expect(together[2]).toMatchObject({ stdout: '000102feff', exitCode: 0 });
  const content = Buffer.from('\0\xff $(touch pwned)\n', 'latin1');
  const blobId = createHash('sha1')
    .update(Buffer.concat([Buffer.from(`blob ${content.length}\0`), content]))
    .digest('hex');
  expect((together[8] as { stdout: string }).stdout).toBe(
    Buffer.from(`${blobId}\n`).toString('hex'),
  );
  expect(together[3]).toMatchObject({ exitCode: 128, stderr: expect.stringMatching(/fatal/) });
  expect(together[6]).toMatchObject({ error: expect.stringMatching(/git rev-parse .* failed/) });
  expect(together[7]).toMatchObject({
    error: expect.stringContaining(`could not run git in ${path.join(fx.dir, 'gone')}`),
  });
  // Nothing was executed by a shell reading the text.
  for (const dir of [a!, b!, c!, odd, process.cwd()]) {
    await expect(readFile(path.join(dir, 'pwned'))).rejects.toThrow();
  }
});

it('each result is delivered when its git ends, not when the slowest in its batch does', async () => {
  fx = await makeFleet({ instances: 1 });
  const wt = fx.instances[0]!.worktree;
  batchGitSpawns(true);
  const order: string[] = [];
  // `git -c alias…` runs a shell alias that waits for a file the fast call's answer creates.
  const flag = path.join(fx.dir, 'fast-done');
  const slow = git(
    ['-c', `alias.waitfor=!while [ ! -e "${flag}" ]; do sleep 0.02; done; echo slow`, 'waitfor'],
    { cwd: wt, allowFail: true },
  ).then((r) => void order.push(r.stdout.trim()));
  const fast = git(['rev-parse', '--is-inside-work-tree'], { cwd: wt }).then(async (r) => {
    order.push(r.stdout.trim());
    await writeFile(flag, '');
  });
  await Promise.all([slow, fast]);
  expect(order).toEqual(['true', 'slow']);
});

it('the batch leaves no files behind, and an output file that vanished is an error, never an empty answer', async () => {
  fx = await makeFleet({ instances: 1 });
  const wt = fx.instances[0]!.worktree;
  const tmp = path.join(fx.dir, 'tmp');
  await mkdir(tmp);
  const saved = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  try {
    batchGitSpawns(true);
    // Job 0 removes its own stdout file (all three read-only: one batch) while git writes to it (the sh then finds no file).
    const gone = git(['-c', `alias.vanish=!rm -f "${tmp}"/fleet-tui-git-*/0; echo out`, 'vanish'], {
      cwd: wt,
      readOnly: true,
      allowFail: true,
    }).then(
      (r) => ({ stdout: r.stdout }),
      (e: Error) => ({ error: e.message }),
    );
    const clean = git(['status', '--porcelain'], { cwd: wt, readOnly: true });
    const failing = git(['rev-parse', '--verify', '--end-of-options', 'nope'], {
      cwd: wt,
      readOnly: true,
      allowFail: true,
    });
    expect(await gone).toMatchObject({ error: expect.stringContaining('ENOENT') });
    expect((await clean).stdout).toBe('');
    expect(await failing).toMatchObject({ exitCode: 128, stderr: expect.stringMatching(/fatal/) });
    // The sh removes the batch's directory itself once node has read every file.
    await vi.waitFor(async () => expect(await readdir(tmp)).toEqual([]));
  } finally {
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
  }
});
