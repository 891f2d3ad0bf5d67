import type { MigrationProblem, RuleId } from '../types.js';
import type { FleetModel } from '../model.js';
import { badName } from './bad-name.js';
import type { RuleContext } from './context.js';
import { duplicateVersion } from './duplicate-version.js';
import { editedApplied } from './edited-applied.js';
import { outOfBand } from './out-of-band.js';
import { outOfOrder } from './out-of-order.js';
import { unreadable } from './unreadable.js';

type Rule = (model: FleetModel, ctx: RuleContext) => MigrationProblem[];

/** In the order their fixes claim slots (a colliding file gets the same suggestion everywhere). */
const RULES: Record<RuleId, Rule> = {
  'duplicate-version': duplicateVersion,
  'edited-applied': editedApplied,
  'out-of-band': outOfBand,
  'out-of-order': outOfOrder,
  'bad-name': badName,
  unreadable,
};

/** Every rule over the model; errors first, then by version and rule. */
export function runRules(model: FleetModel, ctx: RuleContext): MigrationProblem[] {
  const all = Object.values(RULES).flatMap((rule) => rule(model, ctx));
  return all.sort(
    (a, b) =>
      (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) ||
      a.version.localeCompare(b.version) ||
      a.rule.localeCompare(b.rule),
  );
}

export type { RuleContext } from './context.js';
export { normalizeName } from './context.js';
