// The state file's check was a zod schema; it is written by hand now (zod is the largest module
// on `status`'s start path). It must answer exactly what the schema answered.
import { expect, it } from 'vitest';
import { z } from 'zod';
import { parseFleetState } from '../../../src/core/state/fleet-state.js';

const zodSchema = z.object({
  version: z.literal(1).default(1),
  roles: z.record(z.string(), z.string()).default({}),
  sessions: z.record(z.string(), z.string()).default({}),
});
const viaZod = (v: unknown) => {
  const r = zodSchema.safeParse(v);
  return r.success ? r.data : zodSchema.parse({});
};

it('parseFleetState equals the zod schema it replaced, on good, partial and malformed state', () => {
  const inputs: unknown[] = [
    {},
    { version: 1 },
    { version: 2 },
    { version: '1' },
    { version: null },
    { roles: { ps1: 'web' }, sessions: { ps1: 'abc' } },
    { version: 1, roles: { ps1: 'web', ps2: 'api' }, extra: true },
    { roles: { ps1: 3 } },
    { roles: null },
    { roles: ['web'] },
    { sessions: { a: 'x', b: null } },
    { sessions: 'x' },
    { roles: { 'odd key ü\n': 'v' } },
    null,
    [],
    'state',
    42,
    JSON.parse('{"roles":{"__proto__":"x"}}'),
  ];
  for (const v of inputs) expect([v, parseFleetState(v)]).toEqual([v, viaZod(v)]);
});
