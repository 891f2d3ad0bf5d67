import type { ResolvedConfig } from '../../config/types.js';

/** The tmux session holding the fleet's windows (its own file: `status` needs only the name). */
export function defaultTmuxSession(config: ResolvedConfig): string {
  const base = config.rootDir.split(/[\\/]/).filter(Boolean).pop() ?? 'repo';
  return config.sessions.tmuxSession ?? `fleet-${base.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}
