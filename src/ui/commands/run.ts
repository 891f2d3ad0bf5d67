import type { CommandSpec } from '../../keymap/commands.js';
import type { CommandContext, DisabledContext } from './context.js';
import { HANDLERS } from './handlers.js';

export type { AppExit, CommandContext } from './context.js';

/** Why `cmd` cannot run in this context, or null. */
export function disabledReason(cmd: CommandSpec, c: DisabledContext): string | null {
  return HANDLERS[cmd.id].disabledReason?.(c) ?? null;
}

/**
 * Run a command bound to `key`: a disabled command says why in the log instead of failing later;
 * a dangerous one (the table's `dangerous` flag) asks first and runs on `y`.
 */
export function runCommand(cmd: CommandSpec, key: string, c: CommandContext): void {
  const why = disabledReason(cmd, c);
  if (why) return c.fleet.store.log('warn', why);
  if (cmd.dangerous) {
    return c.dispatch({
      type: 'prompt',
      prompt: {
        kind: 'confirm',
        then: { type: 'command', command: cmd.id, key },
        id: c.focusedId,
        question: `${cmd.description} (${c.focusedId})?`,
      },
    });
  }
  HANDLERS[cmd.id].run(c, key);
}
