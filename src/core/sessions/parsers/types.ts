/** What the JSON-event parsers learn besides the lines they render. */
export interface UsageTotals {
  costUsd: number | null;
  inputTokens: number;
  outputTokens: number;
  sessionId: string | null;
}

/** A parser's answer for one JSON event: lines to show (possibly none). */
export type Emit = (line: string) => void;

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null;
}

export function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/** First line of a possibly long text, shortened for a one-line summary. */
export function firstLine(text: string, max = 200): string {
  const nl = text.indexOf('\n');
  const line = nl < 0 ? text : `${text.slice(0, nl)} …`;
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Emit every line of a multi-line text (assistant messages keep their shape). */
export function emitText(
  text: string,
  emit: Emit,
  decorate: (s: string) => string = (s) => s,
): void {
  for (const line of text.split(/\r?\n/)) emit(decorate(line));
}
