// `status --json` reads every instance's role scope from the rows it already read (their own
// `git status` output) and one log + one diff-tree for the fleet; each row's `scope` must equal
// the per-instance reading (`instanceScope`), whatever the file names and histories.
import { writeFile } from 'node:fs/promises';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { observeGit } from '../../src/core/git/run.js';
import { collectFleetStatus } from '../../src/core/hosts/status.js';
import { instanceScope } from '../../src/core/insight/scope-git.js';
import { statusInsight } from '../../src/core/insight/status-insight.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

let fx: FleetFixture | undefined;
afterEach(async () => {
  await fx?.cleanup();
  fx = undefined;
});

const NO_USAGE = Promise.resolve(new Map());

it('batched scope equals per-instance scope: renames, merges, patches main holds, hostile and non-UTF-8 names', async () => {
  fx = await makeFleet({
    instances: 6,
    files: { 'web/page.ts': 'p\n', 'shared/s.ts': 's\n', 'role-ps1/a.ts': 'a\n' },
  });
  const [w1, w2, w3, w4, w5, w6] = fx.instances.map((i) => i.worktree);
  const main = await fx.git(fx.repo, 'rev-parse', 'origin/main');

  // ps1: outside its role by a committed rename, hostile names, a name that is main's commit id,
  // a name that is not UTF-8; a merge of main in between; then staged, unstaged, untracked.
  await fx.git(w1!, 'mv', 'web/page.ts', 'web/moved.ts');
  await fx.git(w1!, 'commit', '-q', '-m', 'rename');
  await fx.write(w1!, {
    '\nleading-newline.txt': 'n\n',
    ':colon.txt': 'c\n', // pathspec magic on a command line: added with `add -A`
    '-dash.txt': 'd\n',
    [main]: 'looks like a commit id\n',
    'tab\tand space.txt': 't\n',
    'role-ps1/in.ts': 'in\n',
  });
  await fx.git(w1!, 'add', '-A');
  await fx.git(w1!, 'commit', '-q', '-m', 'hostile names');
  await fx.pushFromOutside({ 'from-main/m.ts': 'm\n' }, 'main moves');
  await fx.git(w1!, 'fetch', '-q', 'origin');
  await fx.git(w1!, 'merge', '-q', '--no-edit', 'origin/main');
  const latin1 = Buffer.concat([
    Buffer.from(`${w1!}/lat`),
    Buffer.from([0xe9]),
    Buffer.from('.txt'),
  ]);
  await writeFile(latin1, 'x');
  await fx.git(w1!, 'add', '-A');
  await fx.git(w1!, 'commit', '-q', '-m', 'latin-1 name');
  await fx.git(w1!, 'mv', 'shared/s.ts', 'shared/renamed.ts'); // staged rename
  await fx.write(w1!, { 'README.md': 'changed\n', 'new/dir/u.txt': 'u', 'new/dir/v.txt': 'v' });

  // ps2: its commit outside the role reached main as another commit (a land not yet synced),
  // then main changed the file again: the file still differs, but the patch is main's.
  await fx.commit(w2!, { 'landed/x.ts': 'same\n' }, 'landed elsewhere');
  await fx.pushFromOutside({ 'landed/x.ts': 'same\n' }, 'replayed');
  await fx.pushFromOutside({ 'landed/x.ts': 'changed on main\n' }, 'main edits it');
  // ps3: only its own files, committed and dirty.
  await fx.commit(w3!, { 'role-ps3/x.ts': 'x\n' }, 'own work');
  await fx.write(w3!, { 'ps3/y.ts': 'y\n' });
  // ps4: behind main, nothing committed, dirty outside.
  await fx.write(w4!, { 'elsewhere.ts': 'e\n' });
  // ps5: detached, a commit outside its role. ps6: the same commit, checked out detached too.
  await fx.git(w5!, 'checkout', '-q', '--detach');
  const detached = await fx.commit(w5!, { 'docs/n.md': 'n\n' }, 'detached work');
  await fx.git(w6!, 'checkout', '-q', '--detach', detached);
  await fx.git(fx.repo, 'fetch', '-q', 'origin');

  const config = await loadConfig({ cwd: fx.repo });
  const texts = new Map<string, string>();
  const rows = await collectFleetStatus(config, texts);
  const seen: string[][] = [];
  const stop = observeGit((args) => void seen.push([...args]));
  let batch;
  try {
    batch = await statusInsight(config, rows, NO_USAGE, texts);
  } finally {
    stop();
  }
  const one = await statusInsight(config, rows, NO_USAGE);
  const each = await Promise.all(config.instances.map((i) => instanceScope(config, i)));

  const batched = rows.map((r) => batch.byId.get(r.id)!.scope);
  expect(batch.warnings).toEqual([]);
  expect(batched).toEqual(rows.map((r) => one.byId.get(r.id)!.scope));
  expect(batched).toEqual(each);
  // Not vacuous: the names reach the result as git wrote them (the non-UTF-8 byte decoded).
  expect(batched[0]!.outside).toEqual(
    [
      '\nleading-newline.txt',
      '-dash.txt',
      ':colon.txt',
      'README.md',
      main,
      'lat\ufffd.txt',
      'new/dir/u.txt',
      'new/dir/v.txt',
      'shared/renamed.ts',
      'shared/s.ts',
      'tab\tand space.txt',
      'web/moved.ts',
      'web/page.ts',
    ].sort(),
  );
  expect(batched.slice(1)).toEqual([
    { outside: [] },
    { outside: [] },
    { outside: ['elsewhere.ts'] },
    { outside: ['docs/n.md'] },
    { outside: ['docs/n.md'] },
  ]);
  // The fleet's commits in one log and one diff-tree, no second `git status`; only the
  // instances whose quick answer has a file outside the role are read again exactly.
  const count = (sub: string) => seen.filter((s) => s[0] === sub).length;
  expect(count('status')).toBe(0);
  expect(count('diff-tree')).toBe(1);
  expect(count('diff')).toBe(3); // ps1, ps2, ps5/ps6 (one head)
});
