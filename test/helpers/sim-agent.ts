import { BIN } from './git-fixture.js';

/**
 * An agent kind (config `agents` entry) that runs the simulated agent, `fleet-tui sim-agent`:
 * short steps, quiet for a minute between turns, so a test drives each turn itself.
 */
export function simAgentKind(
  kind: 'claude' | 'codex',
  backend: 'tmux' | 'exec',
  extraArgs: string[] = [],
) {
  return {
    command: process.execPath,
    args: [
      BIN,
      'sim-agent',
      '--instance',
      '{instance}',
      '--kind',
      kind,
      '--pace',
      '10',
      '--idle',
      '60000',
      ...extraArgs,
    ],
    backend,
  };
}
