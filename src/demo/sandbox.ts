import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../config/load.js';
import type { FleetConfigInput } from '../config/schema.js';
import { UsageError } from '../core/errors.js';
import { git } from '../core/git/run.js';
import { demoAgentHomes } from './agent-homes.js';
import { initialFiles, seedCommits } from './content.js';

/** The package root: holds the worked-example fleet.config.ts and bin/. */
const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN_PATH = path.join(PACKAGE_ROOT, 'bin', 'fleet-tui.js');

export interface DemoOptions {
  dir?: string;
  instances?: number;
  /** Extra arguments for every simulated agent (rate, format…). */
  agentArgs?: string[];
}

export interface Sandbox {
  dir: string;
  repo: string;
  configPath: string;
  reused: boolean;
}

const demoEnv = {
  GIT_AUTHOR_NAME: 'fleet-tui demo',
  GIT_AUTHOR_EMAIL: 'demo@fleet-tui.invalid',
  GIT_COMMITTER_NAME: 'fleet-tui demo',
  GIT_COMMITTER_EMAIL: 'demo@fleet-tui.invalid',
};

function utcDay(now = new Date()): string {
  return now.toISOString().slice(0, 10).replace(/-/g, '');
}

/** The example fleet's roles and instances, grown to `count` instances when asked for more. */
async function demoFleet(
  count: number | undefined,
): Promise<Pick<FleetConfigInput, 'roles' | 'instances'>> {
  const example = await loadConfig({
    configPath: path.join(PACKAGE_ROOT, 'fleet.config.ts'),
  });
  const base = example.instances.map(({ id, configRole, agent, band }) => ({
    id,
    role: configRole,
    agent,
    band,
  }));
  const n = count ?? base.length;
  if (!Number.isInteger(n) || n < 1 || n > 48) {
    throw new UsageError(`--instances ${String(count)}: must be a whole number from 1 to 48`);
  }
  const instances = base.slice(0, n);
  const roleIds = Object.keys(example.roles);
  const used = new Set(instances.map((i) => i.band));
  for (let k = instances.length; k < n; k++) {
    // Extra instances get bands in the afternoon, clear of the example's bands.
    let hour = 12 + Math.floor((k - base.length) / 4);
    let band = `${String(hour).padStart(2, '0')}${String(((k - base.length) % 4) * 15).padStart(2, '0')}00`;
    while (used.has(band)) band = `${String(++hour).padStart(2, '0')}0000`;
    used.add(band);
    instances.push({
      id: `ps${k - 3}`,
      role: roleIds[k % roleIds.length]!,
      agent: k % 5 === 4 ? 'codex' : 'claude',
      band,
    });
  }
  return { roles: example.roles, instances };
}

/** The instance whose simulated agent writes a colliding migration in its first turn. */
function collider(fleet: Pick<FleetConfigInput, 'roles' | 'instances'>): string {
  const owns = (role: string) =>
    (fleet.roles[role]?.paths ?? []).some((p) => p.startsWith('supabase/migrations'));
  return (
    fleet.instances.find((i) => i.id !== 'ps3' && owns(i.role)) ??
    fleet.instances[fleet.instances.length - 1]!
  ).id;
}

function configSource(
  fleet: Pick<FleetConfigInput, 'roles' | 'instances'>,
  agentArgs: string[],
  sandboxDir: string,
): string {
  // Transcripts in the agents' own formats, into the sandbox's agent directories (usage, report).
  const env = { ...demoAgentHomes(sandboxDir), FLEET_SIM_TRANSCRIPTS: '1' };
  const sim = (kind: string) => ({
    command: process.execPath,
    args: [
      BIN_PATH,
      'sim-agent',
      '--instance',
      '{instance}',
      '--kind',
      kind,
      '--collide',
      collider(fleet),
      ...agentArgs,
    ],
    backend: 'exec' as const,
    env,
  });
  const cfg: FleetConfigInput = {
    agents: { claude: sim('claude'), codex: sim('codex') },
    ...fleet,
  };
  return [
    "import { defineFleet } from 'fleet-tui';",
    '',
    '// Built by `fleet-tui demo`: the example fleet with SIMULATED agents (fleet-tui sim-agent).',
    `export default defineFleet(${JSON.stringify(cfg, null, 2)});`,
    '',
  ].join('\n');
}

async function commitAll(
  cwd: string,
  files: Record<string, string>,
  message: string,
): Promise<void> {
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(cwd, rel)), { recursive: true });
    await writeFile(path.join(cwd, rel), content);
  }
  await git(['add', '--', ...Object.keys(files)], { cwd });
  await git(['commit', '-q', '-m', message], { cwd, env: demoEnv });
}

/**
 * Build (or reuse) a demo sandbox: a bare origin, a clone holding the example fleet config with
 * simulated agents, and each instance's committed work. Worktrees are created by the caller
 * (`upFleet`), exactly as for a real repository.
 */
export async function buildSandbox(opts: DemoOptions): Promise<Sandbox> {
  const dir = opts.dir
    ? path.resolve(opts.dir)
    : await mkdtemp(path.join(os.tmpdir(), 'fleet-demo-'));
  const repo = path.join(dir, 'repo');
  const configPath = path.join(repo, 'fleet.config.ts');
  if (existsSync(configPath)) return { dir, repo, configPath, reused: true };
  if (existsSync(repo)) {
    throw new UsageError(`${repo} exists but is not a fleet-tui demo — pass another --dir`);
  }
  const origin = path.join(dir, 'origin.git');
  await mkdir(dir, { recursive: true });
  await git(['init', '-q', '--bare', '-b', 'main', origin], { cwd: dir });
  await git(['init', '-q', '-b', 'main', repo], { cwd: dir });
  await git(['remote', 'add', 'origin', origin], { cwd: repo });
  // Local identity: the simulated agents and the lander commit here too.
  await git(['config', 'user.name', demoEnv.GIT_AUTHOR_NAME], { cwd: repo });
  await git(['config', 'user.email', demoEnv.GIT_AUTHOR_EMAIL], { cwd: repo });
  const fleet = await demoFleet(opts.instances);
  await commitAll(
    repo,
    {
      ...initialFiles(utcDay()),
      'fleet.config.ts': configSource(fleet, opts.agentArgs ?? [], dir),
    },
    'demo: initial commit',
  );
  await git(['push', '-q', '-u', 'origin', 'main'], { cwd: repo });
  return { dir, repo, configPath, reused: false };
}

/** Give each instance the work it has "already done" (call after its worktree exists). */
export async function seedWork(worktree: string, id: string, band: string): Promise<void> {
  for (const c of seedCommits(id, band, utcDay())) await commitAll(worktree, c.files, c.message);
}
