import type { AgentSpec } from './schema.js';

/**
 * Agent kinds that exist without being declared. Interactive agents run in tmux; the role
 * prompt is handed over as the agents' own "extra system prompt" / first message.
 */
export const BUILTIN_AGENTS: Record<string, AgentSpec> = {
  claude: {
    command: 'claude',
    args: ['--append-system-prompt', '{rolePrompt}'],
    backend: 'tmux',
  },
  codex: {
    command: 'codex',
    args: ['{rolePrompt}'],
    backend: 'tmux',
  },
};
