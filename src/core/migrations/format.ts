import type { MigrationProblem } from './types.js';

/** One line per problem: severity, rule, version, what and where, and the fix. */
export function formatProblem(p: MigrationProblem): string {
  const v = p.version ? ` ${p.version}` : '';
  return `${p.severity} ${p.rule}${v}: ${p.message} — ${p.fix}`;
}
