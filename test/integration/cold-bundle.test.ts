// `status` and `migrations check` run from the bundled CLI (dist/cold/, scripts/bundle-cli.mjs)
// with their git processes started together (core/git/run-batch.ts). Both must answer exactly as
// the modules one by one with node's own spawns, and the bundle must still find the files its
// modules name through import.meta.url (package.json, the price snapshot, define.js, schema.js).
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { BIN, REPO_ROOT, makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

const M = 'supabase/migrations';
let fx: FleetFixture;
beforeAll(async () => {
  fx = await makeFleet({
    instances: 3,
    files: { [`${M}/20261120010000_init.sql`]: 'create table a();\n' },
  });
  const [a, b, c] = fx.instances.map((i) => i.worktree);
  await fx.commit(a!, { [`${M}/20261123010000_a.sql`]: 'select 1;\n', 'ps1/x.txt': 'x\n' }, 'a');
  await fx.write(b!, { [`${M}/20261123010000_b.sql`]: 'select 2;\n', 'dirty.txt': 'd\n' });
  await fx.write(c!, { [`${M}/20261120010000_init.sql`]: 'edited\n' });
  await fx.pushFromOutside({ 'main.txt': 'm\n' }, 'main moves');
  await fx.git(fx.repo, 'fetch', '-q', 'origin');
});
afterAll(() => fx.cleanup());

/** The CLI from dist/cli/main.js, module by module, as before the bundle. */
function unbundledCli(args: string[]) {
  const main = path.join(REPO_ROOT, 'dist', 'cli', 'main.js');
  const code = `const { main } = await import(${JSON.stringify(main)}); process.exitCode = await main(process.argv);`;
  return execa(process.execPath, ['--input-type=module', '-e', code, 'fleet-tui', ...args], {
    cwd: fx.repo,
    reject: false,
  });
}

/** The CLI as installed (bin/fleet-tui.js), with its git counts. */
async function bundledCli(args: string[]) {
  const dir = await mkdtemp(path.join(fx.dir, 'count-'));
  const countFile = path.join(dir, 'count.json');
  const res = await execa(process.execPath, [BIN, ...args], {
    cwd: fx.repo,
    reject: false,
    env: { FLEET_TUI_GIT_COUNT: countFile },
  });
  const counts = JSON.parse(await readFile(countFile, 'utf8')) as {
    spawns: number;
    processes: Record<string, number>;
  };
  await rm(dir, { recursive: true });
  return { ...res, counts };
}

// Agent states carry the time they were read; everything else must be equal.
const withoutSince = (s: string) => s.replace(/"since": "[^"]*"/g, '"since": "…"');

it('status --json from the bundle equals the unbundled CLI, says nothing on stderr, and starts git from sh', async () => {
  const cold = await bundledCli(['status', '--json']);
  const warm = await unbundledCli(['status', '--json']);
  expect(cold.exitCode).toBe(0);
  expect(cold.stderr).toBe('');
  expect(withoutSince(cold.stdout)).toBe(withoutSince(warm.stdout));
  const rows = (JSON.parse(cold.stdout) as { instances: Array<{ ahead: number; behind: number }> })
    .instances;
  expect(rows.map((r) => [r.ahead, r.behind])).toEqual([
    [1, 1],
    [0, 1],
    [0, 1],
  ]);
  // Fewer processes started by node than git processes run: the rest came from sh.
  const started = Object.values(cold.counts.processes).reduce((a, b) => a + b, 0);
  expect(cold.counts.processes.sh).toBeGreaterThan(0);
  expect(started).toBeLessThan(cold.counts.spawns);
});

it('migrations check --json from the bundle equals the unbundled CLI', async () => {
  const cold = await bundledCli(['migrations', 'check', '--json']);
  const warm = await unbundledCli(['migrations', 'check', '--json']);
  expect(cold.exitCode).toBe(1);
  expect(cold.stderr).toBe('');
  expect(cold.stdout).toBe(warm.stdout);
  const report = JSON.parse(cold.stdout) as { problems: Array<{ rule: string }> };
  expect(report.problems.map((p) => p.rule).sort()).toEqual([
    'duplicate-version',
    'edited-applied',
    'out-of-band',
  ]);
  expect(cold.counts.processes.sh).toBeGreaterThan(0);
});

it("keeps V8's compiled code per command beside the bundle, and rewrites a cache V8 rejects", async () => {
  const v8dir = path.join(REPO_ROOT, 'dist', 'cold', 'v8');
  const kept = async (command: string) =>
    (await readdir(v8dir).catch(() => [] as string[])).filter(
      (f) => f.startsWith(`${command}-`) && f.endsWith(`-${process.version}-${process.arch}.bin`),
    );
  await rm(v8dir, { recursive: true, force: true });
  // A config error compiles little of the command: what it compiled is kept only as partial…
  const empty = await mkdtemp(path.join(fx.dir, 'no-config-'));
  const error = await execa(process.execPath, [BIN, 'status', '--json'], {
    cwd: empty,
    reject: false,
  });
  expect(error.exitCode).toBe(2);
  expect(await kept('status')).toEqual([]);
  const partial = (await readdir(v8dir)).filter((f) => f.startsWith('status-'));
  expect(partial).toEqual([expect.stringMatching(/\.bin\.partial$/)]);
  // …and the first run that gets past the error keeps the full one.
  const first = await bundledCli(['status', '--json']);
  expect(first.exitCode).toBe(0);
  const [file] = await kept('status');
  expect(file).toBeDefined();
  expect(await kept('check')).toEqual([]);
  // Not a code cache at all: V8 rejects it, the command runs as before and writes a real one.
  await writeFile(path.join(v8dir, file!), 'not a code cache');
  const again = await bundledCli(['status', '--json']);
  expect(again.exitCode).toBe(0);
  expect(again.stderr).toBe('');
  expect(withoutSince(again.stdout)).toBe(withoutSince(first.stdout));
  expect((await stat(path.join(v8dir, file!))).size).toBeGreaterThan(1000);
  // The other command keeps its own.
  const check = await bundledCli(['migrations', 'check', '--json']);
  expect(check.exitCode).toBe(1);
  expect(await kept('check')).toHaveLength(1);
});
