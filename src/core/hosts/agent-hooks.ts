import { shArgv } from './quote.js';

/**
 * Status hooks of an agent on an SSH host. Nothing of fleet-tui is installed there, so a hook is
 * a POSIX shell one-liner (no node, no fleet-hook.js): it appends the hook's payload, as the
 * agent gave it, to the instance's event file on the host, wrapped in one JSON line:
 *
 *   {"fleetHost":1,"event":"Stop","managed":1,"t":<epoch s>,"payload":<the agent's JSON>}
 *
 * fleet-tui reads the file over SSH (agent-events.ts) and normalises each line here with the
 * same code as a local hook (hookEventFromPayload). The payload is never trusted: a line that is
 * not valid JSON (a payload that was not, a half-written line) is dropped when read.
 */
export const HOST_HOOK_NAME = 'fleet-tui-host-hook';

// $1 instance, $2 event, $3 file. Newlines of the payload become spaces (JSON allows that
// outside strings; inside strings they are escaped already), so one hook is one line.
const SCRIPT = [
  'p=$(tr "\\n\\r" "  ")',
  '[ -n "$p" ] || p="{}"',
  'm=0',
  '[ "${FLEET_TUI_INSTANCE-}" = "$1" ] && m=1',
  'mkdir -p "$(dirname "$3")"',
  'printf \'{"fleetHost":1,"event":"%s","managed":%s,"t":%s,"payload":%s}\\n\' "$2" "$m" "$(date +%s)" "$p" >> "$3"',
  'exit 0',
].join('\n');

/** The shell command a Claude hook runs on the host (event names come from fleet-tui's table). */
export function hostHookCommand(instance: string, event: string, file: string): string {
  return shArgv(['sh', '-c', SCRIPT, HOST_HOOK_NAME, instance, event, file]);
}

/** Codex-style `notify` argv: the payload is the last argument instead of stdin. */
export function hostNotifyArgv(instance: string, file: string): string[] {
  const fromArg = SCRIPT.replace('p=$(tr "\\n\\r" "  ")', 'p=$(printf %s "$4" | tr "\\n\\r" "  ")');
  return ['sh', '-c', fromArg, HOST_HOOK_NAME, instance, 'agent-turn-complete', file];
}

/** A Codex project hook on the host (`.codex/hooks.json` of the host clone): the same text for
 * every instance, since Codex trusts a hook by a hash of its command; what varies comes from the
 * environment fleet-tui's launcher sets. Run by hand (no fleet-tui environment) it does nothing. */
export function hostCodexHookCommand(event: string): string {
  return `[ -z "$FLEET_TUI_EVENT_FILE" ] || exec ${shArgv(['sh', '-c', SCRIPT, HOST_HOOK_NAME])} "$FLEET_TUI_INSTANCE" ${shArgv([event])} "$FLEET_TUI_EVENT_FILE"`;
}
