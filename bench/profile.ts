// `npm run bench -- --profile`: one extra, unmeasured run of each fleet-tui figure under
// `node --cpu-prof`, summarized by module, to say where the time goes when a target is missed.
import { execa } from 'execa';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildFleet } from './fixtures/fleet.js';
import { BIN } from './land/contenders.js';
import { workDir } from './lib/env.js';
import {
  formatSummary,
  newestProfile,
  summarizeProfile,
  type ProfileSummary,
} from './lib/profile.js';
import { printerFleet } from './load/suite.js';
import { terminalFor } from './load/spec.js';
import { tuiRun } from './load/tui.js';
import { migrationFleet } from './migrations/fixture.js';

const CONFIG_LOAD = path.join(import.meta.dirname, 'config-load.js');

async function profiled(
  name: string,
  dir: string,
  run: () => Promise<unknown>,
): Promise<[string, ProfileSummary] | undefined> {
  await run();
  const file = newestProfile(dir);
  return file ? [name, summarizeProfile(file)] : undefined;
}

/**
 * One profiled run of a fleet-tui command, in the state its measured runs start from: the config
 * compiled once before (figures 1 and 5 run `config` first; unwarmed, the profile showed esbuild
 * compiling `fleet.config.ts`, which no measured run does), and, for a command that may run
 * twice (`warm`), V8's code cache of the command written by one unprofiled run.
 */
async function cliProfile(name: string, cwd: string, args: string[], dir: string, warm = false) {
  await execa(process.execPath, [BIN, 'config'], { cwd });
  if (warm) await execa(process.execPath, [BIN, ...args], { cwd, reject: false });
  return profiled(name, dir, () =>
    execa(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN, ...args], {
      cwd,
      reject: false,
    }),
  );
}

export async function profileSuite(
  durationS: number,
  log: (s: string) => void,
): Promise<Record<string, ProfileSummary>> {
  const out: Record<string, ProfileSummary> = {};
  const keep = (r: [string, ProfileSummary] | undefined) => {
    if (!r) return;
    out[r[0]] = r[1];
    log(formatSummary(r[0], r[1]));
  };
  const dirs: string[] = [];
  // Every directory made here (profiles, fixtures) is removed at the end.
  const fresh = () => owned({ dir: mkdtempSync(path.join(workDir(), 'prof-')) }).dir;
  const owned = <T extends { dir: string }>(f: T): T => (dirs.push(f.dir), f);
  try {
    const tuiDir = fresh();
    const fleet = owned(await printerFleet(12));
    keep(
      await profiled('fleet-tui, 12 agents × 500 lines/s', tuiDir, () =>
        tuiRun(fleet, terminalFor(12), [{ rate: 500, durationS, keys: false }], tuiDir),
      ),
    );
    const mig = owned(await migrationFleet(12, 5000));
    const check = ['migrations', 'check', '--json'];
    keep(
      await cliProfile(
        'fleet-tui migrations check, 5,000 + 12 worktrees',
        mig.repo,
        check,
        fresh(),
        true,
      ),
    );
    const land = owned(await buildFleet({ instances: 12, commits: 2 }));
    keep(
      await cliProfile(
        'fleet-tui land --all, 12 × 2',
        land.repo,
        ['land', '--all', '--json'],
        fresh(),
      ),
    );
    // Figure 8's cold paths: `status --json` on its 12-instance fleet (code cache written by one
    // unprofiled run, as its measured runs have it), and one config load of that fleet's
    // unchanged fleet.config.ts (bench/config-load.js: the whole process, its imports included).
    const cold = owned(await buildFleet({ instances: 12, commits: 2 }));
    keep(
      await cliProfile(
        'fleet-tui status --json, 12 instances',
        cold.repo,
        ['status', '--json'],
        fresh(),
        true,
      ),
    );
    const loadDir = fresh();
    keep(
      await profiled('config load, fleet.config.ts unchanged (bench/config-load.js)', loadDir, () =>
        execa(process.execPath, [
          '--cpu-prof',
          `--cpu-prof-dir=${loadDir}`,
          CONFIG_LOAD,
          cold.repo,
        ]),
      ),
    );
  } finally {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  return out;
}
