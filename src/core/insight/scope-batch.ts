import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { mainTip, reach } from '../git/ahead-behind.js';
import { parseDiffTreeStdin } from '../git/diff-tree.js';
import { git } from '../git/run.js';
import type { MainTip } from '../git/status-types.js';
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

/** The quick answer of `readCommitted`: main's commit and, per head asked, its files. */
export interface CommittedRead {
  main: string;
  asked: Set<string>;
  /** Heads with commits main lacks → their files still differing from main (a superset). */
  files: Map<string, string[]>;
}

/**
 * The committed half of each head's touched files, for the whole fleet in three git processes
 * instead of three per instance: one `rev-parse` of main (`tip`, when the status read has
 * already asked), then, side by side, one `log` of every commit the heads have that main lacks
 * and one `diff-tree --stdin` of each head against main. The diff is of every head but main
 * itself, not only of those the log finds ahead: waiting for the log would put a third round of
 * git processes on `status`'s path, and the extra lines are ignored. The log cannot apply
 * `--cherry-pick` per instance, so its files are a superset of the exact answer
 * (`committedByHead` narrows it). Null when git could not answer.
 */
export async function readCommitted(
  config: ResolvedConfig,
  heads: readonly string[],
  tip?: MainTip,
): Promise<CommittedRead | null> {
  const asked = new Set(heads);
  const files = new Map<string, string[]>();
  const cwd = config.rootDir;
  const mainRef = `refs/remotes/${config.remote}/${config.mainBranch}`;
  const opts = { cwd, readOnly: true, allowFail: true };
  const known = tip?.ref === mainRef ? tip : mainTip(cwd, mainRef);
  const mainCommit = known.commit;
  const diffAgainst = (main: string) => {
    const others = [...asked].filter((h) => h !== main);
    if (others.length === 0) return null;
    // Its input goes through a file: started with the reads beside it from one `sh`.
    return git(['diff-tree', '--stdin', '-r', '--no-renames', '--name-status', '-z'], {
      ...opts,
      input: others.map((h) => `${h} ${main}\n`).join(''),
      batch: true,
    });
  };
  // Against main's commit as read from the files, not to wait for git's; again if they differ.
  const guessed = known.guess ? diffAgainst(known.guess) : null;
  const diffOf = async () => {
    const main = await mainCommit;
    if (main && main === known.guess) return guessed;
    guessed?.catch(() => undefined);
    return main ? diffAgainst(main) : null;
  };
  const [main, log, diff] = await Promise.all([
    mainCommit,
    asked.size === 0
      ? null
      : git(
          [
            'log',
            '--no-renames',
            '--raw',
            '-z',
            '--format=%H %P',
            '--end-of-options',
            `^${mainRef}`,
            ...asked,
            '--',
          ],
          opts,
        ),
    diffOf(),
  ]);
  if (!main || (log && log.exitCode !== 0)) return null;
  const commits = parseRawLog(log?.stdout ?? '');
  const parentsOf = new Map(commits.map((c) => [c.sha, c.parents]));
  const filesOf = new Map(commits.map((c) => [c.sha, c]));
  // Only heads with commits of their own are diffed: the others have nothing unlanded.
  const ahead = [...asked].filter((h) => parentsOf.has(h));
  if (ahead.length === 0) return { main, asked, files };
  if (!diff || diff.exitCode !== 0) return null;
  const differs = parseDiffTreeStdin(diff.stdout);
  for (const head of ahead) {
    const d = differs.get(head) ?? new Set<string>();
    const mine = new Set<string>();
    for (const sha of reach(head, parentsOf)) {
      const c = filesOf.get(sha)!;
      // Merges are skipped, as land skips them (the log prints no files for them anyway).
      if (c.parents.length > 1) continue;
      for (const f of c.files) if (d.has(f)) mine.add(f);
    }
    files.set(head, [...mine]);
  }
  return { main, asked, files };
}

/**
 * Each input's committed files: the quick answer (`early`, when status started it as soon as
 * the heads were listed, else read now), and for an instance whose quick answer has a file
 * outside its role, the exact one (`committedFiles`), so a patch main already holds is still
 * not counted. An instance git could not answer is left out (the caller reads it one by one).
 */
async function committedByHead(
  config: ResolvedConfig,
  inputs: readonly ScopeInput[],
  early?: Promise<CommittedRead | null>,
): Promise<Map<string, string[] | null>> {
  const out = new Map<string, string[] | null>();
  const heads = [...new Set(inputs.map((i) => i.head!))];
  if (heads.length === 0) return out;
  let read = early ? await early : null;
  // A head listed after the early read (the agent committed meanwhile): read them all now.
  if (!read || heads.some((h) => !read!.asked.has(h))) read = await readCommitted(config, heads);
  if (!read) return out;
  for (const h of heads) out.set(h, read.files.get(h) ?? []);
  const exact = new Set<string>();
  for (const inp of inputs) {
    const files = out.get(inp.head!);
    const { paths, shared } = scopeGlobs(config, inp.instance);
    if (!files || exact.has(inp.head!) || outsideScope(files, paths, shared).length === 0) continue;
    exact.add(inp.head!);
    out.set(inp.head!, await committedFiles(config.rootDir, read.main, inp.head!));
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
  early?: Promise<CommittedRead | null>,
): Promise<Map<string, Scope>> {
  const scoped = inputs.filter((i) => scopeGlobs(config, i.instance).paths.length > 0);
  const committed = await committedByHead(
    config,
    scoped.filter((i) => i.head && i.ahead > 0),
    early,
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
