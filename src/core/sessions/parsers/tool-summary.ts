import path from 'node:path';
import { firstLine, isObject, str } from './types.js';

/** The argument that best names what a tool call does, e.g. `Edit src/app.ts`, `Bash npm test`. */
const KEY_ARG: Record<string, string[]> = {
  Read: ['file_path'],
  Write: ['file_path'],
  Edit: ['file_path'],
  MultiEdit: ['file_path'],
  NotebookEdit: ['notebook_path'],
  Bash: ['command'],
  BashOutput: ['bash_id'],
  Grep: ['pattern'],
  Glob: ['pattern'],
  WebFetch: ['url'],
  WebSearch: ['query'],
  Task: ['description'],
};

/** A path inside the worktree is shown relative to it. */
export function relative(p: string, cwd: string | null): string {
  if (!cwd || !path.isAbsolute(p)) return p;
  const rel = path.relative(cwd, p);
  return rel && !rel.startsWith('..') ? rel : p;
}

export function toolSummary(name: string, input: unknown, cwd: string | null): string {
  if (!isObject(input)) return name;
  for (const key of KEY_ARG[name] ?? ['file_path', 'path', 'command', 'pattern', 'url', 'query']) {
    const v = str(input[key]);
    if (v) return `${name} ${firstLine(key.endsWith('path') ? relative(v, cwd) : v, 120)}`;
  }
  if (name === 'TodoWrite' && Array.isArray(input.todos))
    return `TodoWrite ${input.todos.length} todos`;
  return name;
}
