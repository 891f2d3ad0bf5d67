import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerInit } from './init.js';
import { registerUp } from './up.js';
import { registerDown } from './down.js';
import { registerStatus } from './status.js';
import { registerLand } from './land.js';
import { registerSync } from './sync.js';
import { registerRecover } from './recover.js';
import { registerMigrations } from './migrations.js';
import { registerHooks } from './hooks.js';
import { registerAgents } from './agents.js';
import { registerSimAgent } from './sim-agent.js';
import { registerHookEvent } from './hook-event.js';
import { registerDemo } from './demo.js';
import { registerTui } from './tui.js';

/** Every subcommand, in the order `--help` lists them. One register function per file. */
export const SUBCOMMANDS: Array<(program: Command) => void> = [
  registerConfig,
  registerInit,
  registerUp,
  registerDown,
  registerStatus,
  registerLand,
  registerSync,
  registerRecover,
  registerMigrations,
  registerHooks,
  registerAgents,
  registerSimAgent,
  registerHookEvent,
  registerDemo,
  // Last: the root action (no subcommand opens the TUI).
  registerTui,
];
