// `npm run bench`: every figure of issue 7 in one run, written to bench/results.json and printed
// as a table. Options choose what to run; the defaults are the full benchmark that fits in
// 15 minutes on this repository's 2-core machines (see README "Benchmarks").
import { Command } from 'commander';
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { landSuite } from './land/suite.js';
import { profileSuite } from './profile.js';
import { isolateEnvironment } from './lib/env.js';
import { machine } from './lib/machine.js';
import { Results, textTable } from './lib/results.js';
import { readmeFromFile } from './lib/readme.js';
import { longSuite } from './load/long.js';
import { loadSuite, printerFleet } from './load/suite.js';
import { checkSuite } from './migrations/check.js';
import { coldSuite } from './cold/suite.js';
import { watchSuite } from './migrations/watch.js';
import { hostsSuite } from './hosts/suite.js';

const program = new Command('bench')
  .description(
    'fleet-tui benchmarks (issue 7): landing, TUI under load, keys, migrations, start-up, scale',
  )
  .option(
    '--runs <n>',
    'runs per figure (the median of at least 5 is what the README reports)',
    '5',
  )
  .option(
    '--sections <list>',
    'comma-separated sections to run (1-6, 8, 9; 7: only the landing of --scale, at 24 and 48)',
    '1,2,3,4,5,6,8,9',
  )
  .option('--duration <s>', 'seconds each agent streams in figures 2 and 3', '20')
  .option(
    '--rates <list>',
    'lines/s per agent of the streaming windows in section 2 (a quick A/B)',
    '50,500,2000',
  )
  .option('--trials <n>', 'migration-watch trials per run (figure 4)', '10')
  .option('--scale', 'also figures 1 and 2 at 24 and 48 instances (section 7; adds ~N minutes)')
  .option('--long', 'also RSS over 10 minutes at 500 lines/s (adds 10 minutes)')
  .option('--long-minutes <n>', 'minutes of the --long run (a shorter smoke run; at least 2)', '10')
  .option(
    '--profile',
    'also one unmeasured run of the TUI, check and land under node --cpu-prof, summarized',
  )
  .option('--readme', "write the table into README.md's Benchmarks section")
  .option('--readme-from <file>', 'only rewrite the README table from a saved results file')
  .option('--out <file>', 'results file', path.join(import.meta.dirname, 'results.json'));
program.parse();
const o = program.opts<{
  runs: string;
  sections: string;
  duration: string;
  rates: string;
  trials: string;
  scale?: boolean;
  long?: boolean;
  longMinutes: string;
  profile?: boolean;
  readme?: boolean;
  readmeFrom?: string;
  out: string;
}>();

/** The fleet-tui tree measured (a figure belongs to a commit). */
function gitDescribe(): string {
  try {
    const dir = path.join(import.meta.dirname, '..');
    const sha = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();
    return dirty ? `${sha} + uncommitted changes in src/` : sha;
  } catch {
    return 'unknown';
  }
}

if (o.readmeFrom) {
  readmeFromFile(o.readmeFrom);
  process.exit(0);
}

const runs = Number(o.runs);
const durationS = Number(o.duration);
const sections = new Set(o.sections.split(',').map(Number));
const started = Date.now();
const envDir = isolateEnvironment();
const m = machine();
const results = new Results(m, o.out, {
  command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
  commit: gitDescribe(),
  date: new Date(started).toISOString(),
  runs,
  streamSeconds: durationS,
});
const log = (s: string) =>
  console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${s}`);

log(
  `machine: ${m.cpu}, nproc ${m.nproc}, ${m.memoryMb} MB, node ${m.node}, git ${m.git}, tmux ${m.tmux}`,
);
try {
  if (sections.has(2) || sections.has(3) || sections.has(6) || o.long) {
    const fleet = await printerFleet(12);
    try {
      if (sections.has(2) || sections.has(3) || sections.has(6)) {
        const rates = sections.has(2) ? o.rates.split(',').map(Number) : [500];
        await loadSuite(results, fleet, { rates, runs, durationS, keys: sections.has(3), log });
      }
      if (o.long) await longSuite(results, fleet, log, Math.max(2, Number(o.longMinutes) || 10));
    } finally {
      rmSync(fleet.dir, { recursive: true, force: true });
    }
  }
  if (sections.has(1)) await landSuite(results, 12, runs, log);
  if (sections.has(5)) await checkSuite(results, runs, log);
  if (sections.has(8)) await coldSuite(results, runs, log);
  if (sections.has(4)) await watchSuite(results, runs, Number(o.trials), log);
  if (sections.has(9)) await hostsSuite(results, runs, log);
  if (o.scale || sections.has(7)) {
    for (const n of [24, 48]) {
      await landSuite(results, n, runs, log);
      if (!o.scale) continue; // --sections 7: the landing alone
      const fleet = await printerFleet(n);
      try {
        await loadSuite(results, fleet, {
          rates: [50, 500, 2000],
          runs,
          durationS,
          keys: false,
          log,
        });
      } finally {
        rmSync(fleet.dir, { recursive: true, force: true });
      }
    }
  }
  if (o.profile) results.profiles = await profileSuite(durationS, log);
} finally {
  rmSync(envDir, { recursive: true, force: true });
  results.save();
}

const minutes = (Date.now() - started) / 60_000;
results.finish(minutes, os.loadavg()[0]!);
console.log(`\n${textTable(results.figures)}\n`);
console.log(
  `${results.figures.length} figures in ${minutes.toFixed(1)} min → ${path.relative(process.cwd(), o.out)}`,
);
if (runs < 5)
  console.log(`note: --runs ${runs}: fewer than 5 runs a figure, not a benchmark result`);
if (o.readme) readmeFromFile(o.out);
