import type { MigrationProblem } from '../types.js';
import path from 'node:path';
import type { FleetModel } from '../model.js';
import { fileOf, label, type RuleContext } from './context.js';

/** An instance modifies, renames or deletes a migration that is on main (already applied). */
export function editedApplied(model: FleetModel, ctx: RuleContext): MigrationProblem[] {
  const problems: MigrationProblem[] = [];
  for (const inst of model.instances) {
    for (const edit of inst.edits) {
      const onMain = model.main.byName(path.posix.basename(edit.path));
      if (!onMain) continue;
      const who = inst.id ? label(inst.id, ctx) : 'the working tree';
      const verb =
        edit.change === 'renamed'
          ? `renames it to ${edit.renamedTo ?? '?'}`
          : `${edit.change === 'modified' ? 'modifies' : 'deletes'} it`;
      problems.push({
        rule: 'edited-applied',
        severity: 'error',
        version: onMain.version,
        files: [
          fileOf(onMain),
          { instance: inst.id, where: edit.where, path: edit.renamedTo ?? edit.path },
        ],
        message: `${onMain.path} is on ${ctx.mainRef} (applied) and ${who} ${verb} in its ${edit.where}`,
        fix: `restore it (git checkout ${ctx.mainRef} -- ${onMain.path}) and put the change in a new migration${inst.id ? ` (fleet-tui migrations new ${inst.id} NAME)` : ''}`,
      });
    }
  }
  return problems;
}
