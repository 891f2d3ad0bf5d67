import type { GateVerdict, LandGate } from '../land/gate.js';
import { FleetError } from '../errors.js';
import { layoutOf, settingsOf } from './check.js';
import type { FleetModel } from './model.js';
import { buildReport } from './report.js';
import { readRanges, readTree } from './sources.js';
import type { MigrationProblem } from './types.js';
import { instanceView } from './view.js';

/** Which instances a problem blames: on a collision not involving main, the first in chain order keeps its file. */
function blamed(p: MigrationProblem, order: string[]): string[] {
  const ids = [...new Set(p.files.map((f) => f.instance).filter((i): i is string => i !== null))];
  if (p.rule !== 'duplicate-version' || p.files.some((f) => f.where === 'main')) return ids;
  const first = ids.reduce((a, b) => (order.indexOf(a) <= order.indexOf(b) ? a : b));
  return ids.filter((i) => i !== first);
}

/**
 * The land gate: checks each instance's segment of the chain (its replayed commits `from..to`)
 * against the base tree and against the other segments, and returns the instances whose commits
 * bring migration errors (warnings never stop a land).
 */
export const migrationGate: LandGate = Object.assign(checkSegments, { objectsOnly: true });

async function checkSegments({
  config,
  cwd,
  base,
  steps,
}: Parameters<LandGate>[0]): Promise<GateVerdict[]> {
  const layout = layoutOf(config);
  const [main, ranges] = await Promise.all([
    readTree(cwd, base, layout),
    readRanges(
      cwd,
      steps.map((s) => [s.from, s.to] as const),
      layout,
    ),
  ]);
  if (!main) throw new FleetError(`land gate: cannot read ${base} in ${cwd}`);
  const bands = new Map(config.instances.map((i) => [i.id, i.band]));
  const model: FleetModel = {
    main,
    instances: steps.map((s, k) =>
      instanceView(
        s.instanceId,
        bands.get(s.instanceId) ?? null,
        { branch: ranges[k]!, worktree: [] },
        main,
        layout,
      ),
    ),
  };
  const report = buildReport(model, settingsOf(config));
  const order = steps.map((s) => s.instanceId);
  const verdicts = new Map<string, string[]>();
  for (const p of report.problems) {
    if (p.severity !== 'error') continue;
    for (const id of blamed(p, order)) {
      const list = verdicts.get(id) ?? [];
      list.push(`${p.rule} ${p.version}: ${p.message} — ${p.fix}`);
      verdicts.set(id, list);
    }
  }
  return order
    .filter((id, k) => verdicts.has(id) && order.indexOf(id) === k)
    .map((id): GateVerdict => ({ instanceId: id, problems: verdicts.get(id)! }));
}
