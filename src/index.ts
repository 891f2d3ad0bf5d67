// Public API: what a fleet.config.ts and scripts import from 'fleet-tui'.
export { defineFleet } from './config/define.js';
export type { FleetConfigInput as FleetConfig, AgentSpec, RoleSpec } from './config/schema.js';
export type { ResolvedConfig, ResolvedInstance } from './config/types.js';
export { loadConfig } from './config/load.js';
