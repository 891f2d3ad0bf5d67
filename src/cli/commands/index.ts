import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerInit } from './init.js';
import { registerAgents } from './agents.js';
import { registerSimAgent } from './sim-agent.js';
import { registerHookEvent } from './hook-event.js';

/** Every subcommand, in the order `--help` lists them. One register function per file. */
export const COMMANDS: Array<(program: Command) => void> = [
  registerConfig,
  registerInit,
  registerAgents,
  registerSimAgent,
  registerHookEvent,
];
