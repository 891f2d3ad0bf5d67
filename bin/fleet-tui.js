#!/usr/bin/env node
// Tiny shim: the compiled CLI lives in dist/ (built by `npm install` through `prepare`).
// `--version` is answered here: loading the CLI (commander, zod, every command) costs more
// than the answer, and scripts call it to probe for fleet-tui.
import { statSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const { readFileSync } = await import('node:fs');
  const pkg = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  process.stdout.write(`${/"version":\s*"([^"]+)"/.exec(pkg)?.[1] ?? 'unknown'}\n`);
} else {
  // Node ≥ 22.1 keeps V8's compiled code of dist/ between runs (a no-op where it is missing, as on
  // Node 20; NODE_DISABLE_COMPILE_CACHE=1 turns it off).
  const { default: mod } = await import('node:module');
  /** @type {{ enableCompileCache?: () => unknown }} */ (mod).enableCompileCache?.();
  // `status`, `land` and `migrations check` run from the bundled CLI (scripts/bundle-cli.mjs: one
  // script instead of ~100 modules, with V8's compiled code kept between runs); the modules one
  // by one when there is no bundle or it is older than dist/ (a tsc-only build since).
  const cold =
    args[0] === 'status' || args[0] === 'land'
      ? args[0]
      : args[0] === 'migrations' && args[1] === 'check'
        ? 'check'
        : '';
  const bundled = cold && freshBundle() ? await import('./cold-cli.js') : null;
  const { main } = bundled
    ? bundled.loadColdCli(new URL('../dist/cold/cli.cjs', import.meta.url), cold)
    : await import('../dist/cli/main.js');
  process.exitCode = await main(process.argv);
  bundled?.keepCompiledCode(process.exitCode);
}

function freshBundle() {
  try {
    const at = (/** @type {string} */ rel) => statSync(new URL(rel, import.meta.url)).mtimeMs;
    return at('../dist/cold/cli.cjs') >= at('../dist/cli/main.js');
  } catch {
    return false;
  }
}
