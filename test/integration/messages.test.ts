// Messages a person can act on (issue 12, item 7): each case runs the built CLI on real git.
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { seedCommits, snapshot } from '../helpers/land-helpers.js';

let fx: FleetFixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

/** Run the CLI with its stdout into a pipe whose reader has already gone. */
async function intoClosedPipe(cwd: string, args: string[]) {
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args.join(' ')} 2>stderr.txt | true; echo "rc=\${PIPESTATUS[0]}"; cat stderr.txt`;
  const res = await execa('bash', ['-c', cmd], { cwd, reject: false });
  return { rc: /rc=(\d+)/.exec(res.stdout)?.[1], stderr: res.stdout.replace(/^rc=\d+\n?/, '') };
}

const NO_CODES = /\bE[A-Z]{3,}\b/; // EEXIST, ENOTDIR, ENAMETOOLONG…

describe('messages', () => {
  it('status into a closed pipe ends quietly with exit 0 (was: EPIPE stack trace)', async () => {
    fx = await makeFleet({ instances: 3 });
    const r = await intoClosedPipe(fx.repo, ['status']);
    expect(r.stderr).toBe('');
    expect(r.rc).toBe('0');
    const head = await execa('bash', ['-c', `node ${BIN} status | head -1`], { cwd: fx.repo });
    expect(head.stdout.split('\n')).toHaveLength(1);
    expect(head.stderr).toBe('');
  });

  it('land into a closed pipe still finishes its work (never half done), quietly', async () => {
    fx = await makeFleet({ instances: 1 });
    await seedCommits(fx, () => 1);
    const r = await intoClosedPipe(fx.repo, ['land', '--all']);
    // seedCommits writes ps1/… while the fixture's role owns role-ps1/…: land.scope 'warn' says so.
    expect(r.stderr).toBe('fleet-tui: ps1: lands 1 file outside role role-ps1 (ps1/file0.txt)');
    expect(r.rc).toBe('0');
    expect(await fx.git(fx.origin, 'log', '-1', '--format=%s', 'main')).toBe('ps1: change 0');
  });

  it('migrations new where the migrations directory is a file: the path and the problem in words', async () => {
    fx = await makeFleet({ instances: 1 });
    const wt = fx.instances[0]!.worktree;
    await writeFile(path.join(wt, 'supabase'), 'not a directory\n');
    const r = await fx.cli(['migrations', 'new', 'ps1', 'add_posts']);
    expect(r.exitCode).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`${path.join(wt, 'supabase')} is a file, not a directory`);
    expect(lines[0]).not.toMatch(NO_CODES);
    expect(lines[0]).not.toMatch(/unexpected error/);
  });

  it('migrations new where supabase/migrations itself is a file: in words', async () => {
    fx = await makeFleet({ instances: 1 });
    const wt = fx.instances[0]!.worktree;
    await mkdir(path.join(wt, 'supabase'), { recursive: true });
    await writeFile(path.join(wt, 'supabase', 'migrations'), '');
    const r = await fx.cli(['migrations', 'new', 'ps1', 'add_posts']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(
      `${path.join(wt, 'supabase', 'migrations')} is a file, not a directory`,
    );
    expect(r.stderr).not.toMatch(NO_CODES);
  });

  it('migrations new with a 300-character name: too long, in words, naming the path', async () => {
    fx = await makeFleet({ instances: 1 });
    const r = await fx.cli(['migrations', 'new', 'ps1', 'n'.repeat(300)]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/name is too long for the file system — use a shorter name/);
    expect(r.stderr).toContain(path.join(fx.instances[0]!.worktree, 'supabase', 'migrations'));
    expect(r.stderr).not.toMatch(NO_CODES);
  });

  it("a pre-receive refusal quotes the hook's message, not git's bracket noise", async () => {
    fx = await makeFleet({ instances: 2 });
    await seedCommits(fx, () => 1);
    const hook = path.join(fx.origin, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "policy: main is frozen until Friday"\nexit 1\n');
    await chmod(hook, 0o755);
    const r = await fx.cli(['land', '--all']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(
      `the remote's pre-receive hook refused the push: "policy: main is frozen until Friday"`,
    );
    expect(r.stdout).not.toMatch(/rejected\]|hook declined/);
  });

  it('status shows a revert and a bisect in progress (text and JSON)', async () => {
    fx = await makeFleet({ instances: 2 });
    const [a, b] = fx.instances as [FleetFixture['instances'][0], FleetFixture['instances'][0]];
    await fx.commit(a.worktree, { 'f.txt': 'one\n' }, 'one');
    const two = await fx.commit(a.worktree, { 'f.txt': 'two\n' }, 'two');
    await fx.commit(a.worktree, { 'f.txt': 'three\n' }, 'three');
    // Reverting "two" conflicts with "three": the revert stops half way.
    await execa('git', ['revert', '--no-edit', two], { cwd: a.worktree, reject: false });
    await fx.commit(b.worktree, { 'g.txt': 'x\n' }, 'g');
    await fx.git(b.worktree, 'bisect', 'start');
    const text = await fx.cli(['status']);
    expect(text.stdout).toMatch(/ps1 .*revert in progress/);
    expect(text.stdout).toMatch(/ps2 .*bisect in progress/);
    const json = JSON.parse((await fx.cli(['status', '--json'])).stdout) as {
      instances: Array<{ id: string; operation: string | null }>;
    };
    expect(json.instances.map((i) => i.operation)).toEqual(['revert', 'bisect']);
  });

  it('land with an unreachable remote says so in one line and changes nothing', async () => {
    fx = await makeFleet({ instances: 2 });
    await seedCommits(fx, () => 1);
    await fx.git(fx.repo, 'remote', 'set-url', 'origin', path.join(fx.dir, 'nowhere.git'));
    const before = await snapshot(fx);
    const r = await fx.cli(['land', '--all']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/the remote "origin" could not be reached — nothing was landed/);
    expect(r.stderr).not.toMatch(/main\s+→/);
    const after = await snapshot(fx);
    expect(after.refs).toBe(before.refs);
    expect([...after.files]).toEqual([...before.files]);
  });

  it('agents send does not count a trailing newline as a line', async () => {
    fx = await makeFleet({
      instances: 1,
      configExtra: `  agents: { claude: { command: 'sleep', args: ['60'], backend: 'exec' } },`,
    });
    const fg = execa(process.execPath, [BIN, 'agents', 'start', 'ps1'], {
      cwd: fx.repo,
      reject: false,
    });
    try {
      // Until the foreground process owns the agent, send says it is not running (exit 1).
      let r = await fx.cli(['agents', 'send', 'ps1', 'first line\nsecond line\n']);
      for (let k = 0; r.exitCode !== 0 && k < 60; k++) {
        await new Promise((res) => setTimeout(res, 500));
        r = await fx.cli(['agents', 'send', 'ps1', 'first line\nsecond line\n']);
      }
      expect(r).toMatchObject({ exitCode: 0, stdout: 'ps1: sent 2 line(s)' });
      const one = await fx.cli(['agents', 'send', 'ps1', 'just one\n']);
      expect(one.stdout).toBe('ps1: sent 1 line(s)');
    } finally {
      await fx.cli(['agents', 'stop', 'ps1']);
      fg.kill();
    }
  });
});
