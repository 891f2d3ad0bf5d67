import type { CommandId, Scope } from '../keymap/commands.js';

/** What covers the grid, if anything. Input and confirm prompts live in the bottom line. */
type Panel =
  'none' | 'zoom' | 'help' | 'log' | 'migrations' | 'picker' | 'land' | 'outside' | 'report';

export type Prompt =
  | { kind: 'input'; purpose: 'send' | 'migration'; id: string; text: string }
  | { kind: 'confirm'; then: Confirmed; id: string; question: string };

/** What a `y` runs: a dangerous command held back for confirmation, or one of the prompts' own. */
type Confirmed =
  | { type: 'command'; command: CommandId; key: string }
  | { type: 'quit' }
  | { type: 'role-restart' };

export interface UiState {
  focus: number;
  panel: Panel;
  /** Scroll offset (lines from the newest) in zoom; selection/scroll in lists. */
  scroll: number;
  cursor: number;
  prompt: Prompt | null;
}

export const initialUi: UiState = { focus: 0, panel: 'none', scroll: 0, cursor: 0, prompt: null };

export type UiEvent =
  | { type: 'focus'; index: number }
  | { type: 'panel'; panel: Panel; cursor?: number }
  | { type: 'scroll'; by: number; max: number }
  | { type: 'scrollTo'; value: number }
  | { type: 'cursor'; by: number; max: number }
  | { type: 'prompt'; prompt: Prompt | null }
  | { type: 'type'; text: string }
  | { type: 'erase' };

const clamp = (v: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, v));

export function uiReducer(s: UiState, e: UiEvent): UiState {
  switch (e.type) {
    case 'focus':
      return { ...s, focus: e.index, scroll: 0 };
    case 'panel':
      return { ...s, panel: e.panel, scroll: 0, cursor: e.cursor ?? 0 };
    case 'scroll':
      return { ...s, scroll: clamp(s.scroll + e.by, 0, Math.max(0, e.max)) };
    case 'scrollTo':
      return { ...s, scroll: e.value };
    case 'cursor':
      return { ...s, cursor: clamp(s.cursor + e.by, 0, Math.max(0, e.max)) };
    case 'prompt':
      return { ...s, prompt: e.prompt };
    case 'type':
      return s.prompt?.kind === 'input'
        ? { ...s, prompt: { ...s.prompt, text: s.prompt.text + e.text } }
        : s;
    case 'erase':
      return s.prompt?.kind === 'input'
        ? { ...s, prompt: { ...s.prompt, text: [...s.prompt.text].slice(0, -1).join('') } }
        : s;
  }
}

/** Which part of the keymap applies now. */
export function scopeOf(s: UiState): Scope {
  if (s.prompt) return s.prompt.kind;
  return s.panel === 'none' ? 'grid' : s.panel;
}
