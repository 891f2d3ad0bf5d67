import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import { fleetConfigSchema } from '../../../src/config/schema.js';
import { buildLaunch } from '../../../src/core/sessions/launch.js';

// Agents on SSH hosts are not built yet (issue 18): starting one says so, instead of launching a
// local process in a directory that only exists on the host.
describe('agents on hosts', () => {
  it('buildLaunch refuses a host instance with one line saying what to do', () => {
    const cfg = resolveConfig(
      fleetConfigSchema.parse({
        roles: { app: { title: 'App' } },
        hosts: { box: { ssh: 'me@box', repo: '/srv/app' } },
        instances: [
          { id: 'ps1', role: 'app', agent: 'claude', band: '001000' },
          { id: 'ps2', role: 'app', agent: 'claude', band: '002000', host: 'box' },
        ],
      }),
      '/nonexistent/repo',
      null,
    );
    const opts = { eventFile: '/nonexistent/events' };
    expect(buildLaunch(cfg, cfg.instances[0]!, opts).cwd).toBe(
      '/nonexistent/repo/.claude/worktrees/instance-ps1',
    );
    expect(() => buildLaunch(cfg, cfg.instances[1]!, opts)).toThrow(
      /^instance ps2 is on host "box": fleet-tui does not run agents on hosts yet — .*ssh -t me@box.*\/srv\/app\/\.claude\/worktrees\/instance-ps2/,
    );
  });
});
