import type { LandGate } from '../core/land/gate.js';
import { migrationGate } from '../core/migrations/land-gate.js';

/**
 * The gate the CLI and TUI land with: the migration guard drops instances that bring errors.
 * It is chosen here, above core, so the land engine never depends on the migration guard.
 */
export function defaultGate(): LandGate {
  return migrationGate;
}
