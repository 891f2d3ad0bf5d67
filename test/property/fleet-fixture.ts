// Fleets for the property test, fast: the first fleet of each size is built by makeFleet (real
// git: bare origin, clone, worktrees); later ones are copies of it with their paths repaired by
// rewriting the two files that link a worktree and its repository — the same repository state in a fraction of the git processes.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { ResolvedConfig } from '../../src/config/types.js';
import { makeFleet, run, type FleetFixture } from '../helpers/git-fixture.js';
import { INITIAL_FILES } from './fleet-apply.js';

const templates = new Map<number, { fx: FleetFixture; config: ResolvedConfig }>();

export async function dropTemplates(): Promise<void> {
  for (const t of templates.values()) await t.fx.cleanup();
  templates.clear();
}

export async function quickFleet(n: number): Promise<{ fx: FleetFixture; config: ResolvedConfig }> {
  let made = templates.get(n);
  if (!made) {
    const fx = await makeFleet({ instances: n, files: INITIAL_FILES });
    made = { fx, config: await loadConfig({ cwd: fx.repo }) };
    templates.set(n, made);
  }
  const tpl = made.fx;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'fleet-prop-'));
  await cp(tpl.dir, dir, { recursive: true, verbatimSymlinks: true });
  const move = (p: string) => path.join(dir, path.relative(tpl.dir, p));
  const repo = move(tpl.repo);
  const origin = move(tpl.origin);
  const instances = tpl.instances.map((i) => ({ ...i, worktree: move(i.worktree) }));
  await run(repo, ['config', 'remote.origin.url', origin]);
  // Point each copied worktree and its admin dir at each other (`git worktree repair` would
  // follow the links to the template, which is still valid, and leave the copy pointing there).
  for (const i of instances) {
    const admin = (await readFile(path.join(i.worktree, '.git'), 'utf8'))
      .replace(/^gitdir: /, '')
      .trim();
    const moved = path.join(repo, '.git', 'worktrees', path.basename(admin));
    await writeFile(path.join(i.worktree, '.git'), `gitdir: ${moved}\n`);
    await writeFile(path.join(moved, 'gitdir'), `${path.join(i.worktree, '.git')}\n`);
  }
  const outsider = path.join(dir, 'outsider');
  let seq = 0;
  const fx: FleetFixture = {
    ...tpl,
    dir,
    origin,
    repo,
    instances,
    pushFromOutside: async (files, message) => {
      await run(dir, ['clone', '-q', origin, outsider]).catch(() => undefined);
      await run(outsider, ['pull', '-q', '--rebase', 'origin', 'main']);
      await fx.write(outsider, files);
      await run(outsider, ['add', '--', ...Object.keys(files)]);
      const date = new Date(Date.UTC(2026, 3, 1) + ++seq * 60_000).toISOString();
      await run(outsider, ['commit', '-q', '-m', message], {
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      });
      await run(outsider, ['push', '-q', 'origin', 'HEAD:main']);
      return run(outsider, ['rev-parse', 'HEAD']);
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  // The template's config with the copy's paths (loading fleet.config.ts costs ~1 s under load).
  const config: ResolvedConfig = {
    ...made.config,
    rootDir: repo,
    configPath: made.config.configPath && move(made.config.configPath),
    instances: made.config.instances.map((i) => ({ ...i, worktreePath: move(i.worktreePath) })),
  };
  return { fx, config };
}
