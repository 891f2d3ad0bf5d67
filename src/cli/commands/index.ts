import type { Command } from 'commander';
import { registerConfig } from './config.js';
import { registerInit } from './init.js';
import { registerMigrations } from './migrations.js';
import { registerHooks } from './hooks.js';

/** Every subcommand, in the order `--help` lists them. One register function per file. */
export const COMMANDS: Array<(program: Command) => void> = [registerConfig, registerInit, registerMigrations, registerHooks];
