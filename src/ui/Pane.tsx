import { memo, useEffect } from 'react';
import { Box } from 'ink';
import { useFleet } from './context.js';
import { PaneBody } from './PaneBody.js';
import { useInstance } from './use-store.js';
import { HeaderLine, RoleLine } from './PaneHeader.js';

export interface PaneProps {
  id: string;
  width: number;
  height: number;
  focused: boolean;
  /** Jump key shown in the header ("1"…"9", "0", or blank). */
  number: string;
}

/** One instance: a bordered box with its header and the tail of its agent's output. */
export const Pane = memo(function Pane({ id, width, height, focused, number }: PaneProps) {
  const { services } = useFleet();
  const snap = useInstance(id);
  const session = services.session(id);
  const inner = Math.max(1, width - 2);
  const headerLines = height >= 8 ? 2 : 1;
  const outputLines = Math.max(0, height - 2 - headerLines);
  useEffect(() => {
    session?.resize(inner, Math.max(1, outputLines));
  }, [session, inner, outputLines]);
  // No overflow clipping: header lines truncate themselves and the output is pre-fitted, so
  // nothing can spill; Ink's clipping would re-slice every line of every frame.
  return (
    <Box
      width={width}
      height={height}
      flexDirection="column"
      borderStyle={focused ? 'double' : 'round'}
      borderColor={focused ? 'cyan' : 'gray'}
    >
      <HeaderLine snap={snap} number={number} />
      {headerLines > 1 ? <RoleLine snap={snap} /> : null}
      <PaneBody id={id} session={session} width={inner} height={outputLines} />
    </Box>
  );
});
