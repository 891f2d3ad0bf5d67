import type { ResolvedConfig } from '../../config/types.js';

/**
 * The hook point between landing and the migration guard: before pushing, the lander asks the
 * gate which instances' chain segments bring migration errors; those are dropped from the chain.
 */
interface GateInput {
  config: ResolvedConfig;
  /** A worktree (the lander) where git commands can run; the chain tip is checked out there. */
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

/** Returns only the instances that must not land. */
export type LandGate = (input: GateInput) => Promise<GateVerdict[]>;

export const noGate: LandGate = () => Promise.resolve([]);
