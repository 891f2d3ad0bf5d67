import type { Command } from 'commander';
import { recordHook } from '../../core/sessions/status/fleet-hook.js';

/**
 * Hidden: record an agent hook event in an instance's event file (what the installed hooks do
 * through the lighter `fleet-hook.js`). Never fails the agent: always exit code 0.
 */
export function registerHookEvent(program: Command): void {
  program
    .command('hook-event', { hidden: true })
    .description('record an agent hook event (called by the hooks fleet-tui installs)')
    .requiredOption('--file <path>', 'the instance event file')
    .option('--event <name>', 'event name when the payload has none')
    .argument('[payload]', 'JSON payload (Codex notify passes it as an argument; Claude on stdin)')
    .action(async (payloadArg: string | undefined, o: { file: string; event?: string }) => {
      await recordHook(o.file, o.event ?? null, payloadArg);
      process.exitCode = 0;
    });
}
