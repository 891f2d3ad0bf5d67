import type { Dispatch } from 'react';
import type { FleetContextValue } from '../context.js';
import type { UiEvent, UiState } from '../state.js';

/** How the App leaves: quit, or hand the terminal to `tmux attach` and come back. */
export type AppExit = { kind: 'quit' } | { kind: 'attach'; id: string; ui: UiState };

/** What deciding "disabled now?" may read: cheap enough for every frame of the bottom bar. */
export type DisabledContext = Pick<CommandContext, 'fleet' | 'focusedId'>;

/** Everything a command handler may read or do. */
export interface CommandContext {
  fleet: FleetContextValue;
  ui: UiState;
  dispatch: Dispatch<UiEvent>;
  /** Instance ids in grid order, and the focused one. */
  ids: readonly string[];
  focusedId: string;
  /** Columns of the grid (1 when it does not fit). */
  cols: number;
  /** Lines a page of the current panel holds. */
  page: number;
  exit: (how: AppExit) => void;
}
