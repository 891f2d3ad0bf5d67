import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { Box, useInput, type DOMElement } from 'ink';
import { StageContext } from './context.js';
import type { TerminalStage } from './stage.js';

/**
 * The TUI drawn through the output stage: pane bodies by the stage, the rest made by the stage
 * from Ink's laid-out tree. The box is absolute so Ink's own output (which the stage no longer
 * uses) is zero rows high and costs nothing; keys are marked so their frame goes first.
 */
export function StageRoot({ stage, children }: { stage: TerminalStage; children: ReactNode }) {
  const ref = useRef<DOMElement>(null);
  useLayoutEffect(() => {
    const root = ref.current?.parentNode;
    return root ? stage.attach(root) : undefined;
  }, [stage]);
  useInput(() => stage.keyPressed());
  return (
    <StageContext.Provider value={stage}>
      <Box ref={ref} position="absolute" flexDirection="column">
        {children}
      </Box>
    </StageContext.Provider>
  );
}
