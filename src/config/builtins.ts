import type { AgentSpec } from './schema.js';

/**
 * Agent kinds that exist without being declared. Interactive agents run in tmux; the role
 * prompt is handed over as the agents' own extra system prompt: Claude's flag, and for Codex
 * (whose template places no `{rolePrompt}`) its developer instructions in the worktree's
 * `.codex/config.toml` — so a fresh start runs no turn (sessions/status/codex-project.ts).
 * Arguments a person configures pass verbatim.
 */
export const BUILTIN_AGENTS: Record<string, AgentSpec> = {
  claude: {
    command: 'claude',
    args: ['--append-system-prompt', '{rolePrompt}'],
    backend: 'tmux',
  },
  codex: {
    command: 'codex',
    args: [],
    backend: 'tmux',
  },
};
