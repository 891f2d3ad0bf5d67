/**
 * Quoting for the remote shell. `ssh host CMD` hands CMD to the login shell on the host as one
 * string, so every word that comes from a config, a branch name or a path is single-quoted
 * (POSIX: nothing is special inside single quotes; a quote itself is closed, escaped, reopened).
 * The host's login shell must be POSIX-like (sh, bash, dash, zsh) — git's own ssh transport
 * assumes the same.
 */
export function shQuote(word: string): string {
  if (word.includes('\0')) throw new Error('a NUL byte cannot be passed to a remote command');
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** A command line from argv: each word quoted, never split or expanded by the remote shell. */
export function shArgv(argv: readonly string[]): string {
  return argv.map(shQuote).join(' ');
}
