import { Command, InvalidArgumentError, Option } from 'commander';
import { runSimAgent } from '../../sim/agent.js';

function int(name: string, min: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min)
      throw new InvalidArgumentError(`${name} must be a number ≥ ${min}`);
    return n;
  };
}

/** Hidden: the simulated agent the demo and tests run. Never presented as a real agent. */
export function registerSimAgent(program: Command): void {
  program
    .command('sim-agent', { hidden: true })
    .description('run a SIMULATED coding agent in the current worktree (demo and tests)')
    .requiredOption('--instance <id>', 'instance id it pretends to work for')
    .addOption(
      new Option('--kind <kind>', 'which agent to imitate')
        .choices(['claude', 'codex', 'plain'])
        .default('claude'),
    )
    .addOption(
      new Option(
        '--format <format>',
        'json events (default when piped) or rendered text (default on a terminal)',
      ).choices(['json', 'text']),
    )
    .option('--pace <ms>', 'delay between steps of a turn', int('--pace', 0), 350)
    .option('--idle <ms>', 'idle time between turns', int('--idle', 0), 3000)
    .option(
      '--rate <n>',
      'benchmark: print N timestamped lines per second and nothing else',
      int('--rate', 1),
    )
    .option('--duration <ms>', 'benchmark: stop after this long', int('--duration', 1))
    .option(
      '--collide [ids]',
      'write a migration whose version collides with another instance (only for the listed instances, when given)',
    )
    .option(
      '--migrate-every <turns>',
      'create a migration with `fleet-tui migrations new` every N turns (0 = never)',
      int('--migrate-every', 0),
      5,
    )
    .option('--commit-every <turns>', 'commit every N turns', int('--commit-every', 1), 2)
    .option(
      '--permission-every <turns>',
      'ask for permission every N turns (0 = never)',
      int('--permission-every', 0),
      4,
    )
    .option(
      '--permission-wait <ms>',
      'approve by itself after this long',
      int('--permission-wait', 0),
      6000,
    )
    .option(
      '--crash-after <ms>',
      'exit with code 3 this long after the conversation is on disk',
      int('--crash-after', 0),
    )
    .option('--exit-after <turns>', 'exit 0 after this many turns', int('--exit-after', 1))
    .option('--resume <id>', 'resume this session id')
    .option(
      '--config-override <kv>',
      'codex-style config override (notify=[...]), like codex -c; repeatable',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--hostile', 'print output that breaks naive line handling, then exit')
    .option('--migrations-dir <dir>', 'where migrations live', 'supabase/migrations')
    .action(async (o: Record<string, unknown>) => {
      const instance = String(o.instance);
      const collide =
        o.collide === true ||
        (typeof o.collide === 'string' && o.collide.split(',').includes(instance));
      const notifyKv = (o.configOverride as string[]).find((kv) => kv.startsWith('notify='));
      let notify: string[] | null = null;
      try {
        notify = notifyKv ? (JSON.parse(notifyKv.slice('notify='.length)) as string[]) : null;
      } catch {
        throw new InvalidArgumentError(
          `-c ${notifyKv}: notify must be a JSON/TOML array of strings`,
        );
      }
      process.exitCode = await runSimAgent({
        instance,
        kind: o.kind as 'claude' | 'codex' | 'plain',
        format:
          (o.format as 'json' | 'text' | undefined) ?? (process.stdout.isTTY ? 'text' : 'json'),
        paceMs: o.pace as number,
        idleMs: o.idle as number,
        rate: (o.rate as number | undefined) ?? null,
        durationMs: (o.duration as number | undefined) ?? null,
        collide,
        migrateEvery: o.migrateEvery as number,
        commitEvery: o.commitEvery as number,
        permissionEvery: o.permissionEvery as number,
        permissionWaitMs: o.permissionWait as number,
        crashAfterMs: (o.crashAfter as number | undefined) ?? null,
        exitAfterTurns: (o.exitAfter as number | undefined) ?? null,
        resume: (o.resume as string | undefined) ?? null,
        notify,
        hostile: o.hostile === true,
        migrationsDir: String(o.migrationsDir),
        cwd: process.cwd(),
      });
    });
}
