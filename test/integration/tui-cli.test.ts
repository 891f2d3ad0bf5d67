import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/git-fixture.js';

const cli = (args: string[], cwd: string) =>
  execa(process.execPath, [BIN, ...args], { cwd, reject: false, stdin: 'ignore' });

describe('fleet-tui (no subcommand) and fleet-tui demo', () => {
  let dir = '';
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    dir = '';
  });

  it('demo --no-tui builds the sandbox with one worktree per instance and their seeded work; the TUI refuses a non-terminal', async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-demo-cli-'));
    const built = await cli(['demo', '--no-tui', '--dir', dir, '--instances', '3'], os.tmpdir());
    expect(built.exitCode, built.stderr).toBe(0);
    expect(built.stdout).toContain(`demo sandbox: ${dir}`);
    const repo = path.join(dir, 'repo');
    const status = await cli(['status', '--json'], repo);
    const rows = JSON.parse(status.stdout).instances as Array<{
      id: string;
      exists: boolean;
      ahead: number;
    }>;
    expect(rows.map((r) => [r.id, r.exists, r.ahead > 0])).toEqual([
      ['vscode', true, true],
      ['win', true, true],
      ['ps1', true, true],
    ]);
    // Reopening the same --dir reuses it instead of failing or rebuilding.
    expect((await cli(['demo', '--no-tui', '--dir', dir], os.tmpdir())).exitCode).toBe(0);
    const tui = await cli([], repo);
    expect(tui.exitCode).toBe(2);
    expect(tui.stderr).toMatch(/the TUI needs a terminal/);
    expect((await cli(['demo', '--instances', '0', '--no-tui'], os.tmpdir())).exitCode).toBe(2);
  });
});
