import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { shellQuote } from '../launch.js';

/**
 * How an agent starts in a tmux window without its argv meeting tmux's command parser.
 *
 * tmux reads its own argv as commands: an argument ending in `;` ends the command (`lib/;` loses
 * its `;`, and `'x;' 'run-shell' 'touch F'` runs a shell command), and `-c DIR` is expanded as
 * a format. So tmux is only ever given `/bin/sh <script>`: a one-shot script, written here with
 * every value single-quoted (byte-exact for any bytes but NUL), that changes to the worktree,
 * exports the environment, checks the command exists, removes itself and `exec`s the agent — the
 * agent is then the pane's own process (its pid, its exit status, its signals), with no launcher
 * left running.
 *
 * If the directory or the binary is missing, the shell says so in the pane and exits (126 for
 * the directory, 127 for the binary) without removing the script: "script gone, pane alive"
 * means the agent was exec'd. The session reports `crashed` with the shell's message
 * (launchFailure) and removes the script itself.
 */
export interface LaunchSpec {
  instance: string;
  cwd: string;
  env: Record<string, string>;
  command: string;
  args: string[];
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Scripts the shell never ran (tmux failed mid-start) are removed after this long. */
const STALE_MS = 10 * 60_000;

function checkValue(instance: string, what: string, v: string): void {
  if (v.includes('\0')) {
    throw new UsageError(
      `instance ${instance}: ${what} contains a NUL byte, which no program argument can hold — remove it from the config`,
    );
  }
}

/** The script's text (exported for tests). */
export function launchScript(spec: LaunchSpec): string {
  const lines = [
    `# fleet-tui: starts instance ${spec.instance}'s agent once, then is gone (launcher.ts)`,
    `cd -- ${shellQuote(spec.cwd)} || exit 126`,
  ];
  checkValue(spec.instance, 'the worktree path', spec.cwd);
  for (const [k, v] of Object.entries(spec.env)) {
    if (!ENV_NAME.test(k)) {
      throw new UsageError(
        `instance ${spec.instance}: environment variable name "${k}" is not valid — use letters, digits and _ (not starting with a digit)`,
      );
    }
    checkValue(spec.instance, `environment variable ${k}`, v);
    lines.push(`export ${k}=${shellQuote(v)}`);
  }
  [spec.command, ...spec.args].forEach((a, i) =>
    checkValue(spec.instance, i === 0 ? 'the agent command' : `agent argument ${i}`, a),
  );
  const cmd = shellQuote(spec.command);
  // Not found: `exec` it anyway, so the message is the shell's own ("exec: x: not found", 127).
  lines.push(`command -v -- ${cmd} >/dev/null 2>&1 || exec ${cmd}`);
  lines.push('rm -f -- "$0"');
  lines.push(`exec ${[spec.command, ...spec.args].map(shellQuote).join(' ')}`);
  return `${lines.join('\n')}\n`;
}

/** Write the one-shot script into `dir` (private, 0700); returns tmux's argv for it. */
export function writeLauncher(dir: string, spec: LaunchSpec): { argv: string[]; file: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  removeStale(dir);
  const file = path.join(dir, `${spec.instance}-${randomBytes(6).toString('hex')}.sh`);
  writeFileSync(file, launchScript(spec), { mode: 0o600, flag: 'wx' });
  return { argv: ['/bin/sh', file], file };
}

function removeStale(dir: string): void {
  try {
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      const f = path.join(dir, name);
      if (name.endsWith('.sh') && now - statSync(f).mtimeMs > STALE_MS) rmSync(f, { force: true });
    }
  } catch {
    // Best effort: a leftover script is harmless (it only runs when tmux is told to run it).
  }
}

/** Exit statuses of a launch that never reached the agent: 126 the worktree could not be
 * entered (or the binary not executed), 127 the command was not found. */
export const LAUNCH_FAILED: ReadonlySet<number> = new Set([126, 127]);

/**
 * The shell's own message when the launch failed (the last line the pane shows), without the
 * script-name prefix (`/…/ps1-ab12.sh: 4: `) that sh puts in front of it.
 */
export function launchFailure(screen: readonly string[]): string | null {
  for (let i = screen.length - 1; i >= 0; i--) {
    // eslint-disable-next-line no-control-regex
    const line = screen[i]!.replace(/\x1b\[[0-9;:]*m/g, '').trim();
    // tmux's own remain-on-exit line ("Pane is dead (status 127, …)") comes last.
    if (!line || /^Pane is dead\b/.test(line)) continue;
    return line.replace(/^\S*\.sh: (?:line )?\d+: /, '');
  }
  return null;
}

/**
 * The note for a launch that failed (the launcher never exec'd the agent) when its shell's
 * message is not on the screen: 127 the command was not found, 126 the worktree could not be
 * entered or the binary not executed (launchScript's two exits).
 */
export function lostLaunchFailure(
  status: number,
  launched: { command: string; cwd: string },
): string {
  return status === 127
    ? `${launched.command}: not found`
    : `could not enter ${launched.cwd} or execute ${launched.command}`;
}
