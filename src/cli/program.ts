import { createRequire } from 'node:module';
import { Command } from 'commander';
import { ROOT, SUBCOMMANDS } from './commands/index.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string; description: string };

/** Global options that take a value: what follows them is not the subcommand. */
const VALUED = new Set(['-c', '--config']);

/** The subcommand named on the command line (its first operand), or null when there is none. */
export function subcommandOf(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return args[i + 1] ?? null;
    if (VALUED.has(a)) i++;
    else if (!a.startsWith('-') || a === '-') return a;
  }
  return null;
}

/**
 * The program with the commands `argv` can reach: only the named subcommand when it is one
 * (module loading was most of a short command's start-up); every one for help, for a name that
 * is not a command (commander's suggestion needs them all) and for the TUI's root action.
 */
export async function buildProgram(argv: readonly string[]): Promise<Command> {
  const program = new Command('fleet-tui')
    .description(pkg.description)
    .version(pkg.version, '-V, --version')
    .option(
      '-c, --config <path>',
      'fleet config file (default: fleet.config.ts found upwards from the current directory)',
    )
    .option('--debug', 'print stack traces for unexpected errors')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureHelp({ sortSubcommands: false });
  const args = argv.slice(2);
  const name = subcommandOf(args);
  const one = SUBCOMMANDS.find(([n]) => n === name);
  const help = args.includes('-h') || args.includes('--help');
  const loads = one
    ? [one[1]]
    : name === null && !help
      ? [ROOT]
      : [...SUBCOMMANDS.map(([, l]) => l), ROOT];
  for (const register of await Promise.all(loads.map((load) => load()))) register(program);
  // Subcommands inherit the override so their usage errors reach main() as exceptions too.
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}
