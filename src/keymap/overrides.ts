import { COMMANDS } from './commands.js';
import { keyProblem } from './keymap.js';

export interface KeyOverrideProblem {
  at: string;
  message: string;
}

/**
 * Check `keys` from fleet.config.ts: every id names a command, every key is spelled right, and
 * after the overrides no key is bound to two commands that share a scope.
 */
export function keyOverrideProblems(
  overrides: Record<string, string | string[]>,
): KeyOverrideProblem[] {
  const problems: KeyOverrideProblem[] = [];
  const ids = new Set<string>(COMMANDS.map((c) => c.id));
  for (const [id, value] of Object.entries(overrides)) {
    const at = `keys.${id}`;
    if (!ids.has(id)) {
      const near = [...ids].filter((x) => x.split('.')[0] === id.split('.')[0]);
      problems.push({
        at,
        message: `unknown command "${id}" — use one of: ${(near.length ? near : [...ids]).join(', ')}`,
      });
      continue;
    }
    const keys = typeof value === 'string' ? [value] : value;
    if (keys.length === 0) problems.push({ at, message: 'needs at least one key' });
    for (const k of keys) {
      const p = keyProblem(k);
      if (p) problems.push({ at, message: p });
      // The k-th jump key picks the k-th pane and labels it in a one-character slot.
      else if (id === 'focus.jump' && [...k].length !== 1)
        problems.push({ at, message: `"${k}" cannot label a pane — use single characters` });
    }
  }
  if (problems.length > 0) return problems;
  const seen = new Map<string, string>();
  for (const c of COMMANDS) {
    const o = overrides[c.id];
    const keys = o === undefined ? c.keys : typeof o === 'string' ? [o] : o;
    for (const s of c.scope) {
      for (const k of keys) {
        const other = seen.get(`${s} ${k}`);
        if (other && other !== c.id) {
          const culprit = overrides[c.id] !== undefined ? c.id : other;
          problems.push({
            at: `keys.${culprit}`,
            message: `key "${k}" is bound to both ${other} and ${c.id} in the ${s} view — pick another key`,
          });
        } else seen.set(`${s} ${k}`, c.id);
      }
    }
  }
  return problems;
}
