import { loadFleetConfig } from '../app/fleet-config.js';
import type { ResolvedConfig } from '../config/types.js';
import { upFleet } from '../core/git/index.js';
import { buildSandbox, seedWork, type DemoOptions, type Sandbox } from './sandbox.js';

/**
 * Everything `fleet-tui demo` does before the TUI opens: the sandbox repository, one worktree per
 * instance (exactly as `fleet-tui up` makes them) and each instance's already-committed work.
 * A reused sandbox (`--dir` of an earlier demo) is opened as it is.
 */
export async function prepareDemo(
  opts: DemoOptions,
): Promise<{ sandbox: Sandbox; config: ResolvedConfig }> {
  const sandbox = await buildSandbox(opts);
  let config = await loadFleetConfig({ configPath: sandbox.configPath });
  const up = await upFleet(config);
  const bad = up.filter((r) => r.outcome === 'wrong-branch' || r.outcome === 'error');
  if (bad.length > 0) {
    throw new Error(
      `demo: worktrees could not be created: ${bad.map((r) => `${r.id} ${r.detail}`).join('; ')}`,
    );
  }
  if (!sandbox.reused) {
    for (const inst of config.instances) await seedWork(inst.worktreePath, inst.id, inst.band);
    config = await loadFleetConfig({ configPath: sandbox.configPath });
  }
  return { sandbox, config };
}
