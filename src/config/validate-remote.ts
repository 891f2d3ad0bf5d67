import type { RefFormat } from './ref-format.js';
import type { ConfigProblem } from './validate.js';

/**
 * `remote` and `mainBranch` reach git's command line (fetch, push, rebase), so they are checked
 * before any command runs: a value starting with `-` would be read by git as an option
 * (`--upload-pack=…` runs a command), a branch name git refuses cannot be pushed, and a remote
 * named like the branch makes `<remote> <branch>` ambiguous. git itself is the authority on
 * names (`check-ref-format`, through `refs`).
 */
export async function remoteProblems(
  cfg: { remote: string; mainBranch: string },
  refs: RefFormat,
): Promise<ConfigProblem[]> {
  const gitAccepts = (args: string[]) => refs.accepts(args);
  const problems: ConfigProblem[] = [];
  const { remote, mainBranch } = cfg;
  if (remote.startsWith('-')) {
    problems.push({
      at: 'remote',
      message: `"${remote}" starts with "-", which git would read as an option — use the name of a remote ("origin")`,
    });
  } else if (!(await gitAccepts([`refs/remotes/${remote}/x`]))) {
    // git's own rule for remote names: refs/remotes/<name>/… must be a valid ref.
    problems.push({
      at: 'remote',
      message: `"${remote}" is not a valid git remote name — use the name of a remote ("origin"), as "git remote" lists them`,
    });
  }
  if (mainBranch.startsWith('-')) {
    problems.push({
      at: 'mainBranch',
      message: `"${mainBranch}" starts with "-", which git would read as an option — use the branch name ("main")`,
    });
  } else if (!(await gitAccepts(['--branch', mainBranch]))) {
    problems.push({
      at: 'mainBranch',
      message: `"${mainBranch}" is not a valid git branch name — choose a name git accepts (git check-ref-format --branch)`,
    });
  }
  if (remote === mainBranch) {
    problems.push({
      at: 'remote',
      message: `"${remote}" is also the main branch's name, which makes "${remote} ${mainBranch}" ambiguous to git — use the remote's own name ("origin")`,
    });
  }
  return problems;
}
