import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { ConfigError } from '../../src/config/config-error.js';
import { loadConfig } from '../../src/config/load.js';
import { observeGit } from '../../src/core/git/run.js';
import { EXIT, FleetError } from '../../src/core/errors.js';
import { BIN } from '../helpers/git-fixture.js';

const ROLES = `roles: { app: { title: 'App', paths: ['lib/**'] } },`;
const ONE = `{ id: 'ps1', role: 'app', agent: 'claude', band: '001000' }`;
const fleet = (body: string) =>
  `import { defineFleet } from 'fleet-tui';\nexport default defineFleet({\n${body}\n});\n`;

// Each case: config source, the path the error must name, and a word of the fix. The cases run
// in-process (the loader the CLI calls, the message the CLI prints); two CLI runs at the end check
// what a person sees: exit 2, one line, a stack trace only with --debug.
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

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-cfg-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Write `source` as fleet.config.ts in a fresh directory named for the case. */
async function configFile(name: string, source: string): Promise<string> {
  const caseDir = path.join(dir, name.replace(/\W+/g, '-'));
  await mkdir(caseDir, { recursive: true });
  const file = path.join(caseDir, 'fleet.config.ts');
  await writeFile(file, source);
  return file;
}

/** What loading `file` throws (the test fails if it loads). */
async function loadError(opts: Parameters<typeof loadConfig>[0]): Promise<FleetError> {
  const e: unknown = await loadConfig(opts).then(
    () => new Error('the config loaded'),
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FleetError);
  return e as FleetError;
}

describe('malformed configs: exit 2, one line naming the key and the fix', () => {
  it.each(CASES)('%s', async (name, source, at, expected) => {
    const file = await configFile(name, source);
    const e = await loadError({ configPath: file });
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.exitCode).toBe(EXIT.usage);
    // The CLI prints one line per problem: `fleet-tui: <file>: <at>: <message>`.
    expect((e as ConfigError).problems).toHaveLength(1);
    const [line] = e.message.split('\n');
    expect(e.message).toBe(line);
    expect(line).toBe(`${file}: ${at}: ${(e as ConfigError).problems[0]!.message}`);
    expect(line).toMatch(expected);
    expect(line).toMatch(/ — /); // every message carries a fix after the dash
  });

  it('reports every problem, instance by instance, each rule in its order', async () => {
    const inst = (id: string, band: string, more = '') =>
      `{ id: '${id}', role: 'app', agent: 'claude', band: '${band}'${more} }`;
    const file = await configFile(
      'several problems',
      fleet(
        `${ROLES} instances: [
          { id: 'ps1', role: 'blog', agent: 'claude', band: '250000' },
          { id: 'ps2', role: 'app', agent: 'gpt', band: '250000', branch: 'main' },
          ${inst('ps1', '003000')},
          ${inst('ps4', '004000', ", branch: 'claude/ps1-wip'")},
          ${inst('ps5', '005000', ", branch: 'bad..name'")},
        ],`,
      ),
    );
    const e = (await loadError({ configPath: file })) as ConfigError;
    expect(e.problems.map((p) => `${p.at} ${p.message.split(' — ')[0]}`)).toEqual([
      'instances[0].role unknown role "blog"',
      'instances[0].band band "250000" is past the end of the day (240000)',
      'instances[1].agent unknown agent kind "gpt"',
      'instances[1].band band "250000" is already used by instances[0]',
      'instances[1].band band "250000" is past the end of the day (240000)',
      'instances[1].branch branch "main" is the main branch',
      // A repeated id: its derived worktree and branch repeat instances[0]'s, reported once.
      'instances[2].id duplicate instance id "ps1" (also instances[0])',
      'instances[3].branch branch "claude/ps1-wip" is also used by instances[0]',
      'instances[4].branch "bad..name" is not a valid git branch name',
    ]);
  });

  it('branch and remote names are checked by git, through the one git runner', async () => {
    const file = await configFile(
      'names checked by git',
      fleet(`${ROLES} remote: 'up stream', instances: [${ONE.replace('}', ", branch: 'a b' }")}],`),
    );
    const seen: string[][] = [];
    const stop = observeGit((args) => seen.push([...args]));
    const e = (await loadError({ configPath: file }).finally(stop)) as ConfigError;
    expect(e.problems.map((p) => p.at)).toEqual(['remote', 'instances[0].branch']);
    expect(seen).toContainEqual(['check-ref-format', '--branch', 'a b']);
    expect(seen).toContainEqual(['check-ref-format', 'refs/remotes/up stream/x']);
  });

  it('says where it looked when no config exists and suggests init', async () => {
    const empty = await mkdtemp(path.join(os.tmpdir(), 'fleet-none-'));
    const e = await loadError({ cwd: empty }).finally(() =>
      rm(empty, { recursive: true, force: true }),
    );
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toContain(empty);
    expect(e.message).toContain('fleet-tui init');
  });

  it('--config pointing at a missing file is a usage error', async () => {
    const e = await loadError({ cwd: dir, configPath: 'nope.ts' });
    expect(e.exitCode).toBe(EXIT.usage);
    expect(e.message).toMatch(/nope\.ts: no such file/);
  });
});

describe('the CLI on a malformed config', () => {
  const unknownRole = fleet(
    `${ROLES} instances: [{ id: 'ps1', role: 'blog', agent: 'claude', band: '001000' }],`,
  );

  it('exits 2 with one line naming the file, the key and the fix, and no stack trace', async () => {
    const file = await configFile('cli smoke', unknownRole);
    const res = await execa(process.execPath, [BIN, 'config'], {
      cwd: path.dirname(file),
      reject: false,
    });
    expect(res.exitCode).toBe(2);
    expect(res.stderr.trim().split('\n')).toEqual([
      `fleet-tui: ${file}: instances[0].role: unknown role "blog" — declare it under roles or use one of: app`,
    ]);
  });

  it('--debug adds the stack trace after the same line', async () => {
    const file = await configFile('cli smoke debug', unknownRole);
    const res = await execa(process.execPath, [BIN, '--debug', 'config'], {
      cwd: path.dirname(file),
      reject: false,
    });
    expect(res.exitCode).toBe(2);
    const [first, ...rest] = res.stderr.trim().split('\n');
    expect(first).toBe(
      `fleet-tui: ${file}: instances[0].role: unknown role "blog" — declare it under roles or use one of: app`,
    );
    expect(rest.join('\n')).toMatch(/\n\s+at /);
  });
});
