import { describe, expect, it } from 'vitest';
import { fakeFleet } from '../helpers/fake-fleet.js';

// The live migration watch reports a host it cannot reach in `unreachableHosts`: the TUI's log
// says so once when the host goes away and once when it is back, not at every report.
describe('FleetStore: hosts the migration watch cannot reach', () => {
  it('logs a host going away and coming back once each', () => {
    const { store } = fakeFleet(2);
    const down = {
      ok: false,
      migrations: 0,
      problems: [],
      unreachableHosts: [{ host: 'box1', hostError: 'Connection refused', instances: ['ps2'] }],
    };
    store.setMigrations(down);
    store.setMigrations(down);
    store.setMigrations({ ok: true, migrations: 0, problems: [] });
    const lines = store.getFacts().log.map((e) => `${e.level} ${e.text}`);
    expect(lines.filter((l) => l.includes('migration watch'))).toEqual([
      'warn migration watch: host box1 unreachable (Connection refused)',
      'info migration watch: host box1 is back',
    ]);
  });
});
