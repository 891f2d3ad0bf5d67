import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/core/fleet/types.js';
import { notificationSequence } from '../../src/ui/notify.js';
import { fakeFleet, gitStatus } from '../helpers/fake-fleet.js';

const problem = (version: string, instance: string) => ({
  rule: 'duplicate-version' as const,
  severity: 'error' as const,
  version,
  files: [{ instance, where: 'worktree' as const, path: `supabase/migrations/${version}_x.sql` }],
  message: `version ${version} is used twice`,
  fix: 'rename it',
});

describe('FleetStore', () => {
  it('notifies only the subscribers of the instance that changed, with a new snapshot', () => {
    const { store } = fakeFleet(3);
    const hits: string[] = [];
    for (const id of store.ids()) store.subscribe(id, () => hits.push(id));
    const before = store.instance('ps2');
    store.setGit('ps2', gitStatus('ps2'));
    expect(hits).toEqual(['ps2']);
    expect(store.instance('ps2')).not.toBe(before);
    expect(store.instance('ps1').git).toBeNull();
  });

  it('alerts when an agent starts waiting and when a new migration problem appears, once each', () => {
    const f = fakeFleet(2);
    const alerts: Alert[] = [];
    f.store.onAlert((a) => alerts.push(a));
    const s = f.sessions.get('ps1')!;
    s.setState({ status: 'waiting' });
    f.store.setAgent('ps1', s.state());
    f.store.setAgent('ps1', s.state());
    f.store.setMigrations({
      ok: false,
      migrations: 3,
      problems: [problem('20261129001000', 'ps2')],
    });
    f.store.setMigrations({
      ok: false,
      migrations: 3,
      problems: [problem('20261129001000', 'ps2')],
    });
    expect(alerts.map((a) => a.title)).toEqual(['ps1 is waiting', 'migration duplicate-version']);
    expect(f.store.instance('ps2').migrationProblems).toHaveLength(1);
    expect(f.store.instance('ps1').migrationProblems).toHaveLength(0);
    f.store.setMigrations({ ok: true, migrations: 3, problems: [] });
    expect(f.store.instance('ps2').migrationProblems).toHaveLength(0);
  });

  it('writes bell, OSC 9 and OSC 777 without control characters from the message', () => {
    const seq = notificationSequence({ title: 'ps1 is waiting', body: 'needs\x1b]input;now' });
    expect(seq).toBe(
      '\x07\x1b]9;ps1 is waiting: needs\\x1b]input now\x07\x1b]777;notify;ps1 is waiting;needs\\x1b]input now\x07',
    );
  });

  it('a C1 string terminator or BEL in a title cannot end the notification early (shown instead)', () => {
    // U+009C is ST and U+009B is CSI for terminals that read C1 in UTF-8: before, both went out raw.
    const seq = notificationSequence({ title: 'x\u009c\u009b2J', body: 'y\u0007\u009d0;T' });
    const payload = seq.slice(1, -1).split('\x07').join('');
    // eslint-disable-next-line no-control-regex
    expect(payload.replace(/\x1b\](9|777);/g, '')).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(seq).toContain('x\\x9c\\x9b2J');
  });
});
