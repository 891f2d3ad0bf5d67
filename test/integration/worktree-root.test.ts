// Issue 14 item 10 (rest): `up` leaves nothing untracked in the main checkout; Claude Code's own
// worktrees under the same root (anything not named instance-<id>) are left alone by up, status
// and the migration scan; the Claude hook command follows fleet-tui wherever it is installed.
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOOK_SCRIPT } from '../../src/core/sessions/launch.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { simAgent, tmuxFleet, type TmuxFleet } from './tmux-helpers.js';

const M = 'supabase/migrations';
let fx: FleetFixture | null = null;
let tf: TmuxFleet | null = null;
afterEach(async () => {
  await fx?.cleanup();
  await tf?.cleanup();
  fx = tf = null;
});

describe('the worktree root in the main checkout', () => {
  it('up leaves nothing untracked; a Claude Code worktree there is skipped by up, status and migrations check', async () => {
    fx = await makeFleet({ instances: 2, worktrees: false });
    // The person's repository does not ignore the worktree root.
    await fx.commit(fx.repo, { '.gitignore': 'node_modules/\n' }, 'no worktree ignore');
    // Claude Code's own worktree under the same root, with a migration colliding with ps1's.
    const own = path.join(fx.repo, '.claude', 'worktrees', 'feature-x');
    await fx.git(fx.repo, 'worktree', 'add', '-q', '-b', 'feature-x', own, 'origin/main');
    await fx.write(own, {
      [`${M}/20261123010000_theirs.sql`]: 'select 9;\n',
      'notes.txt': 'wip\n',
    });

    const up = await fx.cli(['up']);
    expect(up.exitCode, up.stderr).toBe(0);
    expect(up.stdout).not.toContain('feature-x');
    expect(up.stdout).toContain('2 created');
    // Nothing untracked in the main checkout (it was `?? .claude/`), and no tracked file changed.
    expect(await fx.git(fx.repo, 'status', '--porcelain')).toBe('');
    expect(await readFile(path.join(fx.repo, '.gitignore'), 'utf8')).toBe('node_modules/\n');
    // Idempotent: a second up adds no second exclude line.
    await fx.cli(['up']);
    const exclude = await readFile(path.join(fx.repo, '.git', 'info', 'exclude'), 'utf8');
    expect(exclude.split('\n').filter((l) => l === '/.claude/worktrees/')).toHaveLength(1);

    const ps1 = fx.instances[0]!.worktree;
    await fx.commit(ps1, { [`${M}/20261123010000_a.sql`]: 'select 1;\n' }, 'ps1 a');
    const check = await fx.cli(['migrations', 'check', '--json']);
    expect(check.exitCode, check.stdout).toBe(0);
    expect(check.stdout).not.toContain('feature-x');

    const status = await fx.cli(['status', '--json']);
    const ids = (JSON.parse(status.stdout) as { instances: Array<{ id: string }> }).instances.map(
      (i) => i.id,
    );
    expect(ids).toEqual(['ps1', 'ps2']);
    expect(status.stdout).not.toContain('feature-x');
  });
});

describe('the Claude hook command follows fleet-tui', () => {
  it('a hook written by fleet-tui at an old location is rewritten at the next start', async () => {
    tf = await tmuxFleet({ instances: [{ id: 'ps1' }], agents: () => ({ claude: simAgent() }) });
    const wt = tf.fx.instances[0]!.worktree;
    const settings = path.join(wt, '.claude', 'settings.local.json');
    await mkdir(path.dirname(settings), { recursive: true });
    const old = `node /opt/old-place/fleet-tui/dist/core/sessions/status/fleet-hook.js --file /x --event Stop`;
    const mine = 'echo my own hook';
    await writeFile(
      settings,
      JSON.stringify({
        hooks: {
          Stop: [
            { matcher: '', hooks: [{ type: 'command', command: old }] },
            { matcher: '', hooks: [{ type: 'command', command: mine }] },
          ],
        },
      }),
    );
    const res = await tf.cli(['agents', 'start', 'ps1']);
    expect(res.exitCode, res.stderr).toBe(0);
    const text = await readFile(settings, 'utf8');
    expect(text).not.toContain('/opt/old-place');
    expect(text).toContain(HOOK_SCRIPT);
    expect(text).toContain(mine);
  });
});
