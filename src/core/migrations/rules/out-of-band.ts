import type { MigrationProblem } from '../types.js';
import type { FleetModel } from '../model.js';
import { bandOf, inBand, pad6 } from '../bands.js';
import { describe, fileOf, label, renameFix, type RuleContext } from './context.js';

/** An instance adds a migration whose HHMMSS lies outside `[its band start, next band start)`. */
export function outOfBand(model: FleetModel, ctx: RuleContext): MigrationProblem[] {
  const all = Object.values(ctx.bands);
  const problems: MigrationProblem[] = [];
  for (const inst of model.instances) {
    if (inst.id === null || !(inst.id in ctx.bands)) continue;
    const band = bandOf(ctx.bands[inst.id]!, all);
    for (const e of inst.added) {
      if (inBand(e.version, band)) continue;
      const shape = /^[0-9]{14}$/.test(e.version) ? '' : ' (not a YYYYMMDDHHMMSS version)';
      problems.push({
        rule: 'out-of-band',
        severity: 'error',
        version: e.version,
        files: [fileOf(e)],
        message: `${describe(e, ctx)} is outside ${label(inst.id, ctx)}'s band [${pad6(band.start)}, ${pad6(band.end)})${shape}`,
        fix: renameFix(e, ctx),
      });
    }
  }
  return problems;
}
