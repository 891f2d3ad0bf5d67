import path from 'node:path';
import { AgentEventParser } from '../core/sessions/parsers/events.js';
import { claudeEvents, codexEvents, type SimTool } from './events.js';
import type { SimOptions } from './options.js';

/**
 * Where the simulated agent's events go: JSON lines, as the real agent writes them when piped,
 * or rendered text (through the same parser the panes use) on a terminal and for `plain`.
 */
export class SimOutput {
  private readonly renderer: AgentEventParser;
  /** The reader went away (stdout failed): nothing more is written, and the run winds down. */
  closed = false;

  constructor(
    private readonly o: Pick<SimOptions, 'kind' | 'format' | 'cwd'>,
    private readonly sessionId: string,
  ) {
    this.renderer = new AgentEventParser(o.cwd);
  }

  readonly write = (s: string | Uint8Array): void => {
    if (!this.closed) process.stdout.write(s);
  };

  /** Stop writing; what stdout still holds for a reader that is gone is dropped. */
  close(): void {
    this.closed = true;
    process.stdout.destroy();
  }

  emit(ev: Record<string, unknown>): void {
    if (this.o.format === 'json' && this.o.kind !== 'plain') this.write(`${JSON.stringify(ev)}\n`);
    else this.renderer.feed(JSON.stringify(ev), (line) => this.write(`${line}\n`));
  }

  /** A message from the agent to the person. */
  say(text: string): void {
    this.emit(
      this.o.kind === 'codex' ? codexEvents.message(text) : claudeEvents.text(this.sessionId, text),
    );
  }

  /** A tool call and its result, in the imitated agent's own shape. */
  callTool(id: string, tool: SimTool): void {
    if (this.o.kind !== 'codex') {
      this.emit(claudeEvents.toolUse(this.sessionId, id, tool));
      this.emit(claudeEvents.toolResult(this.sessionId, id, tool));
    } else if (tool.name === 'Edit' || tool.name === 'Write') {
      const kind = tool.name === 'Write' ? 'add' : 'update';
      this.emit(codexEvents.fileChange(tool.input.file_path ?? '?', kind));
    } else {
      const command =
        tool.input.command ?? `cat ${path.relative(this.o.cwd, tool.input.file_path ?? '.')}`;
      for (const ev of codexEvents.command(command, tool.result, tool.isError ? 1 : 0))
        this.emit(ev);
    }
  }
}
