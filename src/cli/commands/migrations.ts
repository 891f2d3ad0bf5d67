import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { CONFIG_NAMES } from '../../config/load.js';
import type { ResolvedConfig } from '../../config/types.js';
import { EXIT } from '../../core/errors.js';
import { formatProblem, formatUnreachable } from '../../core/migrations/format.js';
import type { CheckReport } from '../../core/migrations/index.js';
import { globals, loadFleetConfig } from '../context.js';
import { err, out, printJson } from '../output.js';

/** Is there a fleet config to load (an explicit --config, or one found upwards)? */
function hasConfig(cmd: Command): boolean {
  if (globals(cmd).config) return true;
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    if (CONFIG_NAMES.some((n) => existsSync(path.join(dir, n)))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/** The instance whose worktree holds the current directory, if any. */
function currentInstance(config: ResolvedConfig): string | null {
  const cwd = path.resolve(process.cwd());
  const inst = config.instances.find(
    (i) => cwd === i.worktreePath || cwd.startsWith(i.worktreePath + path.sep),
  );
  return inst?.id ?? null;
}

/** Keep the problems that involve `id`'s files; recompute `ok` from what is left. */
function only(report: CheckReport, id: string): CheckReport {
  const problems = report.problems.filter((p) => p.files.some((f) => f.instance === id));
  const down = report.unreachableHosts?.filter((u) => u.instances.includes(id));
  return {
    ...report,
    ok: !problems.some((p) => p.severity === 'error') && !down?.length,
    problems,
    ...(down?.length ? { unreachableHosts: down } : { unreachableHosts: undefined }),
  };
}

interface CheckOptions {
  json?: boolean;
  instance?: string;
  here?: boolean;
  push?: boolean;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function print(report: CheckReport, json: boolean | undefined): void {
  if (json) {
    printJson(report);
  } else {
    for (const p of report.problems) out(formatProblem(p));
    const down = report.unreachableHosts ?? [];
    for (const u of down) out(formatUnreachable(u));
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const warnings = report.problems.length - errors;
    const hosts = down.length > 0 ? `, ${down.length} host(s) unreachable` : '';
    out(
      `${report.migrations} migrations checked: ${errors} error(s), ${warnings} warning(s)${hosts}`,
    );
  }
  if (!report.ok) process.exitCode = EXIT.problems;
}

export function registerMigrations(program: Command): void {
  const mig = program
    .command('migrations')
    .description(
      'check SQL migrations for version collisions, bands and ordering; allocate versions',
    );

  mig
    .command('check')
    .description('check main, every branch and every worktree (exit 1 on errors)')
    .option('--json', 'print the report as JSON')
    .option('--instance <id>', 'only problems that involve this instance')
    .option(
      '--here',
      'only problems that involve the instance whose worktree is the current directory',
    )
    .option(
      '--push',
      'check only the commits being pushed (pre-push ref lines on stdin; HEAD on a terminal)',
    )
    .action(async (opts: CheckOptions, cmd: Command) => {
      // Each subcommand loads only its part of the guard (check never loads the watcher).
      if (opts.push) {
        const { checkPush, pushedShas } = await import('../../core/migrations/pre-push.js');
        const shas = process.stdin.isTTY ? ['HEAD'] : pushedShas(await readStdin());
        const config = hasConfig(cmd) ? await loadFleetConfig(cmd) : null;
        print(await checkPush(config, process.cwd(), shas), opts.json);
        return;
      }
      const [{ checkFleet, checkRepo }, { batchGitSpawns }] = await Promise.all([
        import('../../core/migrations/check.js'),
        import('../../core/git/run-batch.js'),
      ]);
      // A git process for main, the branches and each worktree, all at once: one spawn.
      batchGitSpawns();
      if (!hasConfig(cmd)) {
        print(await checkRepo(process.cwd()), opts.json);
        return;
      }
      const config = await loadFleetConfig(cmd);
      let report = await checkFleet(config);
      const id = opts.instance ?? (opts.here ? currentInstance(config) : null);
      if (id) report = only(report, id);
      print(report, opts.json);
    });

  mig
    .command('new')
    .description(
      "create <dir>/<YYYYMMDD><slot>_<name>.sql in the instance's worktree (next free slot of its band)",
    )
    .argument('<instance>', 'instance id')
    .argument('<name>', 'migration name (normalized to [a-z0-9_])')
    .option('--json', 'print {"path", "version"} as JSON')
    .action(async (instance: string, name: string, opts: { json?: boolean }, cmd: Command) => {
      const config = await loadFleetConfig(cmd);
      const { createMigration } = await import('../../core/migrations/create.js');
      const res = await createMigration(config, instance, name);
      if (opts.json) printJson(res);
      else out(res.path);
    });

  mig
    .command('next')
    .description('print the version `migrations new` would use, without creating a file')
    .argument('<instance>', 'instance id')
    .action(async (instance: string, _opts: unknown, cmd: Command) => {
      const config = await loadFleetConfig(cmd);
      const { nextVersion } = await import('../../core/migrations/create.js');
      out(await nextVersion(config, instance));
    });

  mig
    .command('watch')
    .description('print migration problems as they appear and clear (Ctrl-C to stop)')
    .option('--json', 'print each changed report as one JSON line')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const config = await loadFleetConfig(cmd);
      const { watchMigrations } = await import('../../core/migrations/watch.js');
      let shown = new Set<string>();
      const onReport = (report: CheckReport) => {
        if (opts.json) {
          printJson(report, { compact: true });
          return;
        }
        const now = new Set([
          ...report.problems.map(formatProblem),
          ...(report.unreachableHosts ?? []).map(formatUnreachable),
        ]);
        for (const line of now) if (!shown.has(line)) out(`+ ${line}`);
        for (const line of shown) if (!now.has(line)) out(`- ${line}`);
        if (now.size === 0 && shown.size > 0) out('ok: no migration problems');
        shown = now;
      };
      const w = await watchMigrations(config, onReport, {
        onError: (e) => err(`migrations watch: ${e instanceof Error ? e.message : String(e)}`),
      });
      out(
        `watching ${config.instances.length} worktrees' ${config.migrations.dir} (Ctrl-C to stop)`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await w.close();
    });
}
