import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN } from '../helpers/git-fixture.js';

const ROLES = `roles: { app: { title: 'App', paths: ['lib/**'] } },`;
const fleet = (body: string) =>
  `import { defineFleet } from 'fleet-tui';\nexport default defineFleet({\n${ROLES}\n${body}\n});\n`;
const inst = (extra = '') => `{ id: 'ps1', role: 'app', agent: 'claude', band: '001000'${extra} }`;

// Config errors about hosts: exit 2, one line naming the key and the fix, like every config error.
const CASES: Array<[string, string, string, RegExp]> = [
  [
    'instance names an undeclared host',
    fleet(
      `hosts: { box: { ssh: 'box', repo: '/srv/app' } }, instances: [${inst(", host: 'bxo'")}],`,
    ),
    'instances[0].host',
    /unknown host "bxo" — declare it under hosts or use one of: box/,
  ],
  [
    'host with no hosts declared',
    fleet(`instances: [${inst(", host: 'box'")}],`),
    'instances[0].host',
    /unknown host "box".*none declared/,
  ],
  [
    'ssh target that ssh would read as an option',
    fleet(
      `hosts: { box: { ssh: '-oProxyCommand=touch_x', repo: '/srv/app' } }, instances: [${inst()}],`,
    ),
    'hosts.box.ssh',
    /alias or user@host/,
  ],
  [
    'relative clone path',
    fleet(`hosts: { box: { ssh: 'box', repo: 'srv/app' } }, instances: [${inst()}],`),
    'hosts.box.repo',
    /absolute path/,
  ],
  [
    'unknown key in a host',
    fleet(`hosts: { box: { ssh: 'box', repo: '/srv/app', prot: 22 } }, instances: [${inst()}],`),
    'hosts.box',
    /unknown key "prot"/,
  ],
];

describe('hosts in the config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-hcfg-'));
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  const runConfig = async (name: string, source: string) => {
    const caseDir = path.join(dir, name.replace(/\W+/g, '-'));
    await mkdir(caseDir, { recursive: true });
    const file = path.join(caseDir, 'fleet.config.ts');
    await writeFile(file, source);
    const res = await execa(process.execPath, [BIN, 'config', '--json'], {
      cwd: caseDir,
      reject: false,
    });
    return { file, res };
  };

  it.each(CASES)('%s: exit 2, one line', async (name, source, at, expected) => {
    const { file, res } = await runConfig(name, source);
    expect(res.exitCode).toBe(2);
    const lines = String(res.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(`: ${at}: `);
    expect(lines[0]).toMatch(expected);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('a host instance resolves to its host clone; a local one is unchanged', async () => {
    const { res } = await runConfig(
      'valid',
      fleet(
        `hosts: { box: { ssh: 'me@box.example', repo: '/srv/app', port: 2222, identityFile: 'keys/id' } },
        instances: [${inst(", host: 'box'")}, { id: 'ps2', role: 'app', agent: 'codex', band: '002000' }],`,
      ),
    );
    expect(res.exitCode, res.stderr).toBe(0);
    const cfg = JSON.parse(res.stdout);
    expect(cfg.hosts.box).toMatchObject({ ssh: 'me@box.example', repo: '/srv/app', port: 2222 });
    expect(cfg.hosts.box.identityFile).toMatch(/\/keys\/id$/);
    expect(cfg.instances[0]).toMatchObject({
      host: 'box',
      hostPath: '/srv/app/.claude/worktrees/instance-ps1',
      worktreePath: 'ssh://box/srv/app/.claude/worktrees/instance-ps1',
    });
    expect(cfg.instances[1].host).toBeUndefined();
    expect(cfg.instances[1].worktreePath).toBe(
      path.join(dir, 'valid', '.claude/worktrees/instance-ps2'),
    );
  });
});
