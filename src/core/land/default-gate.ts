import type { LandGate } from './gate.js';
import { migrationGate } from '../migrations/gate.js';

/** The gate the CLI and TUI land with: the migration guard drops instances that bring errors. */
export function defaultGate(): LandGate {
  return migrationGate;
}
