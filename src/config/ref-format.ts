import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { locateGitDirs } from '../core/git/locate.js';
import { fleetDir } from '../core/git/repo.js';
import { git } from '../core/git/run.js';
import { writeFileAtomic } from '../core/state/atomic.js';

/**
 * `git check-ref-format` answers for the config's names, remembered per repository. git is the
 * authority on ref names, but asking it costs a process per name (14 for 12 instances: most of an
 * otherwise cached config load). Its rules are a pure function of the name, so a name git
 * accepted once is accepted again; refused names are not remembered (they stop the command, and
 * are asked again after the fix). A name with `@{` is always asked: `--branch` expands it against
 * the repository's reflog.
 */
export interface RefFormat {
  accepts(args: readonly string[]): Promise<boolean>;
  /** Write newly accepted names (called once validation is done). */
  save(): Promise<void>;
}

const FILE = 'ref-names.json';

export function refFormat(rootDir: string): RefFormat {
  const dirs = locateGitDirs(rootDir);
  const file = dirs ? path.join(fleetDir(dirs.commonDir), FILE) : null;
  let known: Promise<Set<string>> | null = null;
  let added = false;
  const load = () =>
    (known ??= file
      ? readFile(file, 'utf8').then(
          (t) => new Set(JSON.parse(t) as string[]),
          // Missing or damaged: every name is asked again and the file rewritten.
          () => new Set<string>(),
        )
      : Promise.resolve(new Set<string>()));
  return {
    async accepts(args) {
      const key = args.join('\0');
      const set = await load();
      if (set.has(key)) return true;
      const res = await git(['check-ref-format', ...args], {
        cwd: rootDir,
        readOnly: true,
        allowFail: true,
      });
      const ok = res.exitCode === 0;
      if (ok && !key.includes('@{')) {
        set.add(key);
        added = true;
      }
      return ok;
    },
    async save() {
      if (!file || !added || !known) return;
      const set = await known;
      // Remembering is an optimisation: a repository that cannot be written asks git next time.
      await writeFileAtomic(file, JSON.stringify([...set])).catch(() => undefined);
    },
  };
}
