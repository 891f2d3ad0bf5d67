import type { MigrationProblem } from '../types.js';
import type { FleetModel } from '../model.js';
import { describe, fileOf, type RuleContext } from './context.js';
import { MAX_MIGRATION_BYTES } from '../safe-read.js';

/** A file in the migrations directory that was not read: a device, FIFO, socket, a symlink
 * leaving the worktree or an oversized file. Its content could not be checked. */
export function unreadable(model: FleetModel, ctx: RuleContext): MigrationProblem[] {
  return model.instances.flatMap((i) =>
    (i.skipped ?? []).map((e): MigrationProblem => ({
      rule: 'unreadable',
      severity: 'warning',
      version: '',
      files: [fileOf(e)],
      message: `${describe(e, ctx)} ${e.reason}; its content was not checked`,
      fix: `make it a regular file of at most ${MAX_MIGRATION_BYTES / 1024 / 1024} MiB inside the repository, or remove it`,
    })),
  );
}
