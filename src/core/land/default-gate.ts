import { noGate, type LandGate } from './gate.js';

/** The gate the CLI and TUI land with. The migration guard plugs in here (one line). */
export function defaultGate(): LandGate {
  return noGate;
}
