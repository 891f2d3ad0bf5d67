import { describe, expect, it } from 'vitest';
import { fold } from '../../../src/core/migrations/branches.js';

const A = (path: string, oid: string) => ({ status: 'A', path, oid });
const M = (path: string, oid: string) => ({ status: 'M', path, oid });
const D = (path: string) => ({ status: 'D', path, oid: '' });
const R = (path: string, to: string, oid: string) => ({ status: 'R', path, to, oid });

describe('fold (a branch’s commits into its net change against the base)', () => {
  it('an add edited later is one add with the last content; an add deleted later is nothing', () => {
    expect(fold([[A('m/1_a.sql', 'x')], [M('m/1_a.sql', 'y')]])).toEqual([A('m/1_a.sql', 'y')]);
    expect(fold([[A('m/1_a.sql', 'x')], [D('m/1_a.sql')]])).toEqual([]);
  });
  it('changes to base files stay modifications, deletions and renames', () => {
    expect(fold([[M('m/0_init.sql', 'y')]])).toEqual([M('m/0_init.sql', 'y')]);
    expect(fold([[D('m/0_init.sql')]])).toEqual([D('m/0_init.sql')]);
    expect(fold([[R('m/0_init.sql', 'm/5_init.sql', 'z')]])).toEqual([
      R('m/0_init.sql', 'm/5_init.sql', 'z'),
    ]);
  });
  it('a renamed own file is just an add under the new name', () => {
    expect(fold([[A('m/1_a.sql', 'x')], [R('m/1_a.sql', 'm/2_a.sql', 'x')]])).toEqual([
      A('m/2_a.sql', 'x'),
    ]);
  });
});

describe('pushedShas (pre-push input)', () => {
  it('takes the local sha of each line and skips deletions', async () => {
    const { pushedShas } = await import('../../../src/core/migrations/pre-push.js');
    const a = 'a'.repeat(40);
    const zero = '0'.repeat(40);
    expect(
      pushedShas(`HEAD ${a} refs/heads/x ${zero}\n(delete) ${zero} refs/heads/y ${a}\n`),
    ).toEqual([a]);
  });
});
