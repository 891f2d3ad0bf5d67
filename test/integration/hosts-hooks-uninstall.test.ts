// `hooks uninstall` reaches host checkouts: fleet-tui's Claude and Codex hook entries and its
// Codex role config leave the host worktree and clone (the person's own entries stay); a host
// that does not answer is one line and exit 1. Real sshd on 127.0.0.1.
import { existsSync } from 'node:fs';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { installHostClaudeHooks } from '../../src/core/hosts/host-claude-hooks.js';
import { installHostCodexProject } from '../../src/core/hosts/host-codex-project.js';
import { makeHostsFleet, type HostsFleet } from '../helpers/hosts-fixture.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';

describe('hosts: hooks uninstall', () => {
  let sshd: Sshd;
  let hf: HostsFleet | undefined;
  const saved = { ...process.env };
  beforeAll(async () => {
    sshd = await startSshd();
    Object.assign(process.env, sshd.env);
  });
  afterEach(async () => {
    await hf?.cleanup();
    hf = undefined;
  });
  afterAll(async () => {
    process.env = saved;
    await sshd?.cleanup();
  });

  it("removes fleet-tui's entries on the host, keeps the person's; an unreachable host is one line, exit 1", async () => {
    hf = await makeHostsFleet(sshd, [{ id: 'ps1' }, { id: 'ps2', host: 'box1' }]);
    expect((await hf.cli(['up'])).exitCode).toBe(0);
    const host = (await hf.config()).hosts.box1!;
    const wt = hf.worktree('ps2');
    const own = { matcher: '', hooks: [{ type: 'command', command: 'echo mine' }] };
    await mkdir(path.join(hf.clones.box1, '.codex'), { recursive: true });
    await writeFile(
      path.join(hf.clones.box1, '.codex', 'hooks.json'),
      JSON.stringify({ hooks: { Stop: [own] } }),
    );
    // A role prompt no shell may read as code: it reaches the file as data, quoted as TOML.
    const pwned = path.join(hf.clones.box1, 'pwned');
    const role = `it's "ps2" $(touch ${pwned}) \`touch ${pwned}\`; touch ${pwned}\nline 2 \\ end`;
    await installHostCodexProject(host, wt, role);
    expect(await readFile(path.join(wt, '.codex', 'config.toml'), 'utf8')).toContain(
      `developer_instructions = ${JSON.stringify(role)}\n`,
    );
    expect(existsSync(pwned)).toBe(false);
    await installHostClaudeHooks(host, wt, '/x/ps2.events.jsonl', 'ps2');
    const claudeFile = path.join(wt, '.claude', 'settings.local.json');
    const codexHooks = path.join(hf.clones.box1, '.codex', 'hooks.json');
    expect(await readFile(claudeFile, 'utf8')).toContain('fleet-tui-host-hook');
    expect(await readFile(codexHooks, 'utf8')).toContain('fleet-tui-host-hook');
    expect(existsSync(path.join(wt, '.codex', 'config.toml'))).toBe(true);

    const res = await hf.cli(['hooks', 'uninstall']);
    expect(res.exitCode, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      `removed fleet-tui's Codex hooks from ${hf.clones.box1}/.codex/hooks.json on host box1`,
    );
    expect(res.stdout).toContain("removed fleet-tui's agent hooks from instance ps2's worktree");
    expect(await readFile(claudeFile, 'utf8')).not.toContain('fleet-tui-host-hook');
    expect(JSON.parse(await readFile(codexHooks, 'utf8'))).toEqual({ hooks: { Stop: [own] } });
    expect(existsSync(path.join(wt, '.codex', 'config.toml'))).toBe(false);
    // Nothing left to remove: nothing said about the host.
    const again = await hf.cli(['hooks', 'uninstall', '--json']);
    expect(JSON.parse(again.stdout).agentHooks).toEqual([]);

    await sshd.stop();
    try {
      const down = await hf.cli(['hooks', 'uninstall']);
      expect(down.exitCode).toBe(1);
      expect(down.stderr.trim().split('\n')).toHaveLength(1);
      expect(down.stderr).toMatch(
        /^host box1: .* — its agents' hooks were not removed; run "fleet-tui hooks uninstall" again when it answers/,
      );
    } finally {
      await sshd.start();
    }
  });
});
