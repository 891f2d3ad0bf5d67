import type { ResolvedHost } from '../../config/types.js';
import { FleetError } from '../errors.js';
import { CLAUDE_HOOK_EVENTS } from '../sessions/status/claude-hooks.js';
import { HOST_HOOK_NAME, hostHookCommand } from './agent-hooks.js';
import { shArgv } from './quote.js';
import { hostRun } from './ssh.js';

/**
 * Claude Code's status hooks in a host worktree's `.claude/settings.local.json`, as locally
 * (status/claude-hooks.ts): merged with what is there, never written when git tracks the file,
 * kept out of `git status` through the clone's info/exclude. Two round trips: read, then write.
 */
const SETTINGS = '.claude/settings.local.json';
const PATTERN = '/.claude/settings.local.json';

interface HookEntry {
  matcher?: string;
  hooks?: Array<{ type?: string; command?: string }>;
}

/** Entries fleet-tui wrote, here or by a local install (`fleet-hook.js --file`). */
function ours(entry: HookEntry): boolean {
  return (entry.hooks ?? []).some(
    (h) =>
      typeof h.command === 'string' &&
      (h.command.includes(HOST_HOOK_NAME) || h.command.includes('fleet-hook.js --file ')),
  );
}

function mergeHostHooks(
  settings: Record<string, unknown>,
  instance: string,
  eventFile: string,
): Record<string, unknown> {
  const hooks = { ...((settings.hooks as Record<string, HookEntry[]> | undefined) ?? {}) };
  for (const event of CLAUDE_HOOK_EVENTS) {
    const command = hostHookCommand(instance, event, eventFile);
    const kept = (Array.isArray(hooks[event]) ? hooks[event] : []).filter((e) => !ours(e));
    hooks[event] = [...kept, { matcher: '', hooks: [{ type: 'command', command }] }];
  }
  return { ...settings, hooks };
}

/** Install the hooks; returns why they were skipped (tracked file), else null. */
export async function installHostClaudeHooks(
  host: ResolvedHost,
  worktree: string,
  eventFile: string,
  instance: string,
): Promise<string | null> {
  const cd = `cd -- ${shArgv([worktree])} || exit 3`;
  const read = await hostRun(
    host,
    `${cd}; if git ls-files --error-unmatch -- ${SETTINGS} >/dev/null 2>&1; then echo tracked; ` +
      `else echo untracked; cat ${SETTINGS} 2>/dev/null; fi; exit 0`,
    { uncounted: true },
  );
  const text = read.stdout.toString('utf8');
  const where = `${SETTINGS} in ${worktree} on host "${host.name}"`;
  if (read.exitCode !== 0) throw new FleetError(`cannot read ${where}: ${read.stderr.trim()}`);
  if (text.startsWith('tracked\n'))
    return `${SETTINGS} is tracked by git — status hooks skipped (status comes from the screen)`;
  let settings: Record<string, unknown> = {};
  const body = text.slice('untracked\n'.length);
  try {
    const parsed: unknown = JSON.parse(body.trim() || '{}');
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('not an object');
    settings = parsed as Record<string, unknown>;
  } catch (e) {
    throw new FleetError(
      `${where}: not valid JSON (${(e as Error).message}) — fix or remove it so fleet-tui can add its status hooks`,
    );
  }
  const next = `${JSON.stringify(mergeHostHooks(settings, instance, eventFile), null, 2)}\n`;
  // `cat >` keeps an existing file's mode (often 0600); the agent is not running yet.
  const write = await hostRun(
    host,
    `${cd}; mkdir -p .claude && cat > ${SETTINGS} || exit 4; ` +
      'x=$(git rev-parse --path-format=absolute --git-path info/exclude) || exit 5; ' +
      'mkdir -p "$(dirname "$x")" || exit 5; ' +
      `grep -qxF ${shArgv([PATTERN])} "$x" 2>/dev/null || { [ -s "$x" ] && [ -n "$(tail -c 1 "$x")" ] && echo >> "$x"; ` +
      `printf '# fleet-tui: agent hook settings\\n%s\\n' ${shArgv([PATTERN])} >> "$x"; }`,
    { input: next, uncounted: true },
  );
  if (write.exitCode !== 0) throw new FleetError(`cannot write ${where}: ${write.stderr.trim()}`);
  return null;
}
