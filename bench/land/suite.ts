// Figure 1 (and its scale rows in 7): land N instances × 2 commits three ways, fresh fixture
// each time, contenders interleaved run by run so machine noise hits all three alike.
import { rm } from 'node:fs/promises';
import { buildFleet } from '../fixtures/fleet.js';
import type { Results } from '../lib/results.js';
import { describeCounts } from '../lib/spawns.js';
import { CONNECT_DELAY_MS } from '../fixtures/origin.js';
import { COMMANDS, landWith, type Contender, type LandRun } from './contenders.js';

const COMMITS = 2;
const NAMES: Record<Contender, string> = {
  a: '(a) fleet-tui land --all',
  b: '(b) article loop, sequential',
  c: '(c) article loop, all at once',
};

export async function landSuite(
  results: Results,
  n: number,
  runs: number,
  log: (s: string) => void,
): Promise<void> {
  const section = n === 12 ? 1 : 7;
  const got: Record<Contender, LandRun[]> = { a: [], b: [], c: [] };
  for (let r = 0; r < runs; r++) {
    for (const who of ['a', 'b', 'c'] as const) {
      const fleet = await buildFleet({ instances: n, commits: COMMITS });
      const run = await landWith(fleet, who, COMMITS);
      got[who].push(run);
      log(
        `land ${n} ${who} run ${r + 1}: ${Math.round(run.wallMs)} ms, ${run.counts.fetches} fetches, ` +
          `${run.counts.pushes} pushes, ${run.counts.rejected} rejected${run.complete ? '' : ', NOT COMPLETE'}${run.error ? ` (${run.error})` : ''}`,
      );
      await rm(fleet.dir, { recursive: true, force: true });
    }
  }
  const failures = (who: Contender) =>
    got[who].filter((x) => !x.complete || x.error).map((x) => x.error ?? 'commits missing on main');
  const note = (who: Contender) => {
    const f = failures(who);
    return f.length ? `${f.length} of ${runs} runs failed: ${f[0]}` : undefined;
  };
  const wall = (who: Contender) => got[who].map((x) => (x.complete && !x.error ? x.wallMs : NaN));
  const scale = `${n} instances × ${COMMITS} commits, origin +100 ms a connection`;
  for (const who of ['a', 'b', 'c'] as const) {
    const base = { section, command: `${COMMANDS[who]} (${scale})` };
    results.add({
      ...base,
      id: `land.${who}.${n}.wall`,
      title: `Land ${n}×${COMMITS} ${NAMES[who]}: wall time`,
      unit: 'ms',
      runs: wall(who),
      note: note(who),
    });
    results.add({
      ...base,
      id: `land.${who}.${n}.connections`,
      title: `Land ${n}×${COMMITS} ${NAMES[who]}: connections to origin`,
      unit: '',
      runs: got[who].map((x) => x.counts.connections),
    });
    results.add({
      ...base,
      id: `land.${who}.${n}.rejected`,
      title: `Land ${n}×${COMMITS} ${NAMES[who]}: rejected pushes`,
      unit: '',
      runs: got[who].map((x) => x.counts.rejected),
    });
  }
  const a = got.a;
  // The floor: what the network alone costs fleet-tui's connections (1 fetch + 1 push).
  const floor = a.map((x) => x.counts.connections * CONNECT_DELAY_MS);
  results.add({
    section,
    id: `land.a.${n}.floor`,
    title: `Land ${n}×${COMMITS} (a): floor, connections × ${CONNECT_DELAY_MS} ms`,
    unit: 'ms',
    runs: floor,
    command: `connections to origin × the transport's delay (${scale})`,
  });
  results.add({
    section,
    id: `land.a.${n}.wall-target`,
    title: `Land ${n}×${COMMITS} (a): wall time against its target`,
    unit: 'ms',
    runs: wall('a'),
    command: `${COMMANDS.a} (${scale})`,
    target: '≤ 600 ms (floor 200 ms)',
    check: (v) => v <= 600,
  });
  results.add({
    section,
    id: `land.a.${n}.spawns`,
    title: `Land ${n}×${COMMITS} (a): git processes`,
    unit: '',
    runs: a.map((x) => x.spawns?.spawns ?? NaN),
    command: `FLEET_TUI_GIT_COUNT=<file> ${COMMANDS.a} (${scale})`,
    note: describeCounts(a.at(-1)?.spawns ?? null),
  });
  const exact = a.every((x) => x.counts.fetches === 1 && x.counts.pushes === 1 && x.complete);
  results.add({
    section,
    id: `land.a.${n}.fetch-push`,
    title: `Land ${n}×${COMMITS} (a): fetches + pushes seen by the origin`,
    unit: '',
    runs: a.map((x) => x.counts.fetches + x.counts.pushes),
    command: `${COMMANDS.a} (${scale}); fleet-tui's own report: ${a.map((x) => (x.report ? `${x.report.fetches}+${x.report.pushes}` : '?')).join(', ')}`,
    target: 'exactly 1 fetch + 1 push',
    met: exact,
    note: a.map((x) => `${x.counts.fetches} fetch + ${x.counts.pushes} push`).join('; '),
  });
  const ratio = (other: Contender) => wall('a').map((v, i) => v / wall(other)[i]!);
  const ab = ratio('b');
  const ac = ratio('c');
  results.add({
    section,
    id: `land.ab.${n}.ratio`,
    title: `Land ${n}×${COMMITS}: wall time ratio a/b`,
    unit: '×',
    runs: ab,
    command: `${COMMANDS.a} vs ${COMMANDS.b}, run by run`,
    target: 'a ≤ 0.2 × b',
    check: (v) => v <= 0.2,
  });
  results.add({
    section,
    id: `land.ac.${n}.ratio`,
    title: `Land ${n}×${COMMITS}: wall time ratio a/c`,
    unit: '×',
    runs: ac,
    command: `${COMMANDS.a} vs ${COMMANDS.c}, run by run`,
    target: section === 1 ? 'a < c' : undefined,
    check: section === 1 ? (v) => v < 1 : undefined,
  });
}
