// Each command loads only what it runs: a config error or --version loads no zod, React, Ink or
// git engine; a subcommand loads no other subcommand. Checked on the built CLI with a module hook
// that records every module node loads.
import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { subcommandOf } from '../../src/cli/program.js';
import { BIN, REPO_ROOT } from '../helpers/git-fixture.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-lazy-'));
  await writeFile(
    path.join(dir, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  appendFileSync(process.env.FLEET_LAZY_LOG, url + '\\n');
  return next(url, context);
}
`,
  );
  // The bundled CLI (dist/cold/cli.cjs, which `status` and `migrations check` run from) is one
  // script: the modules it ran are the ones it names as they run (bin/cold-cli.js).
  await writeFile(
    path.join(dir, 'register.mjs'),
    `import { register } from 'node:module';
import { appendFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
register(${JSON.stringify(pathToFileURL(path.join(dir, 'hooks.mjs')).href)});
process.on('exit', () => {
  const ran = globalThis[Symbol.for('fleet-tui.cold-modules')];
  if (ran) appendFileSync(process.env.FLEET_LAZY_LOG, ran.map((m) => 'cold:' + m + '\\n').join(''));
});
`,
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Run the CLI in an empty directory; return its exit code and every module it loaded. */
async function loaded(args: string[], name: string) {
  const log = path.join(dir, `${name}.log`);
  await writeFile(log, '');
  const res = await execa(
    process.execPath,
    ['--import', pathToFileURL(path.join(dir, 'register.mjs')).href, BIN, ...args],
    { cwd: dir, reject: false, env: { FLEET_LAZY_LOG: log } },
  );
  const raw = (await readFile(log, 'utf8')).split('\n').filter(Boolean);
  return { ...res, raw, urls: unbundled(raw) };
}

/** A module the bundled CLI ran (`cold:dist/…`) stands for that module's file. */
function unbundled(urls: string[]): string[] {
  return urls.map((u) =>
    u.startsWith('cold:') ? pathToFileURL(path.join(REPO_ROOT, u.slice(5))).href : u,
  );
}

const HEAVY =
  /node_modules\/(zod|react|ink|execa|chokidar|esbuild)\/|dist\/(core\/(land|sessions|migrations)|ui|app\/open-tui)/;

describe('lazy command loading', () => {
  it('a config error (no fleet.config.ts) loads no zod, React, Ink or git engine', async () => {
    const r = await loaded(['status'], 'status');
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no fleet\.config\.ts found/);
    expect(r.urls.some((u) => u.includes('/dist/cli/commands/status.js'))).toBe(true);
    expect(r.urls.filter((u) => HEAVY.test(u))).toEqual([]);
    expect(r.urls.filter((u) => /dist\/cli\/commands\/(?!status|index)/.test(u))).toEqual([]);
  });

  it('status runs from the bundle, but not from one older than dist/ (a tsc-only build since)', async () => {
    const bundle = path.join(REPO_ROOT, 'dist', 'cold', 'cli.cjs');
    const fromBundle = (r: { raw: string[] }) => r.raw.some((u) => u.startsWith('cold:'));
    expect(fromBundle(await loaded(['status'], 'fresh'))).toBe(true);
    expect(fromBundle(await loaded(['land', '--all'], 'land'))).toBe(true);
    const { atime, mtime } = await stat(bundle);
    try {
      await utimes(bundle, atime, new Date(Date.now() - 3_600_000));
      const stale = await loaded(['status'], 'stale');
      expect(stale.exitCode).toBe(2);
      expect(fromBundle(stale)).toBe(false);
      expect(stale.raw.some((u) => u.endsWith('/dist/cli/main.js'))).toBe(true);
    } finally {
      await utimes(bundle, atime, mtime);
    }
  });

  it('--version loads nothing of the CLI', async () => {
    const r = await loaded(['--version'], 'version');
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.urls.filter((u) => u.includes('/dist/') || u.includes('node_modules'))).toEqual([]);
  });

  it('--help still lists every command; a misspelled one is still suggested', async () => {
    const help = await loaded(['--help'], 'help');
    expect(help.exitCode).toBe(0);
    for (const name of ['config', 'status', 'land', 'migrations', 'report']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
    }
    const typo = await loaded(['statsu'], 'typo');
    expect(typo.exitCode).toBe(2);
    expect(typo.stderr).toMatch(/Did you mean status\?/);
  });

  it('finds the subcommand past global options and their values', () => {
    expect(subcommandOf(['--config', 'status', 'land'])).toBe('land');
    expect(subcommandOf(['-c', 'x.ts', '--debug', 'status', '--json'])).toBe('status');
    expect(subcommandOf(['--config=x.ts', 'migrations', 'check'])).toBe('migrations');
    expect(subcommandOf(['--debug'])).toBeNull();
    expect(subcommandOf(['--', 'status'])).toBe('status');
  });
});
