// Figure 8 (issue 16): the cold paths beside their floor, measured run by run in the same
// process as the floor itself (`node -e 0`): --version, a config error, `status --json` on 12
// instances with its git spawns, and one config load with an unchanged fleet.config.ts.
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { buildFleet } from '../fixtures/fleet.js';
import { BIN } from '../land/contenders.js';
import { workDir } from '../lib/env.js';
import { cpuTimes } from '../lib/proc.js';
import type { Results } from '../lib/results.js';
import {
  describeCounts,
  readSpawnCounts,
  spawnCountFile,
  type SpawnCounts,
} from '../lib/spawns.js';

const CONFIG_LOAD = path.join(import.meta.dirname, '..', 'config-load.js');

/** Wall time, and CPU time (user+sys) of the process and every process it waited for. */
async function timed(
  args: string[],
  cwd: string,
  env: Record<string, string> = {},
  withoutCaCerts = false,
) {
  const c0 = cpuTimes(process.pid).children;
  const t0 = performance.now();
  const res = await execa(process.execPath, args, {
    cwd,
    reject: false,
    stdin: 'ignore',
    ...(withoutCaCerts ? { env: { ...withoutExtraCa(), ...env }, extendEnv: false } : { env }),
  });
  const ms = performance.now() - t0;
  return { ms, cpuMs: cpuTimes(process.pid).children - c0, res };
}

/**
 * NODE_EXTRA_CA_CERTS makes every node process read and parse that bundle at start-up (≈ 60 ms
 * CPU here, where it names the system's 220 KB bundle): set on the bench machine, rarely on a
 * person's. Where it is set, the floor and `status --json` are also timed without it.
 */
const EXTRA_CA = process.env.NODE_EXTRA_CA_CERTS;
function withoutExtraCa(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'NODE_EXTRA_CA_CERTS') env[k] = v;
  return env;
}

export async function coldSuite(
  results: Results,
  runs: number,
  log: (s: string) => void,
): Promise<void> {
  const fleet = await buildFleet({ instances: 12, commits: 2 });
  const empty = await mkdtemp(path.join(workDir(), 'no-config-'));
  const got = { node: [] as number[], version: [] as number[], error: [] as number[] };
  const status: number[] = [];
  const statusCpu: number[] = [];
  const nodeCpu: number[] = [];
  const load: number[] = [];
  const spawns: Array<SpawnCounts | null> = [];
  const noCa = { node: [] as number[], status: [] as number[] };
  try {
    // As after any earlier command: the config compiled and its names checked once.
    await execa(process.execPath, [BIN, 'config'], { cwd: fleet.repo });
    for (let r = 0; r < runs; r++) {
      const n = await timed(['-e', '0'], empty);
      got.node.push(n.ms);
      const v = await timed([BIN, '--version'], empty);
      got.version.push(v.res.exitCode === 0 ? v.ms : NaN);
      const e = await timed([BIN, 'status'], empty);
      got.error.push(e.res.exitCode === 2 ? e.ms : NaN);
      const countFile = spawnCountFile();
      const s = await timed([BIN, 'status', '--json'], fleet.repo, {
        FLEET_TUI_GIT_COUNT: countFile,
      });
      status.push(s.res.exitCode === 0 ? s.ms : NaN);
      statusCpu.push(s.res.exitCode === 0 ? s.cpuMs : NaN);
      nodeCpu.push(n.cpuMs);
      spawns.push(readSpawnCounts(countFile));
      await rm(path.dirname(countFile), { recursive: true, force: true });
      if (EXTRA_CA) {
        noCa.node.push((await timed(['-e', '0'], empty, {}, true)).ms);
        const sn = await timed([BIN, 'status', '--json'], fleet.repo, {}, true);
        noCa.status.push(sn.res.exitCode === 0 ? sn.ms : NaN);
      }
      const c = await execa(process.execPath, [CONFIG_LOAD, fleet.repo], { reject: false });
      load.push(c.exitCode === 0 ? Number(c.stdout.trim()) : NaN);
      log(
        `cold run ${r + 1}: node -e 0 ${Math.round(got.node[r]!)} ms, --version ${Math.round(v.ms)} ms, ` +
          `config error ${Math.round(e.ms)} ms, status --json ${Math.round(s.ms)} ms (CPU ${Math.round(s.cpuMs)} ms) ` +
          `(${spawns[r]?.spawns ?? '?'} git), config load ${load[r]} ms`,
      );
    }
  } finally {
    await rm(fleet.dir, { recursive: true, force: true });
    await rm(empty, { recursive: true, force: true });
  }
  const ratio = (xs: number[]) => xs.map((x, i) => x / got.node[i]!);
  const add = (
    id: string,
    title: string,
    unit: string,
    values: number[],
    command: string,
    target?: string,
    check?: (v: number) => boolean,
    note?: string,
  ) => results.add({ section: 8, id, title, unit, runs: values, command, target, check, note });
  add('cold.node.wall', 'Floor: node -e 0', 'ms', got.node, `${process.execPath} -e 0`);
  add('cold.version.wall', 'fleet-tui --version', 'ms', got.version, 'fleet-tui --version');
  add(
    'cold.version.ratio',
    'fleet-tui --version / node -e 0',
    '×',
    ratio(got.version),
    'fleet-tui --version vs node -e 0, run by run',
    '≤ 2 × node -e 0',
    (v) => v <= 2,
  );
  add(
    'cold.config-error.wall',
    'Config error (no fleet.config.ts): fleet-tui status',
    'ms',
    got.error,
    'fleet-tui status in a directory without fleet.config.ts (exit 2)',
  );
  add(
    'cold.config-error.ratio',
    'Config error / node -e 0',
    '×',
    ratio(got.error),
    'fleet-tui status (no config) vs node -e 0, run by run',
    '≤ 2 × node -e 0',
    (v) => v <= 2,
  );
  add(
    'cold.status.12.wall',
    'fleet-tui status --json, 12 instances',
    'ms',
    status,
    'fleet-tui status --json (12 worktrees × 2 commits, config cached)',
    '≤ 150 ms',
    (v) => v <= 150,
  );
  add(
    'cold.status.12.cpu',
    'fleet-tui status --json, 12 instances: CPU (user+sys, with its git processes)',
    'ms',
    statusCpu,
    'the same runs: CPU of fleet-tui and every process it waited for (/proc cutime+cstime)',
  );
  add('cold.node.cpu', 'Floor: node -e 0, CPU', 'ms', nodeCpu, `${process.execPath} -e 0`);
  add(
    'cold.status.12.ratio',
    'fleet-tui status --json, 12 instances / node -e 0',
    '×',
    ratio(status),
    'fleet-tui status --json vs node -e 0, run by run',
  );
  add(
    'cold.status.12.spawns',
    'fleet-tui status --json, 12 instances: git processes',
    '',
    spawns.map((c) => c?.spawns ?? NaN),
    'FLEET_TUI_GIT_COUNT=<file> fleet-tui status --json',
    undefined,
    undefined,
    describeCounts(spawns.at(-1) ?? null),
  );
  add(
    'cold.config-load',
    'Config load, fleet.config.ts unchanged (in process)',
    'ms',
    load,
    'node bench/config-load.js: loadFleetConfig() once, modules already imported, cache warm',
    '≤ 20 ms',
    (v) => v <= 20,
  );
  if (EXTRA_CA) {
    const what =
      'the same, NODE_EXTRA_CA_CERTS unset (the machine sets it; see bench/cold/suite.ts)';
    add(
      'cold.node.noca.wall',
      'Floor: node -e 0, without NODE_EXTRA_CA_CERTS',
      'ms',
      noCa.node,
      what,
    );
    add(
      'cold.status.12.noca.wall',
      'fleet-tui status --json, 12 instances, without NODE_EXTRA_CA_CERTS',
      'ms',
      noCa.status,
      what,
    );
  }
}
