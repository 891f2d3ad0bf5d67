import { chmod, readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  installClaudeHooks,
  uninstallClaudeHooks,
  CLAUDE_HOOK_EVENTS,
} from '../../../src/core/sessions/status/claude-hooks.js';
import { makeFleet, type FleetFixture } from '../../helpers/git-fixture.js';

let fx: FleetFixture | null = null;
afterEach(async () => {
  await fx?.cleanup();
  fx = null;
});

describe('Claude hook settings', () => {
  it('merges with existing settings, replaces its own entries on re-install, and keeps the file out of git', async () => {
    fx = await makeFleet({ instances: 1 });
    const wt = fx.instances[0]!.worktree;
    const file = path.join(wt, '.claude', 'settings.local.json');
    await mkdir(path.dirname(file), { recursive: true });
    const mine = { matcher: 'Bash', hooks: [{ type: 'command', command: 'echo mine' }] };
    await writeFile(
      file,
      JSON.stringify({ permissions: { allow: ['Bash(npm test)'] }, hooks: { Stop: [mine] } }),
    );

    await installClaudeHooks(wt, '/x/events.jsonl');
    await installClaudeHooks(wt, '/y/events.jsonl');
    const s = JSON.parse(await readFile(file, 'utf8'));
    expect(s.permissions).toEqual({ allow: ['Bash(npm test)'] });
    expect(Object.keys(s.hooks).sort()).toEqual([...CLAUDE_HOOK_EVENTS].sort());
    expect(s.hooks.Stop).toHaveLength(2);
    expect(s.hooks.Stop[0]).toEqual(mine);
    expect(s.hooks.Stop[1].hooks[0].command).toMatch(
      /fleet-hook.js --file \/y\/events.jsonl --event Stop$/,
    );
    expect(JSON.stringify(s)).not.toContain('/x/events.jsonl');

    expect(await fx.git(wt, 'status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(await fx.git(wt, 'check-ignore', '.claude/settings.local.json')).toBe(
      '.claude/settings.local.json',
    );
    const exclude = await readFile(path.join(fx.repo, '.git', 'info', 'exclude'), 'utf8');
    expect(exclude.match(/settings\.local\.json/g)).toHaveLength(1);
  });

  it('refuses to overwrite settings that are not valid JSON', async () => {
    fx = await makeFleet({ instances: 1 });
    const wt = fx.instances[0]!.worktree;
    const file = path.join(wt, '.claude', 'settings.local.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{ broken');
    await expect(installClaudeHooks(wt, '/x')).rejects.toThrow(
      /not valid JSON .* fix or remove it/,
    );
    expect(await readFile(file, 'utf8')).toBe('{ broken');
  });

  // Issue 14 item 10: settings care.
  it("keeps the file's mode; uninstall removes only fleet-tui's entries", async () => {
    fx = await makeFleet({ instances: 1 });
    const wt = fx.instances[0]!.worktree;
    const file = path.join(wt, '.claude', 'settings.local.json');
    await mkdir(path.dirname(file), { recursive: true });
    const mine = { matcher: 'Bash', hooks: [{ type: 'command', command: 'echo mine' }] };
    await writeFile(file, JSON.stringify({ model: 'x', hooks: { Stop: [mine] } }));
    await chmod(file, 0o600);
    expect(await installClaudeHooks(wt, '/x/events.jsonl', 'ps1')).toBeNull();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readFile(file, 'utf8')).toContain('--instance ps1');
    expect(await uninstallClaudeHooks(wt)).toBe(true);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      model: 'x',
      hooks: { Stop: [mine] },
    });
    expect(await uninstallClaudeHooks(wt)).toBe(false);
  });

  it('never writes a settings file git tracks: says so and skips the hooks', async () => {
    fx = await makeFleet({ instances: 1 });
    const wt = fx.instances[0]!.worktree;
    const file = path.join(wt, '.claude', 'settings.local.json');
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{"model":"x"}\n');
    await fx.git(wt, 'add', '-f', '.claude/settings.local.json');
    await fx.git(wt, 'commit', '-qm', 'tracked settings');
    expect(await installClaudeHooks(wt, '/x/events.jsonl', 'ps1')).toMatch(/tracked by git/);
    expect(await readFile(file, 'utf8')).toBe('{"model":"x"}\n');
    expect(await fx.git(wt, 'status', '--porcelain')).toBe('');
  });
});
