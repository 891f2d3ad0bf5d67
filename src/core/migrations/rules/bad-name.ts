import type { MigrationProblem } from '../types.js';
import type { BadNameEntry, FleetModel } from '../model.js';
import { describe, fileOf, renameFix, type RuleContext } from './context.js';

/** A `.sql` file in the migrations directory that the pattern does not match (the CLI skips it). */
export function badName(model: FleetModel, ctx: RuleContext): MigrationProblem[] {
  const one = (e: BadNameEntry): MigrationProblem => ({
    rule: 'bad-name',
    severity: 'warning',
    version: '',
    files: [fileOf(e)],
    message: `${describe(e, ctx)} does not match ${ctx.pattern}; supabase skips it`,
    fix: e.instance
      ? renameFix(e, ctx)
      : `rename it to match ${ctx.pattern}, e.g. YYYYMMDDHHMMSS_name.sql`,
  });
  return [...model.main.badNames, ...model.instances.flatMap((i) => i.badNames)].map(one);
}
