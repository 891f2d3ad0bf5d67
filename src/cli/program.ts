import { createRequire } from 'node:module';
import { Command } from 'commander';
import { SUBCOMMANDS } from './commands/index.js';

const require = createRequire(import.meta.url);
const pkg = require('../../package.json') as { version: string; description: string };

export function buildProgram(): Command {
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
  for (const register of SUBCOMMANDS) register(program);
  // Subcommands inherit the override so their usage errors reach main() as exceptions too.
  for (const cmd of program.commands) cmd.exitOverride();
  return program;
}
