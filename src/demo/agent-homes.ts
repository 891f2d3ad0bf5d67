import path from 'node:path';

/**
 * The demo's own agent directories, inside its sandbox: the simulated agents write their
 * transcripts there (Claude Code's `projects/…`, Codex's `sessions/…`), and the demo's TUI reads
 * them from there — never the person's `~/.claude` or `~/.codex`.
 */
export function demoAgentHomes(sandboxDir: string): {
  CLAUDE_CONFIG_DIR: string;
  CODEX_HOME: string;
} {
  return {
    CLAUDE_CONFIG_DIR: path.join(sandboxDir, 'agent-homes', 'claude'),
    CODEX_HOME: path.join(sandboxDir, 'agent-homes', 'codex'),
  };
}
