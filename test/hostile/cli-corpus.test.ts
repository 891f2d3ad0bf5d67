// The hostile corpus through the CLI: file names, branch names, commit subjects, role titles, a
// hook's message and config values, through every text command. No control character reaches
// stdout or stderr (--json keeps exact values, escaped), and nothing outside the repository is
// touched.
import { chmod, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';
import { ALL, PAYLOADS, REF_SAFE, firstControl } from './corpus.js';

const SHOWN_TITLE = '\\x1b]0;HACKED\\x07';
const js = (s: string) => JSON.stringify(s); // a TS string literal with the payload escaped

let fx: FleetFixture;
let outside: () => Promise<string[]>;
let before: string[];

/** Every path under `dir`, except inside the repository and the remote. */
async function listOutside(dir: string, skip: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    const full = path.join(e.parentPath, e.name);
    if (!skip.some((s) => full === s || full.startsWith(s + path.sep))) out.push(full);
  }
  return out.sort();
}

beforeAll(async () => {
  fx = await makeFleet({ instances: 2 });
  const [a, b] = fx.instances as [FleetFixture['instances'][0], FleetFixture['instances'][0]];
  // Role titles and paths from the config (trusted code, displayed values).
  await writeFile(
    path.join(fx.repo, 'fleet.config.ts'),
    `import { defineFleet } from 'fleet-tui';
export default defineFleet({
  roles: {
    'role-ps1': { title: ${js(`Role ${ALL}`)}, paths: [${js(`lib/${PAYLOADS.clear}/**`)}] },
    'role-ps2': { title: 'Role two' },
  },
  instances: [
    { id: 'ps1', role: 'role-ps1', agent: 'claude', band: '010000' },
    { id: 'ps2', role: 'role-ps2', agent: 'claude', band: '020000' },
  ],
});
`,
  );
  await fx.git(fx.repo, 'commit', '-qam', 'hostile config');
  await fx.git(fx.repo, 'push', '-q', 'origin', 'main');
  const mig = 'supabase/migrations';
  // ps1: a committed change with a hostile subject, and an untracked hostile migration name.
  await fx.commit(a.worktree, { 'ps1/a.txt': 'a\n' }, `subject ${ALL}`);
  await fx.write(a.worktree, {
    [`${mig}/20261201013000_x${ALL}.sql`]: 'select 1;\n', // a newline: a bad name
    [`${mig}/20261201013000_z${PAYLOADS.title}${PAYLOADS.csi8}${PAYLOADS.rlo}.sql`]: 'select 3;\n',
  });
  // ps2: the same version (a duplicate), committed, and a branch name git accepts (C1, bidi).
  await fx.commit(
    b.worktree,
    { [`${mig}/20261201013000_y${PAYLOADS.title}.sql`]: 'select 2;\n' },
    `FORBIDDEN ${PAYLOADS.csi8}`,
  );
  await fx.git(b.worktree, 'checkout', '-q', '-b', `claude/ps2-${REF_SAFE}`);
  // The remote's hook refuses ps2 with a message full of escapes.
  const hook = path.join(fx.origin, 'hooks', 'pre-receive');
  await writeFile(
    hook,
    `#!/bin/sh\nwhile read old new ref; do\n  if git log --format=%s "$old..$new" | grep -q HACKED; then printf 'denied \\033]0;HACKED\\007 \\302\\233 2J\\n'; exit 1; fi\ndone\n`,
  );
  await chmod(hook, 0o755);
  const skip = [fx.repo, fx.origin];
  outside = async () => [
    ...(await listOutside(fx.dir, skip)),
    ...(await listOutside(process.env.HOME!, [])),
  ];
  before = await outside();
});

afterAll(async () => {
  await fx?.cleanup();
});

async function cli(args: string[], cwd = fx.repo) {
  const r = await fx.cli(args, { cwd });
  const text = `${r.stdout}\n${r.stderr}`;
  expect(firstControl(text), `fleet-tui ${args.join(' ')} wrote a control character`).toBeNull();
  return { ...r, text };
}

describe('hostile input through the CLI', () => {
  it('text output shows every payload and emits none of it', async () => {
    const config = await cli(['config']);
    expect(config.text).toContain(`Role ${SHOWN_TITLE}`);

    const status = await cli(['status']);
    expect(status.text).toContain(`subject ${SHOWN_TITLE}`);
    expect(status.text).toContain('claude/ps2-\\x9b31mx\\u202ey\\x9c');
    // One line per instance: a newline in a subject does not split a row.
    expect(status.stdout.trim().split('\n')).toHaveLength(2);

    const check = await cli(['migrations', 'check']);
    expect(check.exitCode).toBe(1);
    expect(check.text).toContain(`20261201013000_x${SHOWN_TITLE}`);
    expect(check.text).toContain('two\\nlines');
    expect(check.text).toContain(`20261201013000_z${SHOWN_TITLE}\\x9b31m\\u202e.sql`);
    // One line per problem: names with newlines do not split them.
    const lines = check.stdout.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('error duplicate-version'))).toHaveLength(1);
    for (const l of lines) expect(l).toMatch(/^(error|warning) |^\d+ migrations checked/);

    await cli(['migrations', 'next', 'ps1']);
    const created = await cli(['migrations', 'new', 'ps1', `../../../../outside${PAYLOADS.title}`]);
    expect(created.exitCode).toBe(0);
    expect(
      created.stdout.startsWith(path.join(fx.instances[0]!.worktree, 'supabase', 'migrations')),
    ).toBe(true);

    const land = await cli(['land', '--all']);
    expect(land.exitCode).toBe(1);
    expect(land.text).toMatch(/ps1\s+refused .*denied \\x1b\]0;HACKED\\x07 \\x9b 2J/);

    // Usage and config errors echo what they were given: shown, not emitted.
    await cli([`st${PAYLOADS.title}`]);
    await cli(['agents', 'send', `ps9${PAYLOADS.clear}`, 'hi']);
    const cfgDir = path.join(fx.dir, `cfg${PAYLOADS.csi8}`);
    await mkdir(cfgDir);
    await writeFile(
      path.join(cfgDir, 'fleet.config.ts'),
      `export default { roles: { a: { title: 'A' } }, instances: [{ id: 'ps1', role: ${js(PAYLOADS.title)}, agent: 'claude', band: '001000' }] };\n`,
    );
    const bad = await cli(['config'], cfgDir);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(`unknown role "${SHOWN_TITLE}"`);
    expect(bad.stderr).toContain('cfg\\x9b');
  });

  it('--json keeps the exact values, with no raw control character in the output', async () => {
    const status = await cli(['status', '--json']);
    const [a] = fx.instances;
    const subject = await fx.git(a!.worktree, 'log', '-1', '--format=%s');
    expect(subject.startsWith(`subject ${PAYLOADS.title}`)).toBe(true);
    const rows = (
      JSON.parse(status.stdout) as {
        instances: Array<{ branch: string; lastCommit: { subject: string } | null }>;
      }
    ).instances;
    expect(rows[0]!.lastCommit!.subject).toBe(subject);
    expect(rows[1]!.branch).toBe(`claude/ps2-${REF_SAFE}`);

    const check = await cli(['migrations', 'check', '--json']);
    const report = JSON.parse(check.stdout) as {
      problems: Array<{ files: Array<{ path: string }> }>;
    };
    const paths = report.problems.flatMap((p) => p.files.map((f) => f.path));
    expect(paths).toContain(`supabase/migrations/20261201013000_x${ALL}.sql`);

    const config = await cli(['config', '--json']);
    const cfg = JSON.parse(config.stdout) as { roles: Record<string, { title: string }> };
    expect(cfg.roles['role-ps1']!.title).toBe(`Role ${ALL}`);
  });

  it('nothing outside the repository was touched', async () => {
    const after = (await outside()).filter((p) => !p.startsWith(path.join(fx.dir, 'cfg')));
    expect(after).toEqual(before);
    const dir = path.join(fx.instances[0]!.worktree, 'supabase', 'migrations');
    expect((await readdir(dir)).filter((n) => /_outside.*\.sql$/.test(n))).toHaveLength(1);
  });
});
