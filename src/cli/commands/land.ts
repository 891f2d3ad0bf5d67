import type { Command } from 'commander';
import type { ResolvedConfig } from '../../config/types.js';
import { UsageError } from '../../core/errors.js';
import type { LandReport } from '../../core/land/index.js';
import { loadFleetConfig } from '../context.js';
import { err, out, printJson } from '../output.js';

const short = (sha: string) => (sha ? sha.slice(0, 7) : '(unknown)');

/**
 * When the one fetch failed, nothing was changed: git's words from the instances' reasons (the
 * land reports the same failure for each of them), or null when the land went further.
 */
function fetchFailure(r: LandReport): string | null {
  if (r.pushes > 0 || r.instances.length === 0) return null;
  const said = r.instances.map((i) =>
    i.outcome === 'error'
      ? /^fetch from \S+ failed: (.*?)(?: — check the remote.*)?$/.exec(i.reason)
      : null,
  );
  return said.every((m) => m) ? (said[0]![1] ?? '') : null;
}

function unreachable(cfg: ResolvedConfig, gitSaid: string): string {
  const what = /couldn't find remote ref/i.test(gitSaid)
    ? `the remote "${cfg.remote}" has no branch ${cfg.mainBranch}`
    : `the remote "${cfg.remote}" could not be reached`;
  return `${what} — nothing was landed and nothing changed; check "git remote -v" and the network, then land again (git: ${gitSaid})`;
}

function human(r: LandReport, dryRun: boolean): void {
  for (const i of r.instances) {
    const what = i.outcome === 'landed' ? `${i.commits} commit${i.commits === 1 ? '' : 's'}` : '';
    const sync = i.sync !== 'unchanged' ? `[${i.sync}]` : '';
    out(
      `${i.id.padEnd(8)} ${i.outcome.padEnd(9)} ${[what, sync, i.reason].filter(Boolean).join(' ')}`.trimEnd(),
    );
  }
  const landed = r.instances.filter((i) => i.outcome === 'landed');
  const commits = landed.reduce((n, i) => n + i.commits, 0);
  const verb = dryRun ? 'would land' : 'landed';
  out(
    `${verb} ${commits} commit${commits === 1 ? '' : 's'} from ${landed.length} instance${landed.length === 1 ? '' : 's'}; main ${short(r.main.before)} → ${short(r.main.after)} (${r.fetches} fetch, ${r.pushes} push)`,
  );
}

export function registerLand(program: Command): void {
  program
    .command('land')
    .description("land instances' committed work on main: one fetch, one replayed chain, one push")
    .argument('[ids...]', 'instance ids (config order is kept)')
    .option('--all', 'every instance')
    .option('--dry-run', 'report what would happen; change no ref and no file')
    .option('--json', 'print JSON')
    .action(
      async (
        ids: string[],
        opts: { all?: boolean; dryRun?: boolean; json?: boolean },
        cmd: Command,
      ) => {
        const cfg = await loadFleetConfig(cmd);
        if (ids.length === 0 && !opts.all)
          throw new UsageError('name instances to land (land ID…) or pass --all');
        // Loaded once the config is: a config error is answered without loading land.
        const [{ defaultGate }, { land }] = await Promise.all([
          import('../../app/land-gate.js'),
          import('../../core/land/index.js'),
        ]);
        const report = await land(cfg, {
          ids,
          all: opts.all,
          dryRun: opts.dryRun,
          gate: defaultGate(),
          onNotice: (t) => err(`fleet-tui: ${t}`),
        });
        const failedFetch = fetchFailure(report);
        if (opts.json) printJson(report);
        else if (failedFetch !== null) err(`fleet-tui: ${unreachable(cfg, failedFetch)}`);
        else human(report, !!opts.dryRun);
        if (!report.ok) process.exitCode = 1;
      },
    );
}
