import { sgr } from '../output/ansi.js';
import { relative } from './tool-summary.js';
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

/** `codex exec --json` event types (thread/turn/item lifecycle plus `error`). */
export const CODEX_TYPES = new Set([
  'thread.started',
  'turn.started',
  'turn.completed',
  'turn.failed',
  'item.started',
  'item.updated',
  'item.completed',
  'error',
]);

function changeLines(item: JsonObject, cwd: string | null, emit: Emit): void {
  const changes = Array.isArray(item.changes) ? item.changes : [];
  for (const c of changes) {
    if (!isObject(c)) continue;
    const kind = str(c.kind);
    const verb = kind === 'add' ? 'Write' : kind === 'delete' ? 'Delete' : 'Edit';
    emit(sgr.cyan(`⏺ ${verb} ${relative(str(c.path) ?? '?', cwd)}`));
  }
}

function renderItem(phase: string, item: JsonObject, cwd: string | null, emit: Emit): void {
  switch (item.type) {
    case 'agent_message':
      if (phase === 'item.completed') emitText(str(item.text) ?? '', emit);
      return;
    case 'reasoning':
      if (phase === 'item.completed') emit(sgr.dim(`✻ ${firstLine(str(item.text) ?? '')}`));
      return;
    case 'command_execution': {
      const cmd = firstLine(str(item.command) ?? '?', 120);
      if (phase === 'item.started') emit(sgr.cyan(`⏺ Bash ${cmd}`));
      if (phase !== 'item.completed') return;
      const out = firstLine((str(item.aggregated_output) ?? '').trim() || '(no output)');
      const code = typeof item.exit_code === 'number' ? item.exit_code : null;
      const failed = (code !== null && code !== 0) || item.status === 'failed';
      emit(failed ? sgr.red(`  ⎿ exit ${code ?? '?'}: ${out}`) : sgr.dim(`  ⎿ ${out}`));
      return;
    }
    case 'file_change':
      if (phase === 'item.completed') changeLines(item, cwd, emit);
      return;
    case 'mcp_tool_call':
      if (phase === 'item.started')
        emit(sgr.cyan(`⏺ ${str(item.server) ?? 'mcp'}.${str(item.tool) ?? '?'}`));
      return;
    case 'web_search':
      if (phase === 'item.started')
        emit(sgr.cyan(`⏺ WebSearch ${firstLine(str(item.query) ?? '')}`));
      return;
    case 'error':
      emit(sgr.red(`✗ ${firstLine(str(item.message) ?? 'error')}`));
      return;
    default:
      return;
  }
}

export function renderCodex(
  ev: JsonObject,
  totals: UsageTotals,
  cwd: string | null,
  emit: Emit,
): void {
  const type = str(ev.type) ?? '';
  if (type === 'thread.started') {
    totals.sessionId = str(ev.thread_id) ?? totals.sessionId;
    emit(sgr.dim(`● codex thread ${totals.sessionId ?? '?'}`));
  } else if (type === 'turn.completed') {
    const u = isObject(ev.usage) ? ev.usage : {};
    totals.inputTokens += num(u.input_tokens);
    totals.outputTokens += num(u.output_tokens);
    emit(sgr.green(`✓ turn done · ${num(u.input_tokens)} in · ${num(u.output_tokens)} out`));
  } else if (type === 'turn.failed') {
    const msg = isObject(ev.error) ? str(ev.error.message) : null;
    emit(sgr.red(`✗ turn failed: ${firstLine(msg ?? 'unknown error')}`));
  } else if (type === 'error') {
    emit(sgr.red(`✗ ${firstLine(str(ev.message) ?? 'error')}`));
  } else if (type.startsWith('item.') && isObject(ev.item)) {
    renderItem(type, ev.item, cwd, emit);
  }
}
