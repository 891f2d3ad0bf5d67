import { createContext, useContext } from 'react';
import type { TerminalStage } from './stage.js';

/** The output stage pane bodies draw through; null when Ink draws everything (tests). */
export const StageContext = createContext<TerminalStage | null>(null);

export function useStage(): TerminalStage | null {
  return useContext(StageContext);
}
