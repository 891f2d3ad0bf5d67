import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { BIN } from '../helpers/git-fixture.js';

const ROLES = `roles: { app: { title: 'App', paths: ['lib/**'] } },`;
const ONE = `{ id: 'ps1', role: 'app', agent: 'claude', band: '001000' }`;
const fleet = (body: string) =>
  `import { defineFleet } from 'fleet-tui';\nexport default defineFleet({\n${body}\n});\n`;

// Each case: config source, the path the error must name, and a word of the fix.
const CASES: Array<[string, string, string, RegExp]> = [
  [
    'unknown top-level key (typo)',
    fleet(`${ROLES} instances: [${ONE}], mainBrnach: 'main',`),
    '(top level)',
    /unknown key "mainBrnach"/,
  ],
  [
    'unknown instance key',
    fleet(
      `${ROLES} instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: '001000', bnad: '1' }],`,
    ),
    'instances[0]',
    /unknown key "bnad"/,
  ],
  [
    'duplicate instance id',
    fleet(
      `${ROLES} instances: [${ONE}, { id: 'ps1', role: 'app', agent: 'claude', band: '002000' }],`,
    ),
    'instances[1].id',
    /duplicate instance id/,
  ],
  [
    'id with capitals',
    fleet(`${ROLES} instances: [{ id: 'PS1', role: 'app', agent: 'claude', band: '001000' }],`),
    'instances[0].id',
    /a-z0-9/,
  ],
  [
    'id too long',
    fleet(
      `${ROLES} instances: [{ id: '${'a'.repeat(33)}', role: 'app', agent: 'claude', band: '001000' }],`,
    ),
    'instances[0].id',
    /a-z0-9/,
  ],
  [
    'unknown role',
    fleet(`${ROLES} instances: [{ id: 'ps1', role: 'blog', agent: 'claude', band: '001000' }],`),
    'instances[0].role',
    /unknown role "blog".*declare it/,
  ],
  [
    'unknown agent kind',
    fleet(`${ROLES} instances: [{ id: 'ps1', role: 'app', agent: 'gpt', band: '001000' }],`),
    'instances[0].agent',
    /unknown agent kind "gpt"/,
  ],
  [
    'band not six digits',
    fleet(`${ROLES} instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: '1000' }],`),
    'instances[0].band',
    /six digits/,
  ],
  [
    'band as a number',
    fleet(`${ROLES} instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: 1000 }],`),
    'instances[0].band',
    /must be string, got a number/,
  ],
  [
    'repeated band',
    fleet(
      `${ROLES} instances: [${ONE}, { id: 'ps2', role: 'app', agent: 'claude', band: '001000' }],`,
    ),
    'instances[1].band',
    /already used/,
  ],
  [
    'worktree outside the repository',
    fleet(
      `${ROLES} instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: '001000', worktree: '../elsewhere' }],`,
    ),
    'instances[0].worktree',
    /outside the repository/,
  ],
  [
    'invalid branch name',
    fleet(
      `${ROLES} instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: '001000', branch: 'bad..name' }],`,
    ),
    'instances[0].branch',
    /not a valid git branch name/,
  ],
  [
    'branch with a space',
    fleet(
      `${ROLES} instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: '001000', branch: 'a b' }],`,
    ),
    'instances[0].branch',
    /not a valid git branch name/,
  ],
  ['missing instances', fleet(ROLES), 'instances', /is required/],
  ['missing roles', fleet(`instances: [${ONE}],`), 'roles', /is required/],
  [
    'bad backend',
    fleet(
      `${ROLES} agents: { aider: { command: 'aider', backend: 'screen' } }, instances: [${ONE}],`,
    ),
    'agents.aider.backend',
    /tmux|exec/,
  ],
  [
    'bad outOfOrder value',
    fleet(`${ROLES} migrations: { outOfOrder: 'ignore' }, instances: [${ONE}],`),
    'migrations.outOfOrder',
    /warn|error/,
  ],
  [
    'invalid migration pattern',
    fleet(`${ROLES} migrations: { pattern: '([0-9' }, instances: [${ONE}],`),
    'migrations.pattern',
    /regular expression/,
  ],
  ['config that throws', `throw new Error('boom from config');\n`, '(load)', /boom from config/],
  [
    'config that does not parse',
    `export default { roles: { ,, };\n`,
    '(load)',
    /could not be loaded/,
  ],
  ['no default export', `export const x = 1;\n`, '(default export)', /default export/],
  [
    'empty key binding',
    fleet(`${ROLES} instances: [${ONE}], keys: { 'app.quit': '' },`),
    'keys.app.quit',
    /empty key binding/,
  ],
];

describe('malformed configs: exit 2, one line naming the key and the fix, no stack trace', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-cfg-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each(CASES)('%s', async (name, source, at, expected) => {
    const caseDir = path.join(dir, name.replace(/\W+/g, '-'));
    await import('node:fs/promises').then((fs) => fs.mkdir(caseDir, { recursive: true }));
    const file = path.join(caseDir, 'fleet.config.ts');
    await writeFile(file, source);
    const res = await execa(process.execPath, [BIN, 'config'], { cwd: caseDir, reject: false });
    expect(res.exitCode).toBe(2);
    const lines = String(res.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(file);
    expect(lines[0]).toContain(`: ${at}: `);
    expect(lines[0]).toMatch(expected);
    expect(lines[0]).toMatch(/ — /); // every message carries a fix after the dash
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('says where it looked when no config exists and suggests init', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'fleet-none-'));
    const res = await execa(process.execPath, [BIN, 'config'], { cwd: empty, reject: false });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain(empty);
    expect(res.stderr).toContain('fleet-tui init');
    await rm(empty, { recursive: true, force: true });
  });

  it('--config pointing at a missing file is a usage error', async () => {
    const res = await execa(process.execPath, [BIN, '--config', 'nope.ts', 'config'], {
      cwd: dir,
      reject: false,
    });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/nope\.ts: no such file/);
  });
});
