import type { MigrationProblem } from '../types.js';
import { identity, type FleetModel, type MigrationEntry } from '../model.js';
import { bandOf, inBand } from '../bands.js';
import { describe, fileOf, renameFix, type RuleContext } from './context.js';

/**
 * Two different migrations (different file name, or same name with different content) share a
 * version anywhere in the fleet. The same file in several places is one migration.
 */
export function duplicateVersion(model: FleetModel, ctx: RuleContext): MigrationProblem[] {
  // Main alone can only collide on its repeated versions; beyond those, only the versions the
  // instances add are looked up on main (not 5,000 groups of one to find the few of two).
  const groups = new Map<string, MigrationEntry[]>();
  for (const v of model.main.repeated) groups.set(v, [...model.main.withVersion(v)]);
  for (const inst of model.instances) {
    for (const e of inst.added) {
      const g = groups.get(e.version);
      if (g) g.push(e);
      else groups.set(e.version, [...model.main.withVersion(e.version), e]);
    }
  }

  const problems: MigrationProblem[] = [];
  for (const [version, group] of groups) {
    if (group.length < 2) continue;
    const ids = new Set(group.map(identity));
    if (ids.size < 2) continue;
    const onMain = new Set(group.filter((e) => e.where === 'main').map(identity));
    const others = group.filter((e) => e.where !== 'main' && !onMain.has(identity(e)));
    let keep: string | null = null;
    if (onMain.size === 0) {
      // Nothing landed yet: keep the one that sits in its own band, else the first seen.
      const owner = others.find(
        (e) =>
          e.instance !== null &&
          e.instance in ctx.bands &&
          inBand(e.version, bandOf(ctx.bands[e.instance]!, Object.values(ctx.bands))),
      );
      keep = identity(owner ?? others[0]!);
    }
    const culprits = others.filter((e) => identity(e) !== keep);
    const fix =
      culprits.length === 0
        ? `both are on ${ctx.mainRef} already — fix it on main with a follow-up migration`
        : [...new Map(culprits.map((e) => [`${e.instance}\0${e.path}`, e])).values()]
            .map((e) => renameFix(e, ctx))
            .join('; ');
    problems.push({
      rule: 'duplicate-version',
      severity: 'error',
      version,
      files: group.map(fileOf),
      message: `${ids.size} different migrations share version ${version}: ${group.map((e) => describe(e, ctx)).join(', ')}`,
      fix,
    });
  }
  return problems;
}
