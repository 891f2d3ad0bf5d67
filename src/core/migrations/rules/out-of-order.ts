import type { MigrationProblem } from '../types.js';
import type { FleetModel } from '../model.js';
import { describe, fileOf, renameFix, type RuleContext } from './context.js';

/**
 * An instance adds a version lower (as text) than the newest on main: `supabase db push` refuses
 * it without `--include-all`. A warning unless the config says `outOfOrder: 'error'`.
 */
export function outOfOrder(model: FleetModel, ctx: RuleContext): MigrationProblem[] {
  const max = model.main.maxVersion;
  if (!max) return [];
  const problems: MigrationProblem[] = [];
  for (const inst of model.instances) {
    for (const e of inst.added) {
      if (e.version >= max) continue;
      const fix = renameFix(e, ctx);
      problems.push({
        rule: 'out-of-order',
        severity: ctx.outOfOrder === 'error' ? 'error' : 'warning',
        version: e.version,
        files: [fileOf(e)],
        message: `${describe(e, ctx)} sorts before ${max}, the newest version on ${ctx.mainRef} (db push needs --include-all)`,
        fix:
          fix.includes(' to ') && !fix.includes('unused')
            ? fix
            : `rename it to a version above ${max}`,
      });
    }
  }
  return problems;
}
