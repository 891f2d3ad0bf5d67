// A fleet.config.ts is code: its evaluation is bounded (5 s) and every throw while it is read is
// a config error (exit 2, one line naming the file). Each case runs the built CLI on a real file.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/git-fixture.js';

const VALID = `{ roles: { app: { title: 'App' } }, instances: [{ id: 'ps1', role: 'app', agent: 'claude', band: '001000' }] }`;

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-bounded-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function runConfig(name: string, source: string) {
  const caseDir = path.join(dir, name);
  await mkdir(caseDir, { recursive: true });
  const file = path.join(caseDir, 'fleet.config.ts');
  await writeFile(file, source);
  // The outer timeout only keeps a regression from hanging the suite.
  const res = await execa(process.execPath, [BIN, 'config'], {
    cwd: caseDir,
    reject: false,
    timeout: 40_000,
  });
  return { ...res, file, lines: String(res.stderr).trim().split('\n') };
}

function expectConfigError(r: Awaited<ReturnType<typeof runConfig>>, at: string, what: RegExp) {
  expect(r.timedOut, 'the CLI hung').toBe(false);
  expect(r.exitCode).toBe(2);
  expect(r.lines).toHaveLength(1);
  expect(r.lines[0]).toContain(`${r.file}: ${at}: `);
  expect(r.lines[0]).toMatch(what);
  expect(r.stderr).not.toMatch(/\n\s+at |Waiting for the debugger/);
}

describe('config load is bounded; every throw while reading it is exit 2', () => {
  it('a top-level await that never settles: exit 2 naming the file (was: exit 13, silent)', async () => {
    const r = await runConfig('never', `await new Promise(() => {});\nexport default ${VALID};\n`);
    expectConfigError(r, '(load)', /did not finish loading within 5 s/);
  });

  it('while (true) {} in the module body: exit 2 (was: hung forever)', async () => {
    const r = await runConfig('loop', `while (true) {}\nexport default ${VALID};\n`);
    expectConfigError(r, '(load)', /did not finish loading within 5 s/);
  });

  it('a loop after a top-level await (the watchdog thread stops the main thread): exit 2', async () => {
    const r = await runConfig(
      'await-loop',
      `await Promise.resolve();\nwhile (true) {}\nexport default ${VALID};\n`,
    );
    expectConfigError(r, '(load)', /did not finish loading within 5 s/);
  });

  it('a getter that loops forever while the config is read: exit 2', async () => {
    const r = await runConfig(
      'getter-loop',
      `export default { ...${VALID}, get remote() { for (;;) {} } };\n`,
    );
    expectConfigError(r, '(load)', /did not finish loading within 5 s/);
  });

  it('a getter that throws: exit 2 with one line (was: "unexpected error", exit 1)', async () => {
    const r = await runConfig(
      'getter-throws',
      `export default { ...${VALID}, get mainBranch() { throw new Error('getter boom'); } };\n`,
    );
    expectConfigError(r, '(validation)', /reading the config threw: getter boom/);
  });

  it('a Proxy whose traps throw: exit 2 with one line', async () => {
    const r = await runConfig(
      'proxy-throws',
      `export default new Proxy({}, { ownKeys() { throw new Error('trap boom'); }, get() { throw new Error('trap boom'); } });\n`,
    );
    // The compiled module hands the default export over untouched: the traps run when it is read.
    expectConfigError(r, '(validation)', /reading the config threw: trap boom/);
  });

  it('a config that awaits and settles loads (top-level await is allowed), and so does a plain one', async () => {
    const awaited = await runConfig(
      'awaits',
      `import { defineFleet } from 'fleet-tui';\nconst title = await Promise.resolve('Awaited title');\nexport default defineFleet({ ...${VALID}, roles: { app: { title } } });\n`,
    );
    expect(awaited.stderr).toBe('');
    expect(awaited.exitCode).toBe(0);
    expect(awaited.stdout).toContain('Awaited title');
    const plain = await runConfig(
      'plain',
      `import { defineFleet } from 'fleet-tui';\nexport default defineFleet(${VALID});\n`,
    );
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toMatch(/ps1\s+claude/);
  });
});
