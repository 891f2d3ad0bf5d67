import type { Command } from 'commander';
import { EXIT } from '../core/errors.js';
import { sanitizeLines } from '../text/sanitize.js';
import { isStdoutClosed, onClosedStdout } from './output.js';
import { buildProgram } from './program.js';
import { reportError } from './report-error.js';

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
  const debug = argv.includes('--debug');
  try {
    const program = await buildProgram(argv);
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
    await program.parseAsync(argv);
    if (isStdoutClosed()) return EXIT.ok;
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (e) {
    return reportError(e, debug);
  }
}
