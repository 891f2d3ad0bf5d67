import { sgr } from '../output/ansi.js';
import { toolSummary } from './tool-summary.js';
import {
  emitText,
  firstLine,
  isObject,
  num,
  str,
  type Emit,
  type JsonObject,
  type UsageTotals,
} from './types.js';

/**
 * Claude Code `-p --output-format stream-json --verbose`: one JSON object per line
 * (system/init, assistant, user tool results, result). Unknown types render nothing.
 */
export const CLAUDE_TYPES = new Set(['system', 'assistant', 'user', 'result', 'stream_event']);

function toolResultText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((c) => (isObject(c) ? (str(c.text) ?? '') : ''))
      .filter(Boolean)
      .join('\n');
  }
  return '';
}

export function renderClaude(
  ev: JsonObject,
  totals: UsageTotals,
  cwd: { value: string | null },
  emit: Emit,
): void {
  const sid = str(ev.session_id);
  if (sid) totals.sessionId = sid;
  switch (ev.type) {
    case 'system': {
      if (ev.subtype !== 'init') return;
      cwd.value = str(ev.cwd) ?? cwd.value;
      emit(sgr.dim(`● claude session ${sid ?? '?'} · ${str(ev.model) ?? 'model ?'}`));
      return;
    }
    case 'assistant': {
      const content = isObject(ev.message) ? ev.message.content : undefined;
      if (!Array.isArray(content)) return;
      for (const block of content) {
        if (!isObject(block)) continue;
        if (block.type === 'text' && typeof block.text === 'string') emitText(block.text, emit);
        else if (block.type === 'tool_use') {
          emit(sgr.cyan(`⏺ ${toolSummary(str(block.name) ?? 'tool', block.input, cwd.value)}`));
        } else if (block.type === 'thinking' && typeof block.thinking === 'string') {
          emit(sgr.dim(`✻ ${firstLine(block.thinking)}`));
        }
      }
      return;
    }
    case 'user': {
      const content = isObject(ev.message) ? ev.message.content : undefined;
      if (!Array.isArray(content)) return;
      for (const block of content) {
        if (!isObject(block) || block.type !== 'tool_result') continue;
        const text = firstLine(toolResultText(block.content).trim() || '(no output)');
        emit(block.is_error === true ? sgr.red(`  ⎿ ${text}`) : sgr.dim(`  ⎿ ${text}`));
      }
      return;
    }
    case 'result': {
      const cost = typeof ev.total_cost_usd === 'number' ? ev.total_cost_usd : null;
      if (cost !== null) totals.costUsd = (totals.costUsd ?? 0) + cost;
      const u = isObject(ev.usage) ? ev.usage : {};
      totals.inputTokens +=
        num(u.input_tokens) + num(u.cache_creation_input_tokens) + num(u.cache_read_input_tokens);
      totals.outputTokens += num(u.output_tokens);
      const secs = (num(ev.duration_ms) / 1000).toFixed(1);
      const facts = `${secs}s · ${num(ev.num_turns)} turns${cost !== null ? ` · $${cost.toFixed(4)}` : ''}`;
      if (ev.is_error === true || (typeof ev.subtype === 'string' && ev.subtype !== 'success')) {
        emit(sgr.red(`✗ ${str(ev.subtype) ?? 'error'} · ${facts}`));
      } else {
        emit(sgr.green(`✓ done · ${facts}`));
      }
      return;
    }
    default:
      return;
  }
}
