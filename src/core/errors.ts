/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

/**
 * An error a person can act on: `message` is one line saying what is wrong, where, and what to
 * do. The CLI prints it without a stack trace (unless --debug) and exits with `exitCode`.
 */
export class FleetError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT.problems,
  ) {
    super(message);
    this.name = 'FleetError';
  }
}

/** Usage or configuration error: exit code 2. */
export class UsageError extends FleetError {
  constructor(message: string) {
    super(message, EXIT.usage);
    this.name = 'UsageError';
  }
}
