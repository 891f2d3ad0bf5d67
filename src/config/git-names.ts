import { git } from '../core/git/run.js';

/**
 * git itself is the authority on ref names: `git check-ref-format <args>`, run through the one
 * git runner like every other git command. `cwd` is the repository the config belongs to.
 */
export async function gitAcceptsName(args: readonly string[], cwd: string): Promise<boolean> {
  const res = await git(['check-ref-format', ...args], { cwd, readOnly: true, allowFail: true });
  return res.exitCode === 0;
}
