import type { MigrationProblem, UnreachableHost } from './types.js';

/** One line per problem: severity, rule, version, what and where, and the fix. */
export function formatProblem(p: MigrationProblem): string {
  const v = p.version ? ` ${p.version}` : '';
  return `${p.severity} ${p.rule}${v}: ${p.message} — ${p.fix}`;
}

/** One line per host whose worktrees could not be read: which host, ssh's words, what was missed. */
export function formatUnreachable(u: UnreachableHost): string {
  return `error host ${u.host}: unreachable (${u.hostError}) — ${u.instances.join(', ')} not checked; check again when it is back`;
}
