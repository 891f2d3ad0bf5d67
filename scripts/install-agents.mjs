#!/usr/bin/env node
// Installs the real agent CLIs the contract suite (test/contract) runs against, at the exact
// versions of scripts/agent-versions.json, into a cache OUTSIDE the checkout:
//   ${FLEET_AGENTS_CACHE:-$HOME/.cache/fleet-tui/agents}/<package>@<version>/node_modules/.bin/<bin>
// They are not devDependencies on purpose: `npm ci && npm start` never downloads them.
// Idempotent: an installed version is checked (its package.json and a runnable binary) and kept;
// a fresh one is installed into a temporary directory and renamed into place, so a half-finished
// install is never taken for a finished one. Exit 0 when every agent is there, 1 otherwise (CI
// then runs the suite, which skips the missing agents loudly).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pins = JSON.parse(readFileSync(path.join(here, 'agent-versions.json'), 'utf8'));
const cache =
  process.env.FLEET_AGENTS_CACHE || path.join(os.homedir(), '.cache', 'fleet-tui', 'agents');
const attempts = Number(process.env.FLEET_AGENTS_INSTALL_ATTEMPTS || 3);

const log = (msg) => process.stderr.write(`install-agents: ${msg}\n`);

function dirFor(pin) {
  return path.join(cache, `${pin.package.replace('/', '+')}@${pin.version}`);
}

/** The installed copy answers `--version` with the pinned version (not just a placeholder). */
function works(pin, dir) {
  const bin = path.join(dir, 'node_modules', '.bin', pin.bin);
  const manifest = path.join(dir, 'node_modules', ...pin.package.split('/'), 'package.json');
  if (!existsSync(bin) || !existsSync(manifest)) return false;
  if (JSON.parse(readFileSync(manifest, 'utf8')).version !== pin.version) return false;
  const res = spawnSync(bin, ['--version'], {
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      ...process.env,
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    },
  });
  return res.status === 0 && res.stdout.includes(pin.version);
}

function install(pin) {
  const dir = dirFor(pin);
  if (works(pin, dir)) {
    log(`${pin.package}@${pin.version} already installed in ${dir}`);
    return true;
  }
  mkdirSync(cache, { recursive: true });
  for (let i = 1; i <= attempts; i++) {
    const tmp = mkdtempSync(path.join(cache, '.installing-'));
    try {
      log(`installing ${pin.package}@${pin.version} (attempt ${i}/${attempts})`);
      execFileSync(
        'npm',
        [
          'install',
          '--prefix',
          tmp,
          '--no-audit',
          '--no-fund',
          '--save-exact',
          '--fetch-retries',
          '4',
          '--fetch-timeout',
          '120000',
          `${pin.package}@${pin.version}`,
        ],
        { stdio: ['ignore', 'ignore', 'inherit'], timeout: 10 * 60_000 },
      );
      // npm versions that hold back install scripts leave Claude's placeholder binary: run its
      // postinstall (it links the platform binary in place) ourselves.
      const postinstall = path.join(tmp, 'node_modules', ...pin.package.split('/'), 'install.cjs');
      if (!works(pin, tmp) && existsSync(postinstall))
        execFileSync(process.execPath, [postinstall], {
          cwd: path.dirname(postinstall),
          stdio: ['ignore', 'ignore', 'inherit'],
        });
      if (!works(pin, tmp)) throw new Error(`${pin.bin} --version does not answer ${pin.version}`);
      rmSync(dir, { recursive: true, force: true });
      try {
        renameSync(tmp, dir);
      } catch (e) {
        // Another install finished first: theirs is as good as ours.
        if (!works(pin, dir)) throw e;
      }
      log(`${pin.package}@${pin.version} installed in ${dir}`);
      return true;
    } catch (e) {
      log(`attempt ${i} failed: ${String(e.message).split('\n')[0]}`);
      if (i < attempts) execFileSync('sleep', [String(5 * i)]);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  return false;
}

const failed = Object.values(pins).filter((pin) => !install(pin));
if (failed.length) {
  log(
    `FAILED: ${failed.map((p) => `${p.package}@${p.version}`).join(', ')} — the contract suite will skip these agents (rerun: node scripts/install-agents.mjs)`,
  );
  process.exitCode = 1;
}
