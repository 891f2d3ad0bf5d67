import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { FleetError } from '../errors.js';
import { gitOut } from '../git/run.js';

const MARKER = '# fleet-tui-hook: pre-push';
const CHAINED = 'pre-push.fleet-tui-chained';

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The fleet-tui entry point the hook runs: this installation's bin, else `fleet-tui` on PATH. */
function selfBin(): string {
  return path.resolve(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    '..',
    'bin',
    'fleet-tui.js',
  );
}

function hookScript(node = process.execPath, bin = selfBin()): string {
  return `#!/bin/sh
${MARKER}
# Installed by \`fleet-tui hooks install\`: checks the SQL migrations in the commits being pushed,
# from any worktree of this repository. \`fleet-tui hooks uninstall\` restores the hook that was here.
hookdir=$(dirname "$0")
chained="$hookdir/${CHAINED}"
# The ref lines on stdin go to the previous hook (if any) and to the check.
refs=$(mktemp) || exit 1
trap 'rm -f "$refs"' EXIT
cat > "$refs"
if [ -x "$chained" ]; then
  "$chained" "$@" < "$refs" || exit $?
fi
if [ -x ${q(node)} ] && [ -f ${q(bin)} ]; then
  ${q(node)} ${q(bin)} migrations check --push < "$refs" >&2
else
  fleet-tui migrations check --push < "$refs" >&2
fi
status=$?
if [ "$status" -ne 0 ]; then
  echo "fleet-tui: push blocked by the migration check above — fix it, then push again" >&2
fi
exit "$status"
`;
}

/** The hooks directory git uses (respects core.hooksPath; shared by all worktrees). */
async function hooksDir(cwd: string): Promise<string> {
  const dir = await gitOut(['rev-parse', '--path-format=absolute', '--git-path', 'hooks'], {
    cwd,
    readOnly: true,
    allowFail: true,
  });
  if (!dir)
    throw new FleetError(`${cwd} is not inside a git repository — run this in your repository`);
  return dir;
}

function isOurs(text: string): boolean {
  return text.includes(MARKER);
}

export interface HookResult {
  file: string;
  /** Where the previous hook was kept (install) or restored from (uninstall); null if none. */
  chained: string | null;
  changed: boolean;
}

/** Install the pre-push hook; an existing foreign hook is kept (renamed) and run first. */
export async function installHook(cwd: string): Promise<HookResult> {
  const dir = await hooksDir(cwd);
  const file = path.join(dir, 'pre-push');
  const chained = path.join(dir, CHAINED);
  await mkdir(dir, { recursive: true });
  const current = existsSync(file) ? await readFile(file, 'utf8') : null;
  const script = hookScript();
  if (current !== null && isOurs(current)) {
    const changed = current !== script;
    if (changed) await writeFile(file, script, { mode: 0o755 });
    return { file, chained: existsSync(chained) ? chained : null, changed };
  }
  if (current !== null) {
    if (existsSync(chained)) {
      throw new FleetError(
        `${chained} already exists and ${file} is not fleet-tui's — move one of them away, then run hooks install again`,
      );
    }
    await rename(file, chained);
  }
  await writeFile(file, script, { mode: 0o755 });
  await chmod(file, 0o755);
  return { file, chained: current !== null ? chained : null, changed: true };
}

/** Remove fleet-tui's pre-push hook and put back the one it chained, byte for byte. */
export async function uninstallHook(cwd: string): Promise<HookResult> {
  const dir = await hooksDir(cwd);
  const file = path.join(dir, 'pre-push');
  const chained = path.join(dir, CHAINED);
  const current = existsSync(file) ? await readFile(file, 'utf8') : null;
  if (current === null || !isOurs(current)) return { file, chained: null, changed: false };
  await rm(file);
  if (!existsSync(chained)) return { file, chained: null, changed: true };
  await rename(chained, file);
  return { file, chained, changed: true };
}
