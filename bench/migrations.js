// Benchmark of the migration guard: `fleet-tui migrations check` wall time with 5,000
// migrations on main and 12 worktrees, and watcher latency (file written → report).
// Usage: npm run build && node bench/migrations.js [--runs N] [--writes N]
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '7' },
    writes: { type: 'string', default: '30' },
    keep: { type: 'boolean', default: false },
    // Reuse a fixture kept by an earlier --keep run (its directory).
    reuse: { type: 'string' },
  },
});
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'fleet-tui.js');
const M = 'supabase/migrations';
const N_MAIN = 5000;
const N_INST = 12;

const env = {
  ...process.env,
  LC_ALL: 'C',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@example.invalid',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@example.invalid',
};
const git = (cwd, ...args) => execa('git', args, { cwd, env }).then((r) => r.stdout);
const band = (i) => String((i + 1) * 10000).padStart(6, '0');
const quantile = (xs, q) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];

async function build(dir) {
  const origin = path.join(dir, 'origin.git');
  const repo = path.join(dir, 'repo');
  await git(dir, 'init', '-q', '--bare', '-b', 'main', origin);
  await git(dir, 'init', '-q', '-b', 'main', repo);
  await git(repo, 'remote', 'add', 'origin', origin);
  const ids = Array.from({ length: N_INST }, (_, i) => `i${i + 1}`);
  const config = `import { defineFleet } from 'fleet-tui';
export default defineFleet({
  roles: { r: { title: 'R', paths: [] } },
  instances: [${ids.map((id, i) => `{ id: '${id}', role: 'r', agent: 'claude', band: '${band(i)}' }`).join(', ')}],
});\n`;
  await mkdir(path.join(repo, M), { recursive: true });
  await writeFile(path.join(repo, 'fleet.config.ts'), config);
  await writeFile(path.join(repo, '.gitignore'), '.claude/worktrees/\n');
  for (let k = 0; k < N_MAIN; k++) {
    const v = String(20250101000000 + k * 100);
    await writeFile(path.join(repo, M, `${v}_m${k}.sql`), `create table t${k}();\n`);
  }
  await git(repo, 'add', '-A');
  await git(repo, 'commit', '-qm', 'main');
  await git(repo, 'push', '-q', '-u', 'origin', 'main');
  for (const [i, id] of ids.entries()) {
    const wt = path.join(repo, '.claude', 'worktrees', `instance-${id}`);
    await git(repo, 'worktree', 'add', '-q', '-b', `claude/${id}-wip`, wt, 'origin/main');
    await writeFile(path.join(wt, M, `20261123${band(i)}_c${i}.sql`), 'committed');
    await git(wt, 'add', '-A');
    await git(wt, 'commit', '-qm', `${id}`);
    await writeFile(path.join(wt, M, `2026112${4}${band(i)}_u${i}.sql`), 'untracked');
  }
  return { repo, ids };
}

async function timeCheck(repo, runs) {
  const times = [];
  let out;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    out = await execa(process.execPath, [BIN, 'migrations', 'check', '--json'], {
      cwd: repo,
      reject: false,
    });
    times.push(performance.now() - t0);
  }
  const report = JSON.parse(out.stdout);
  return {
    times,
    migrations: report.migrations,
    problems: report.problems.length,
    exitCode: out.exitCode,
  };
}

async function timeWatch(repo, ids, writes) {
  const { loadConfig } = await import(path.join(ROOT, 'dist/config/load.js'));
  const { watchMigrations } = await import(path.join(ROOT, 'dist/core/migrations/index.js'));
  const config = await loadConfig({ cwd: repo });
  let latest = null;
  let waiter = null;
  const w = await watchMigrations(
    config,
    (r) => {
      latest = r;
      waiter?.();
    },
    { onError: (e) => console.error('watchMigrations:', e) },
  );
  const until = (pred) =>
    new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('watch timeout')), 10_000);
      const check = () => {
        if (latest && pred(latest)) {
          clearTimeout(t);
          waiter = null;
          resolve();
        }
      };
      waiter = check;
      check();
    });
  const lat = [];
  for (let n = 0; n < writes; n++) {
    const id = ids[n % ids.length];
    // Collides with a version on main: a duplicate-version problem must appear.
    const file = path.join(
      config.instances.find((i) => i.id === id).worktreePath,
      M,
      `20250101000000_x${n}.sql`,
    );
    const t0 = performance.now();
    await writeFile(file, `bad ${n}`);
    await until((r) => r.problems.some((p) => p.files.some((f) => f.path.endsWith(`_x${n}.sql`))));
    lat.push(performance.now() - t0);
    await unlink(file);
    await until((r) => !r.problems.some((p) => p.files.some((f) => f.path.endsWith(`_x${n}.sql`))));
  }
  await w.close();
  return lat;
}

const dir = values.reuse ?? (await mkdtemp(path.join(os.tmpdir(), 'fleet-bench-mig-')));
try {
  const t0 = performance.now();
  const { repo, ids } = values.reuse
    ? { repo: path.join(dir, 'repo'), ids: Array.from({ length: N_INST }, (_, i) => `i${i + 1}`) }
    : await build(dir);
  console.log(
    `fixture: ${N_MAIN} migrations on main, ${N_INST} worktrees (${Math.round(performance.now() - t0)} ms to build)`,
  );
  const c = await timeCheck(repo, Number(values.runs));
  console.log(
    `migrations check --json: min ${Math.round(Math.min(...c.times))} ms, median ${Math.round(quantile(c.times, 0.5))} ms, max ${Math.round(Math.max(...c.times))} ms (${c.migrations} migrations, ${c.problems} problems, exit ${c.exitCode})`,
  );
  const lat = await timeWatch(repo, ids, Number(values.writes));
  console.log(
    `watch latency (write → report), ${lat.length} writes: p50 ${Math.round(quantile(lat, 0.5))} ms, p95 ${Math.round(quantile(lat, 0.95))} ms, max ${Math.round(Math.max(...lat))} ms`,
  );
  console.log(
    `load average: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} on ${os.cpus().length} cpus`,
  );
} finally {
  if (values.keep || values.reuse) console.log(`kept ${dir}`);
  else await rm(dir, { recursive: true, force: true });
}
