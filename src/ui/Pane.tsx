import { memo, useEffect } from 'react';
import { Box, Text } from 'ink';
import { useFleet } from './context.js';
import { useInstance, useOutputVersion } from './hooks.js';
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
  useOutputVersion(session);
  const inner = Math.max(1, width - 2);
  const headerLines = height >= 8 ? 2 : 1;
  const outputLines = Math.max(0, height - 2 - headerLines);
  useEffect(() => {
    session?.resize(inner, Math.max(1, outputLines));
  }, [session, inner, outputLines]);
  const lines = outputLines > 0 && session ? session.tail(outputLines) : [];
  return (
    <Box
      width={width}
      height={height}
      flexDirection="column"
      borderStyle={focused ? 'double' : 'round'}
      borderColor={focused ? 'cyan' : 'gray'}
      overflow="hidden"
    >
      <HeaderLine snap={snap} number={number} />
      {headerLines > 1 ? <RoleLine snap={snap} /> : null}
      <Box flexDirection="column" height={outputLines} overflow="hidden">
        {lines.map((line, k) => (
          <Text key={k} wrap="truncate-end">
            {line}
          </Text>
        ))}
      </Box>
    </Box>
  );
});
