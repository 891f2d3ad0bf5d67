import type { Command } from 'commander';
import { loadFleetConfig as loadRunConfig } from '../app/fleet-config.js';
import type { ResolvedConfig } from '../config/types.js';

/** Options every subcommand inherits from the program. */
export interface GlobalOptions {
  config?: string;
  debug?: boolean;
}

export function globals(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/** Load the fleet config the way every subcommand does (`--config` or walk up from cwd). */
export function loadFleetConfig(cmd: Command): Promise<ResolvedConfig> {
  return loadRunConfig({ configPath: globals(cmd).config });
}
