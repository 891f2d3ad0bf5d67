/**
 * Event builders for the simulated agent, shaped exactly as the real agents document them:
 * Claude Code stream-json and `codex exec --json`. The parsers read what these write.
 */
type Ev = Record<string, unknown>;

export interface SimTool {
  name: 'Read' | 'Edit' | 'Write' | 'Bash' | 'Grep';
  input: Record<string, string>;
  result: string;
  isError?: boolean;
}

export const claudeEvents = {
  init: (sessionId: string, cwd: string): Ev => ({
    type: 'system',
    subtype: 'init',
    session_id: sessionId,
    cwd,
    model: 'claude-sim (simulated)',
    tools: ['Read', 'Edit', 'Write', 'Bash', 'Grep'],
  }),
  text: (sessionId: string, text: string): Ev => ({
    type: 'assistant',
    message: {
      content: [{ type: 'text', text }],
      usage: { input_tokens: 12, output_tokens: text.length },
    },
    session_id: sessionId,
  }),
  toolUse: (sessionId: string, id: string, tool: SimTool): Ev => ({
    type: 'assistant',
    message: { content: [{ type: 'tool_use', id, name: tool.name, input: tool.input }] },
    session_id: sessionId,
  }),
  toolResult: (sessionId: string, id: string, tool: SimTool): Ev => ({
    type: 'user',
    message: {
      content: [
        {
          type: 'tool_result',
          tool_use_id: id,
          content: tool.result,
          is_error: tool.isError ?? false,
        },
      ],
    },
    session_id: sessionId,
  }),
  result: (
    sessionId: string,
    turns: number,
    ms: number,
    cost: number,
    inTok: number,
    outTok: number,
  ): Ev => ({
    type: 'result',
    subtype: 'success',
    is_error: false,
    duration_ms: ms,
    num_turns: turns,
    result: 'done',
    session_id: sessionId,
    total_cost_usd: cost,
    usage: {
      input_tokens: inTok,
      output_tokens: outTok,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 0,
    },
  }),
};

let itemSeq = 0;
const nextItem = () => `item_${++itemSeq}`;

export const codexEvents = {
  threadStarted: (threadId: string): Ev => ({ type: 'thread.started', thread_id: threadId }),
  turnStarted: (): Ev => ({ type: 'turn.started' }),
  turnCompleted: (inTok: number, outTok: number): Ev => ({
    type: 'turn.completed',
    usage: { input_tokens: inTok, cached_input_tokens: 0, output_tokens: outTok },
  }),
  message: (text: string): Ev => ({
    type: 'item.completed',
    item: { id: nextItem(), type: 'agent_message', text },
  }),
  reasoning: (text: string): Ev => ({
    type: 'item.completed',
    item: { id: nextItem(), type: 'reasoning', text },
  }),
  /** A command: started, then completed. */
  command: (command: string, output: string, exitCode: number): Ev[] => {
    const id = nextItem();
    return [
      {
        type: 'item.started',
        item: {
          id,
          type: 'command_execution',
          command,
          aggregated_output: '',
          exit_code: null,
          status: 'in_progress',
        },
      },
      {
        type: 'item.completed',
        item: {
          id,
          type: 'command_execution',
          command,
          aggregated_output: output,
          exit_code: exitCode,
          status: exitCode === 0 ? 'completed' : 'failed',
        },
      },
    ];
  },
  fileChange: (path: string, kind: 'add' | 'update'): Ev => ({
    type: 'item.completed',
    item: { id: nextItem(), type: 'file_change', changes: [{ path, kind }], status: 'completed' },
  }),
};
