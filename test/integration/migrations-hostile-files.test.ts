// Issue 12 item 4: migration scanning reads regular files only, with a size cap, and says what
// it skipped. A migration symlinked to /dev/zero once made `migrations check` grow past 4 GB.
import { execFileSync } from 'node:child_process';
import { symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import {
  readMigrationFile,
  readMigrationFileSync,
  MAX_MIGRATION_BYTES,
} from '../../src/core/migrations/safe-read.js';
import { BIN, makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

const M = 'supabase/migrations';
let fx: FleetFixture | null = null;
afterEach(async () => {
  await fx?.cleanup();
  fx = null;
});

describe('migration scanning: regular files only', () => {
  it('check finishes on /dev/zero, outside links and oversized files, and reports each as unreadable', async () => {
    fx = await makeFleet({ instances: 1 });
    const wt = fx.instances[0]!.worktree;
    const dir = path.join(wt, M);
    await fx.write(wt, { [`${M}/20261201010000_real.sql`]: 'select 1;\n' });
    await symlink('/dev/zero', path.join(dir, '20261201010500_zero.sql'));
    await symlink('/etc/hostname', path.join(dir, '20261201011000_outside.sql'));
    await symlink('20261201010000_real.sql', path.join(dir, '20261201011500_inside.sql'));
    await writeFile(path.join(dir, '20261201012000_huge.sql'), '');
    await truncate(path.join(dir, '20261201012000_huge.sql'), MAX_MIGRATION_BYTES + 1);

    const res = await execa(process.execPath, [BIN, 'migrations', 'check', '--json'], {
      cwd: fx.repo,
      reject: false,
      timeout: 60_000,
    });
    expect(res.timedOut).toBe(false);
    const report = JSON.parse(String(res.stdout)) as {
      problems: Array<{
        rule: string;
        severity: string;
        files: Array<{ path: string }>;
        message: string;
      }>;
    };
    const unreadable = report.problems.filter((p) => p.rule === 'unreadable');
    expect(unreadable.map((p) => path.basename(p.files[0]!.path)).sort()).toEqual([
      '20261201010500_zero.sql',
      '20261201011000_outside.sql',
      '20261201012000_huge.sql',
    ]);
    expect(unreadable.every((p) => p.severity === 'warning')).toBe(true);
    const msg = (name: string) => unreadable.find((p) => p.files[0]!.path.endsWith(name))!.message;
    expect(msg('_zero.sql')).toContain('symlink leading outside the repository (to /dev/zero)');
    expect(msg('_huge.sql')).toContain('larger than 32 MiB');
    // A link inside the worktree is read like the file it names.
    expect(
      report.problems.some(
        (p) => p.files.some((f) => f.path.endsWith('_inside.sql')) && p.rule === 'unreadable',
      ),
    ).toBe(false);
    const human = await execa(process.execPath, [BIN, 'migrations', 'check'], {
      cwd: fx.repo,
      reject: false,
      timeout: 60_000,
    });
    expect(String(human.stdout)).toMatch(/^warning unreadable: .*20261201010500_zero\.sql/m);
  });

  it('never opens a FIFO or a device, and reads an in-worktree link to a regular file', async () => {
    fx = await makeFleet({ instances: 1, worktrees: false });
    const dir = fx.repo;
    execFileSync('mkfifo', [path.join(dir, 'fifo.sql')]);
    await symlink('/dev/zero', path.join(dir, 'zero.sql'));
    await writeFile(path.join(dir, 'a.sql'), 'select 1;\n');
    await symlink('a.sql', path.join(dir, 'link.sql'));
    await symlink('nowhere.sql', path.join(dir, 'dangling.sql'));
    // The promise reads (TUI) and the blocking ones (check): the same answers.
    const reads = [
      readMigrationFile,
      (d: string, rel: string) => Promise.resolve(readMigrationFileSync(d, rel)),
    ];
    for (const read of reads) {
      expect(await read(dir, 'fifo.sql')).toMatchObject({ skipped: 'not read: a FIFO' });
      expect(await read(dir, 'zero.sql')).toMatchObject({
        skipped: expect.stringContaining('outside the repository'),
      });
      expect(await read(dir, 'dangling.sql')).toMatchObject({
        skipped: 'not read: a symlink to nothing',
      });
      const real = await read(dir, 'a.sql');
      expect(real).toEqual({
        oid: execFileSync('git', ['hash-object', path.join(dir, 'a.sql')])
          .toString()
          .trim(),
      });
      expect(await read(dir, 'link.sql')).toEqual(real);
      expect(await read(dir, 'gone.sql')).toEqual({ oid: null });
    }
  });
});
