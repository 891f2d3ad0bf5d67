/**
 * Options of the real `codex` (0.171.0: `codex --help`, `codex resume --help`, `codex exec
 * --help`) that take their value as the next argument. Anything else starting with `-` is a
 * flag or carries its value after `=`.
 */
const TAKES_VALUE = new Set([
  '-c',
  '--config',
  '--enable',
  '--disable',
  '--remote',
  '--remote-auth-token-env',
  '-i',
  '--image',
  '-m',
  '--model',
  '--local-provider',
  '-p',
  '--profile',
  '-s',
  '--sandbox',
  '-C',
  '--cd',
  '--add-dir',
  '-a',
  '--ask-for-approval',
  '-o',
  '--output-last-message',
  '--output-schema',
  '--color',
]);

/**
 * The options of a codex command line, each with its value, in order; positional arguments (the
 * prompt a template places) are left out, and so is everything after `--`. A resumed session is
 * started with these: the person's model, sandbox, approval policy and `-c` overrides hold after
 * a restart as before it.
 */
export function codexOptions(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') break;
    if (!a.startsWith('-') || a === '-') continue;
    out.push(a);
    if (TAKES_VALUE.has(a) && i + 1 < args.length) out.push(args[++i]!);
  }
  return out;
}
