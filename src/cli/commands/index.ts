import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Every subcommand, in the order `--help` lists them, each loaded only when it runs: a command
 * imports what it needs (git, zod, React and Ink) and nothing of the others'. One file a command.
 */
export const SUBCOMMANDS: ReadonlyArray<readonly [name: string, load: () => Promise<Register>]> = [
  ['config', async () => (await import('./config.js')).registerConfig],
  ['init', async () => (await import('./init.js')).registerInit],
  ['up', async () => (await import('./up.js')).registerUp],
  ['down', async () => (await import('./down.js')).registerDown],
  ['status', async () => (await import('./status.js')).registerStatus],
  ['land', async () => (await import('./land.js')).registerLand],
  ['sync', async () => (await import('./sync.js')).registerSync],
  ['recover', async () => (await import('./recover.js')).registerRecover],
  ['migrations', async () => (await import('./migrations.js')).registerMigrations],
  ['hooks', async () => (await import('./hooks.js')).registerHooks],
  ['agents', async () => (await import('./agents.js')).registerAgents],
  ['sim-agent', async () => (await import('./sim-agent.js')).registerSimAgent],
  ['hook-event', async () => (await import('./hook-event.js')).registerHookEvent],
  ['demo', async () => (await import('./demo.js')).registerDemo],
  ['usage', async () => (await import('./usage.js')).registerUsage],
  ['report', async () => (await import('./report.js')).registerReport],
];

/** The root action (no subcommand opens the TUI); registered last. */
export const ROOT: () => Promise<Register> = async () => (await import('./tui.js')).registerTui;
