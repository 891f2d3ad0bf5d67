import { CommanderError } from 'commander';
import { ConfigError } from '../config/config-error.js';
import { EXIT, FleetError } from '../core/errors.js';
import { describeFsError, isFsError } from './fs-error.js';
import { err, errLines } from './output.js';

/** Help and version are successful exits; every other commander error is a usage error. */
const COMMANDER_OK = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

/**
 * What a command threw, as the exit code and one line on stderr (commander has already printed
 * its own); the stack only with --debug.
 */
export function reportError(e: unknown, debug: boolean): number {
  const stack = () => {
    if (debug && e instanceof Error && e.stack) errLines(e.stack);
  };
  if (e instanceof CommanderError) return COMMANDER_OK.has(e.code) ? EXIT.ok : EXIT.usage;
  if (e instanceof ConfigError) {
    // One line per problem: a multi-line message would let a newline in a value pass as one.
    for (const p of e.problems) err(`fleet-tui: ${e.file}: ${p.at}: ${p.message}`);
    stack();
    return e.exitCode;
  }
  if (e instanceof FleetError) {
    err(`fleet-tui: ${e.message}`);
    stack();
    return e.exitCode;
  }
  if (isFsError(e)) {
    err(`fleet-tui: ${describeFsError(e)}`);
    stack();
    return EXIT.problems;
  }
  const message = e instanceof Error ? e.message : String(e);
  err(
    `fleet-tui: unexpected error: ${message.split('\n')[0]} — run again with --debug for details`,
  );
  stack();
  return EXIT.problems;
}
