import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { readBranches } from '../../src/core/migrations/branches.js';
import { layoutOf } from '../../src/core/migrations/check.js';
import { checkFleet } from '../../src/core/migrations/index.js';
import { readTips } from '../../src/core/migrations/read-cache.js';
import type { CheckReport } from '../../src/core/migrations/types.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

const M = 'supabase/migrations';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Attacks on read-cache.ts: a kept read must never hide what git holds. */
describe('migrations check: main and branches kept per commit id', () => {
  let fx: FleetFixture;
  let cacheDir: string;
  beforeAll(async () => {
    fx = await makeFleet({
      instances: 2,
      files: {
        [`${M}/20261120010000_init.sql`]: 'create table a();\n',
        [`${M}/20261120020000_more.sql`]: 'create table b();\n',
      },
    });
    cacheDir = path.join(fx.repo, '.git', 'fleet-tui', 'migrations-cache');
  });
  afterAll(() => fx.cleanup());
  const ps1 = () => fx.instances[0]!;
  const ps2 = () => fx.instances[1]!;
  const check = async () => checkFleet(await loadConfig({ cwd: fx.repo }));
  const rules = (r: CheckReport) => r.problems.map((p) => `${p.rule} ${p.version ?? ''}`).sort();
  /** The newest entry of a kind: the one the last check wrote. */
  const entry = (kind: 'main' | 'branches') => {
    const files = readdirSync(cacheDir)
      .filter((n) => n.startsWith(`${kind}-`))
      .map((n) => path.join(cacheDir, n));
    files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
    return files[0]!;
  };
  /** Rewrite an entry's body as text, keeping (`stale`) or recomputing its header's checksum. */
  const rewriteText = (file: string, edit: (body: string) => string, sum: 'keep' | 'recompute') => {
    const text = readFileSync(file, 'utf8');
    const nl = text.indexOf('\n');
    const body = edit(text.slice(nl + 1));
    const header = sum === 'keep' ? text.slice(0, nl) : `${path.basename(file)} ${sha256(body)}`;
    writeFileSync(file, `${header}\n${body}`);
  };
  /** The same for the branches' entry, which is JSON. */
  const rewrite = (file: string, edit: (body: unknown) => unknown, sum: 'keep' | 'recompute') =>
    rewriteText(file, (body) => JSON.stringify(edit(JSON.parse(body))), sum);

  it('a second check reads the kept entries and reports the same; moved refs are read anew', async () => {
    await fx.commit(ps1().worktree, { [`${M}/20261123010000_a.sql`]: 'select 1;\n' }, 'ps1 a');
    const first = await check();
    expect(
      readdirSync(cacheDir)
        .sort()
        .map((n) => n.slice(0, n.indexOf('-'))),
    ).toEqual(['branches', 'main']);
    expect(await check()).toEqual(first);
    expect(first.ok).toBe(true);
    // Someone lands a migration with ps1's version on main: main's id moved, so it is read anew.
    await fx.pushFromOutside({ [`${M}/20261123010000_other.sql`]: 'select 9;\n' }, 'other');
    await fx.git(fx.repo, 'fetch', '-q', 'origin');
    expect(rules(await check())).toContain('duplicate-version 20261123010000');
    // ps2 commits a collision with ps1 on its branch: its tip moved, read anew.
    await fx.commit(ps2().worktree, { [`${M}/20261124010000_b.sql`]: 'select 2;\n' }, 'ps2 b');
    await fx.commit(ps1().worktree, { [`${M}/20261124010000_c.sql`]: 'select 3;\n' }, 'ps1 c');
    expect(rules(await check())).toContain('duplicate-version 20261124010000');
  });

  it('an entry cut short, altered or garbled is not used: the collision on main is still found', async () => {
    const want = rules(await check());
    expect(want).toContain('duplicate-version 20261123010000');
    const mainEntry = entry('main');
    // Main's row of the colliding migration (`file NUL version NUL name NUL oid /`, kept-main.ts).
    const row = /20261123010000_other\.sql\0[^/]*\//;
    expect(readFileSync(mainEntry, 'utf8')).toMatch(row);
    const drop = (body: string) => body.replace(row, '');
    const attacks: Array<() => void> = [
      () => rewriteText(mainEntry, drop, 'keep'),
      // Checksummed, but not the shape kept-main.ts writes (a row short, a field more).
      () => rewriteText(mainEntry, drop, 'recompute'),
      () => rewriteText(mainEntry, (b) => b.replace(row, (r) => `x\0${r}`), 'recompute'),
      () => writeFileSync(mainEntry, readFileSync(mainEntry).subarray(0, 200)),
      () => writeFileSync(mainEntry, 'not a cache entry'),
      () => writeFileSync(mainEntry, ''),
    ];
    for (const attack of attacks) {
      attack();
      expect(rules(await check())).toEqual(want);
    }
    // Another key's entry under this name (its header names the other key): not used either.
    const branchesEntry = entry('branches');
    writeFileSync(mainEntry, readFileSync(branchesEntry));
    expect(rules(await check())).toEqual(want);
  });

  it("a branch entry altered without its checksum is not used: the branches' collision is still found", async () => {
    const want = rules(await check());
    expect(want).toContain('duplicate-version 20261124010000');
    const branchesEntry = entry('branches');
    rewrite(branchesEntry, () => [], 'keep');
    expect(rules(await check())).toEqual(want);
    writeFileSync(branchesEntry, readFileSync(branchesEntry).subarray(0, 90));
    expect(rules(await check())).toEqual(want);
  });

  it('an entry whose checksum matches is used (so the attacks above really reached the cache)', async () => {
    const branchesEntry = entry('branches');
    rewrite(branchesEntry, () => [], 'recompute');
    // Only a consistent entry could drop the branches' commits: the checksum is what guards.
    expect(rules(await check())).not.toContain('duplicate-version 20261124010000');
    rewrite(branchesEntry, () => 'garbage', 'recompute');
    expect(rules(await check())).toContain('duplicate-version 20261124010000');
  });

  it('the walk from commit ids labels commits as the walk from refs, two branches at one commit included', async () => {
    // ps2's branch moved to ps1's tip: the two share every commit (the first named gets them).
    await fx.git(fx.repo, 'branch', '-f', 'extra', ps1().branch);
    const config = await loadConfig({ cwd: fx.repo });
    const branches = [ps1().branch, 'extra', ps2().branch, 'missing'];
    const mainRef = 'refs/remotes/origin/main';
    const ids = await readTips(fx.repo, [mainRef, ...branches.map((b) => `refs/heads/${b}`)]);
    const tips = new Map(
      branches.flatMap((b) => {
        const t = ids.get(`refs/heads/${b}`);
        return t ? [[b, t] as const] : [];
      }),
    );
    expect(tips.get('extra')).toBe(tips.get(ps1().branch));
    expect(tips.has('missing')).toBe(false);
    const layout = layoutOf(config);
    const byRefs = await readBranches(fx.repo, mainRef, branches, layout);
    const byIds = await readBranches(fx.repo, ids.get(mainRef)!, branches, layout, tips);
    expect(byIds).toEqual(byRefs);
    expect(byIds.get(ps1().branch)!.length).toBeGreaterThan(0);
  });
});

describe('migrations check: kept reads equal git on every kind of change', () => {
  let fx: FleetFixture;
  beforeAll(async () => {
    fx = await makeFleet({
      instances: 3,
      files: {
        [`${M}/20261120010000_init.sql`]: 'create table a();\n',
        [`${M}/20261120020000_more.sql`]: 'create table b();\n',
        [`${M}/20261120030000_last.sql`]: 'create table c();\n',
      },
    });
  });
  afterAll(() => fx.cleanup());

  it('deleted, renamed, edited, staged and index-only files, a worktree on another branch', async () => {
    const [ps1, ps2, ps3] = fx.instances as [
      FleetFixture['instances'][0],
      FleetFixture['instances'][0],
      FleetFixture['instances'][0],
    ];
    // Committed: a delete, a rename and an edit of main's migrations, and a new one.
    await fx.git(ps1.worktree, 'rm', '-q', `${M}/20261120010000_init.sql`);
    await fx.git(
      ps1.worktree,
      'mv',
      `${M}/20261120020000_more.sql`,
      `${M}/20261123010000_more.sql`,
    );
    await fx.commit(ps1.worktree, { [`${M}/20261120030000_last.sql`]: 'edited;\n' }, 'ps1');
    await fx.commit(ps2.worktree, { [`${M}/20261123010000_b.sql`]: 'select 2;\n' }, 'ps2');
    // Uncommitted: a staged new file, a file in the index but gone from disk.
    await fx.write(ps2.worktree, { [`${M}/20261124020000_staged.sql`]: 'select 3;\n' });
    await fx.git(ps2.worktree, 'add', '--', M);
    await rm(path.join(ps2.worktree, M, '20261120030000_last.sql'));
    // ps3's worktree is on another branch than its configured one, which has a commit.
    await fx.commit(ps3.worktree, { [`${M}/20261125030000_c.sql`]: 'select 4;\n' }, 'ps3');
    await fx.git(ps3.worktree, 'checkout', '-q', '-b', 'elsewhere', 'HEAD~1');
    await fx.commit(ps3.worktree, { [`${M}/20261123010000_x.sql`]: 'select 5;\n' }, 'elsewhere');

    const cacheDir = path.join(fx.repo, '.git', 'fleet-tui', 'migrations-cache');
    const config = await loadConfig({ cwd: fx.repo });
    const missed = await checkFleet(config);
    expect(readdirSync(cacheDir)).toHaveLength(2);
    const kept = await checkFleet(config);
    // No cache at all: a file where its directory would be (nothing can be kept or read).
    await rm(cacheDir, { recursive: true });
    writeFileSync(cacheDir, '');
    const fromGit = await checkFleet(config);
    await rm(cacheDir);
    expect(kept).toEqual(fromGit);
    expect(missed).toEqual(fromGit);
    const files = fromGit.problems.flatMap((p) =>
      p.files.map((f) => `${p.rule} ${f.instance} ${f.where} ${path.basename(f.path)}`),
    );
    // The branch's delete, rename and edit, the index-only file, the branches' collision.
    expect(files).toEqual(
      expect.arrayContaining([
        'edited-applied ps1 branch 20261120010000_init.sql',
        'edited-applied ps1 branch 20261123010000_more.sql',
        'edited-applied ps1 branch 20261120030000_last.sql',
        'edited-applied ps2 worktree 20261120030000_last.sql',
        'duplicate-version ps2 branch 20261123010000_b.sql',
      ]),
    );
  });
});
