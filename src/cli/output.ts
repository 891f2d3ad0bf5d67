import {
  escapeJsonControls,
  sanitize,
  sanitizeKeepingColours,
  sanitizeLines,
} from '../text/sanitize.js';

/**
 * The CLI's only way to print (Ink owns the terminal while the TUI runs, so no console.*), and
 * the output edge of every subcommand: each call prints ONE line, and every control character in
 * it is shown (`\x1b`, `\n`), never emitted — file names, branch names, commit subjects and
 * git's messages come from people and programs fleet-tui does not trust. To print several
 * lines, call once per line.
 */
export function out(line: string): void {
  write(process.stdout, sanitize(line.endsWith('\n') ? line.slice(0, -1) : line));
}

export function err(line: string): void {
  write(process.stderr, sanitize(line.endsWith('\n') ? line.slice(0, -1) : line));
}

/** Several lines on stderr (a stack trace with --debug): line breaks kept, controls shown. */
export function errLines(text: string): void {
  write(process.stderr, sanitizeLines(text.endsWith('\n') ? text.slice(0, -1) : text));
}

/** Rendered agent output (`agents tail` on a terminal): colours kept, other controls shown. */
export function outKeepingColours(line: string): void {
  write(process.stdout, sanitizeKeepingColours(line.endsWith('\n') ? line.slice(0, -1) : line));
}

/** `--json`: the exact values (JSON escapes them), pretty-printed, or one line with `compact`. */
export function printJson(value: unknown, opts: { compact?: boolean } = {}): void {
  const text = opts.compact ? JSON.stringify(value) : JSON.stringify(value, null, 2);
  write(process.stdout, escapeJsonControls(text));
}

let stdoutClosed = false;
let stderrClosed = false;

function write(stream: NodeJS.WriteStream, line: string): void {
  if (stream === process.stdout ? stdoutClosed : stderrClosed) return;
  stream.write(`${line}\n`);
}

/**
 * `fleet-tui status | head -1`: the reader leaving is a normal end, not an error. Read-only
 * commands end at once (exit 0); a command that changes something (land, sync, up…) finishes its
 * work without printing, so a closed pipe never leaves a land or a rebase half done.
 */
export function onClosedStdout(end: () => void): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stdoutClosed = true;
    end();
  });
  // `2>&1 | head`: messages into a closed pipe are dropped, never a crash.
  process.stderr.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    stderrClosed = true;
  });
}

export function isStdoutClosed(): boolean {
  return stdoutClosed;
}
