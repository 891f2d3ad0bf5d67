import { CommanderError } from 'commander';
import { EXIT, FleetError } from '../core/errors.js';
import { err } from './output.js';
import { buildProgram } from './program.js';

/**
 * Run the CLI and return the exit code. Errors become one line each; stack traces only with
 * --debug. Commands signal "ran but found problems" by setting process.exitCode = 1.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version are successful exits; everything else is a usage error.
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      ) {
        return EXIT.ok;
      }
      return EXIT.usage;
    }
    if (e instanceof FleetError) {
      err(`fleet-tui: ${e.message}`);
      if (debug && e.stack) err(e.stack);
      return e.exitCode;
    }
    const message = e instanceof Error ? e.message : String(e);
    err(
      `fleet-tui: unexpected error: ${message.split('\n')[0]} — run again with --debug for details`,
    );
    if (debug && e instanceof Error && e.stack) err(e.stack);
    return EXIT.problems;
  }
}
