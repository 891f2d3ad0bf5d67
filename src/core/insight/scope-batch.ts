import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { parseDiffTreeStdin } from '../git/diff-tree.js';
import { git } from '../git/run.js';
import { outsideScope, scopeGlobs, type Scope } from './scope.js';
import { committedFiles, parsePorcelainV2, parseRawLog } from './scope-git.js';

/** What `status` already read of one instance, for its scope. */
export interface ScopeInput {
  instance: ResolvedInstance;
  /** The row's HEAD and its commits ahead of main. */
  head: string | null;
  ahead: number;
  /** The row's own `git status --porcelain=v2 -z --untracked-files=all` output. */
  statusText: string;
}

/** Every commit reachable from `tip` inside the listed commits (the rest are on main). */
function reachable(tip: string, parentsOf: Map<string, string[]>): string[] {
  const seen = new Set<string>();
  const stack = [tip];
  while (stack.length > 0) {
    const c = stack.pop()!;
    if (seen.has(c) || !parentsOf.has(c)) continue;
    seen.add(c);
    stack.push(...parentsOf.get(c)!);
  }
  return [...seen];
}

/**
 * The committed half of each instance's touched files, for the whole fleet in three git
 * processes instead of three per instance: one `rev-parse` of main, one `log` of every commit
 * the heads have that main lacks, one `diff-tree --stdin` of each head against main. The log
 * cannot apply `--cherry-pick` per instance, so its files are a superset of the exact answer;
 * an instance whose superset has a file outside its role is read again exactly
 * (`committedFiles`), so a patch main already holds is still not counted. Null for an
 * instance git could not answer (the caller reads it the per-instance way).
 */
async function committedByHead(
  config: ResolvedConfig,
  inputs: readonly ScopeInput[],
): Promise<Map<string, string[] | null>> {
  const out = new Map<string, string[] | null>();
  const heads = [...new Set(inputs.map((i) => i.head!))];
  if (heads.length === 0) return out;
  const cwd = config.rootDir;
  const mainRef = `refs/remotes/${config.remote}/${config.mainBranch}`;
  const [tip, log] = await Promise.all([
    git(['rev-parse', '--verify', '--quiet', `${mainRef}^{commit}`], {
      cwd,
      readOnly: true,
      allowFail: true,
    }),
    git(
      [
        'log',
        '--no-renames',
        '--raw',
        '-z',
        '--format=%H %P',
        '--end-of-options',
        `^${mainRef}`,
        ...heads,
        '--',
      ],
      { cwd, readOnly: true, allowFail: true },
    ),
  ]);
  const main = tip.stdout.trim();
  if (tip.exitCode !== 0 || log.exitCode !== 0 || !main) return out;
  const diff = await git(['diff-tree', '--stdin', '-r', '--no-renames', '--name-status', '-z'], {
    cwd,
    readOnly: true,
    allowFail: true,
    input: heads.map((h) => `${h} ${main}\n`).join(''),
  });
  if (diff.exitCode !== 0) return out;
  const differs = parseDiffTreeStdin(diff.stdout);
  const commits = parseRawLog(log.stdout);
  const parentsOf = new Map(commits.map((c) => [c.sha, c.parents]));
  const filesOf = new Map(commits.map((c) => [c.sha, c]));
  for (const head of heads) {
    const d = differs.get(head) ?? new Set<string>();
    const files = new Set<string>();
    for (const sha of reachable(head, parentsOf)) {
      const c = filesOf.get(sha)!;
      // Merges are skipped, as land skips them (the log prints no files for them anyway).
      if (c.parents.length > 1) continue;
      for (const f of c.files) if (d.has(f)) files.add(f);
    }
    out.set(head, [...files]);
  }
  const exact = new Set<string>();
  for (const inp of inputs) {
    const files = out.get(inp.head!);
    const { paths, shared } = scopeGlobs(config, inp.instance);
    if (!files || exact.has(inp.head!) || outsideScope(files, paths, shared).length === 0) continue;
    exact.add(inp.head!);
    out.set(inp.head!, await committedFiles(cwd, main, inp.head!));
  }
  return out;
}

/**
 * Each instance's scope from what `status` already read: its dirty files from the row's own
 * `git status` output, its committed files from `committedByHead`. Equal to `instanceScope`
 * run per instance on the same state (test/integration/scope-batch.test.ts). Instances this
 * cannot answer are left out of the map; the caller reads them one by one.
 */
export async function fleetScopes(
  config: ResolvedConfig,
  inputs: readonly ScopeInput[],
): Promise<Map<string, Scope>> {
  const scoped = inputs.filter((i) => scopeGlobs(config, i.instance).paths.length > 0);
  const committed = await committedByHead(
    config,
    scoped.filter((i) => i.head && i.ahead > 0),
  );
  const out = new Map<string, Scope>();
  for (const inp of inputs) {
    const { paths, shared } = scopeGlobs(config, inp.instance);
    if (paths.length === 0) {
      out.set(inp.instance.id, { outside: [] });
      continue;
    }
    const files = inp.head && inp.ahead > 0 ? committed.get(inp.head) : [];
    if (!files) continue;
    const touched = [...files, ...parsePorcelainV2(inp.statusText)];
    out.set(inp.instance.id, { outside: outsideScope(touched, paths, shared) });
  }
  return out;
}
