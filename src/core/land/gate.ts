import type { ResolvedConfig } from '../../config/types.js';

/**
 * The hook point between landing and the migration guard: before pushing, the lander asks the
 * gate which instances' chain segments bring migration errors; those are dropped from the chain.
 */
interface GateInput {
  config: ResolvedConfig;
  /**
   * A worktree (the lander) where git commands can run; the chain tip is checked out there (for
   * an `objectsOnly` gate: the repository's root, while the lander checks it out).
   */
  cwd: string;
  /** `<remote>/<main>` sha the chain is built on. */
  base: string;
  /** In chain order: the commits each instance added, as the range `from..to`. */
  steps: Array<{ instanceId: string; from: string; to: string }>;
}

export interface GateVerdict {
  instanceId: string;
  /** One line per error, e.g. `duplicate-version 20261123001000: … — rename to …`. */
  problems: string[];
}

/**
 * Returns only the instances that must not land. `objectsOnly`: the gate reads commits and trees
 * and never the lander's files, so it runs beside the chain's checkout instead of after it, with
 * `cwd` the repository's root.
 */
export type LandGate = ((input: GateInput) => Promise<GateVerdict[]>) & {
  readonly objectsOnly?: boolean;
};

export const noGate: LandGate = () => Promise.resolve([]);
