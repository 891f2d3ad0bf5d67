// Vitest global setup: the CLI tests run bin/fleet-tui.js, which runs dist/. Build dist/ when any
// source file is newer than it, so `vitest run` can never test a stale build.
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function newest(dir: string): number {
  let latest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) latest = Math.max(latest, statSync(path.join(e.parentPath, e.name)).mtimeMs);
  }
  return latest;
}

function builtAt(): number {
  try {
    return newest(path.join(ROOT, 'dist'));
  } catch {
    return 0;
  }
}

export default function setup(): void {
  const sources = Math.max(
    newest(path.join(ROOT, 'src')),
    statSync(path.join(ROOT, 'tsconfig.build.json')).mtimeMs,
    statSync(path.join(ROOT, 'package.json')).mtimeMs,
  );
  if (builtAt() >= sources) return;
  execFileSync(process.execPath, [tscPath(), '-p', 'tsconfig.build.json'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  // `status` and `migrations check` run from the bundled CLI (dist/cold/): rebuilt with dist/, so
  // the tests run what was just compiled (bin/fleet-tui.js also skips a bundle older than dist/).
  execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'bundle-cli.mjs')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
}

function tscPath(): string {
  return path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
}
