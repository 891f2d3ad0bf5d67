import { CommanderError, type Command } from 'commander';
import { ConfigError } from '../config/load.js';
import { EXIT, FleetError } from '../core/errors.js';
import { sanitizeLines } from '../text/sanitize.js';
import { describeFsError, isFsError } from './fs-error.js';
import { err, errLines, isStdoutClosed, onClosedStdout } from './output.js';
import { buildProgram } from './program.js';

/** Commands that change nothing: when the reader of their output leaves, they just end. */
const READ_ONLY = new Set([
  'status',
  'config',
  'migrations check',
  'migrations next',
  'migrations watch',
  'agents tail',
]);

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/**
 * Run the CLI and return the exit code. Errors become one line each; stack traces only with
 * --debug. Commands signal "ran but found problems" by setting process.exitCode = 1.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  let readOnly = true;
  program.hook('preAction', (_self, action) => {
    readOnly =
      READ_ONLY.has(commandPath(action)) || action.opts<{ dryRun?: boolean }>().dryRun === true;
  });
  onClosedStdout(() => {
    if (readOnly) process.exit(EXIT.ok);
  });
  // Commander echoes what was typed (`unknown command 'x'`): shown, never emitted, like the rest.
  program.configureOutput({
    writeOut: (s) => void process.stdout.write(sanitizeLines(s)),
    writeErr: (s) => void process.stderr.write(sanitizeLines(s)),
  });
  try {
    await program.parseAsync(argv);
    if (isStdoutClosed()) return EXIT.ok;
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
    if (e instanceof ConfigError) {
      // One line per problem: a multi-line message would let a newline in a value pass as one.
      for (const p of e.problems) err(`fleet-tui: ${e.file}: ${p.at}: ${p.message}`);
      if (debug && e.stack) errLines(e.stack);
      return e.exitCode;
    }
    if (e instanceof FleetError) {
      err(`fleet-tui: ${e.message}`);
      if (debug && e.stack) errLines(e.stack);
      return e.exitCode;
    }
    if (isFsError(e)) {
      err(`fleet-tui: ${describeFsError(e)}`);
      if (debug && e.stack) errLines(e.stack);
      return EXIT.problems;
    }
    const message = e instanceof Error ? e.message : String(e);
    err(
      `fleet-tui: unexpected error: ${message.split('\n')[0]} — run again with --debug for details`,
    );
    if (debug && e instanceof Error && e.stack) errLines(e.stack);
    return EXIT.problems;
  }
}
