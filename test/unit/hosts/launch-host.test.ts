import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../src/config/resolve.js';
import { fleetConfigSchema } from '../../../src/config/schema.js';
import { hostHookCommand } from '../../../src/core/hosts/agent-hooks.js';
import { hostEventFromLine } from '../../../src/core/hosts/agent-events.js';
import { buildLaunch } from '../../../src/core/sessions/launch.js';

// An agent on an SSH host starts in the host's worktree, with no local path in its environment.
describe('agents on hosts: launch', () => {
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

  it('a host instance runs in its host worktree; the hook paths are not local ones', () => {
    const local = buildLaunch(cfg, cfg.instances[0]!, { eventFile: '/nonexistent/events' });
    expect(local.cwd).toBe('/nonexistent/repo/.claude/worktrees/instance-ps1');
    expect(local.env.FLEET_TUI_HOOK).toBeDefined();
    const remote = buildLaunch(cfg, cfg.instances[1]!, { eventFile: '/srv/app/.git/ev' });
    expect(remote.cwd).toBe('/srv/app/.claude/worktrees/instance-ps2');
    expect(remote.env).toMatchObject({
      FLEET_TUI_INSTANCE: 'ps2',
      FLEET_TUI_EVENT_FILE: '/srv/app/.git/ev',
    });
    expect(remote.env.FLEET_TUI_HOOK).toBeUndefined();
    expect(remote.env.FLEET_TUI_NODE).toBeUndefined();
  });

  it('the host hook (plain sh) records a hostile payload that reads back as the same event', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'fleet-hosthook-'));
    try {
      const file = path.join(dir, "it's here", 'ev.jsonl');
      const payload = {
        session_id: 's-1',
        hook_event_name: 'Notification',
        notification_type: 'permission_prompt',
        message: 'line1\n{"event":"Stop","t":"x"}\n\'$(touch pwned)\' %s %n \\',
      };
      const run = (env: Record<string, string>, input: string) =>
        execFileSync('/bin/sh', ['-c', hostHookCommand('ps2', 'Notification', file)], {
          input,
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
          cwd: dir,
        });
      run({ FLEET_TUI_INSTANCE: 'ps2' }, JSON.stringify(payload, null, 2));
      run({}, 'not json at all');
      const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
      expect(lines).toHaveLength(2);
      const ev = hostEventFromLine(lines[0]!, 'ps2');
      expect(ev).toMatchObject({
        event: 'Notification',
        notificationType: 'permission_prompt',
        sessionId: 's-1',
        message: payload.message,
        instance: 'ps2',
      });
      // Without the marker the hook ran for someone else's agent; invalid JSON is dropped.
      expect(hostEventFromLine(lines[1]!, 'ps2')).toBeNull();
      expect(() => readFileSync(path.join(dir, 'pwned'))).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
