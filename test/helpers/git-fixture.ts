// Real git fixtures in temp directories: a bare `origin`, a clone with an initial commit on
// `main`, and one worktree per instance. Every later test builds on these; never mock git.
import { execa } from 'execa';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const BIN = path.join(REPO_ROOT, 'bin', 'fleet-tui.js');

let dateCounter = 0;
/** Fixed, increasing commit dates so fixtures are reproducible but commits stay distinct. */
function nextDate(): string {
  dateCounter += 1;
  return new Date(Date.UTC(2026, 0, 1) + dateCounter * 60_000).toISOString();
}

export async function run(cwd: string, args: string[], env: Record<string, string> = {}) {
  const res = await execa('git', args, { cwd, env: { LC_ALL: 'C', ...env }, reject: false });
  if (res.exitCode !== 0) {
    throw new Error(`git ${args.join(' ')} (in ${cwd}) failed: ${res.stderr || res.stdout}`);
  }
  return res.stdout.trim();
}

export interface FixtureInstance {
  id: string;
  role?: string;
  agent?: string;
  band?: string;
  /** A host name under `hosts` (configExtra declares it): no local worktree is made for it. */
  host?: string;
}

export interface FleetFixture {
  /** Temp directory holding everything. */
  dir: string;
  /** Bare repository playing the remote `origin`. */
  origin: string;
  /** The main clone (holds fleet.config.ts). */
  repo: string;
  instances: Array<
    Required<Omit<FixtureInstance, 'host'>> & { worktree: string; branch: string; host?: string }
  >;
  git(cwd: string, ...args: string[]): Promise<string>;
  /** Write files (path → content) in `cwd`, stage them and commit. Returns the new sha. */
  commit(cwd: string, files: Record<string, string>, message: string): Promise<string>;
  write(cwd: string, files: Record<string, string>): Promise<void>;
  /** Push `ref` of `cwd` to a second clone's view: simulates someone else pushing to main. */
  pushFromOutside(files: Record<string, string>, message: string): Promise<string>;
  /** Run the built CLI (`bin/fleet-tui.js`) in `cwd`. */
  cli(
    args: string[],
    opts?: { cwd?: string; env?: Record<string, string>; input?: string },
  ): Promise<{
    stdout: string;
    stderr: string;
    exitCode: number;
  }>;
  cleanup(): Promise<void>;
}

export interface FixtureOptions {
  /** Instances to configure; a number n makes ps1..psn. Default 2. */
  instances?: number | FixtureInstance[];
  /** Create the worktrees and branches (default true). */
  worktrees?: boolean;
  /** Extra top-level config keys, spliced into fleet.config.ts as TS source. */
  configExtra?: string;
  /** Files committed to main in the initial commit. */
  files?: Record<string, string>;
  /** Do not write fleet.config.ts at all. */
  noConfig?: boolean;
}

function bandFor(i: number): string {
  return String(10000 + i * 10000)
    .padStart(6, '0')
    .slice(-6);
}

// A default role `role-ps1` owns `role-ps1/**` and `ps1/**` (where seedCommits puts the
// fixtures' commits), so a plain land is inside its role and says nothing about scope.
function configSource(instances: FleetFixture['instances'], extra = ''): string {
  const roles = [...new Set(instances.map((i) => i.role))]
    .map(
      (r) =>
        `    ${JSON.stringify(r)}: { title: ${JSON.stringify(`Role ${r}`)}, paths: ['${r}/**', '${r.replace(/^role-/, '')}/**'], prompt: 'Work on ${r}.' },`,
    )
    .join('\n');
  const list = instances
    .map(
      (i) =>
        `    { id: '${i.id}', role: '${i.role}', agent: '${i.agent}', band: '${i.band}'${i.host ? `, host: '${i.host}'` : ''} },`,
    )
    .join('\n');
  return `import { defineFleet } from 'fleet-tui';\n\nexport default defineFleet({\n${extra}\n  roles: {\n${roles}\n  },\n  instances: [\n${list}\n  ],\n});\n`;
}

export async function makeFleet(opts: FixtureOptions = {}): Promise<FleetFixture> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-fx-'));
  const origin = path.join(dir, 'origin.git');
  const repo = path.join(dir, 'repo');
  const spec: FixtureInstance[] =
    typeof opts.instances === 'number' || opts.instances === undefined
      ? Array.from(
          { length: typeof opts.instances === 'number' ? opts.instances : 2 },
          (_, i): FixtureInstance => ({ id: `ps${i + 1}` }),
        )
      : opts.instances;
  const instances = spec.map((s, i) => {
    const agent = s.agent ?? 'claude';
    return {
      id: s.id,
      role: s.role ?? `role-${s.id}`,
      agent,
      band: s.band ?? bandFor(i),
      worktree: path.join(repo, '.claude', 'worktrees', `instance-${s.id}`),
      branch: `${agent}/${s.id}-wip`,
      ...(s.host ? { host: s.host } : {}),
    };
  });

  const write = async (cwd: string, files: Record<string, string>) => {
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(cwd, rel);
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
  };
  const gitIn = (cwd: string, ...args: string[]) => run(cwd, args);
  const commit = async (cwd: string, files: Record<string, string>, message: string) => {
    await write(cwd, files);
    await run(cwd, ['add', '--', ...Object.keys(files)]);
    const date = nextDate();
    await run(cwd, ['commit', '-q', '-m', message], {
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    });
    return run(cwd, ['rev-parse', 'HEAD']);
  };

  await run(dir, ['init', '-q', '--bare', '-b', 'main', origin]);
  await run(dir, ['init', '-q', '-b', 'main', repo]);
  await run(repo, ['remote', 'add', 'origin', origin]);
  // Worktrees live inside the repo; keep them out of its status like real users do.
  const initial: Record<string, string> = {
    '.gitignore': '.claude/worktrees/\nnode_modules/\n',
    'README.md': '# fixture\n',
    ...opts.files,
  };
  if (!opts.noConfig) initial['fleet.config.ts'] = configSource(instances, opts.configExtra);
  await commit(repo, initial, 'initial commit');
  await run(repo, ['push', '-q', '-u', 'origin', 'main']);
  if (opts.worktrees !== false) {
    for (const inst of instances.filter((i) => !i.host)) {
      await run(repo, ['worktree', 'add', '-q', '-b', inst.branch, inst.worktree, 'origin/main']);
    }
  }

  const outsider = path.join(dir, 'outsider');
  const pushFromOutside = async (files: Record<string, string>, message: string) => {
    await run(dir, ['clone', '-q', origin, outsider]).catch(() => undefined);
    await run(outsider, ['pull', '-q', '--rebase', 'origin', 'main']);
    const sha = await commit(outsider, files, message);
    await run(outsider, ['push', '-q', 'origin', 'HEAD:main']);
    return sha;
  };

  const cli: FleetFixture['cli'] = async (args, o = {}) => {
    const res = await execa(process.execPath, [BIN, ...args], {
      cwd: o.cwd ?? repo,
      env: o.env,
      input: o.input,
      reject: false,
    });
    return { stdout: String(res.stdout), stderr: String(res.stderr), exitCode: res.exitCode ?? 1 };
  };

  return {
    dir,
    origin,
    repo,
    instances,
    git: gitIn,
    commit,
    write,
    pushFromOutside,
    cli,
    // A background write that outlives the test (an agent's session id saved as it stops) can
    // add a file while the tree is removed: retry instead of failing on ENOTEMPTY.
    cleanup: () => rm(dir, { recursive: true, force: true, maxRetries: 5 }),
  };
}
