import type { FleetConfigInput } from './schema.js';

/** Identity helper that gives `fleet.config.ts` full typing and editor completion. */
export function defineFleet(config: FleetConfigInput): FleetConfigInput {
  return config;
}
