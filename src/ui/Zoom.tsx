import { useEffect } from 'react';
import { Box } from 'ink';
import { PaneContentText, Text } from './text.js';
import { useFleet } from './context.js';
import { fitLines } from './fit.js';
import { useInstance, useOutputVersion } from './use-store.js';
import { HeaderLine, RoleLine } from './PaneHeader.js';

/** The focused pane over the whole body, with scrollback (`scroll` lines up from the newest). */
export function Zoom({
  id,
  width,
  height,
  scroll,
}: {
  id: string;
  width: number;
  height: number;
  scroll: number;
}) {
  const { services } = useFleet();
  const snap = useInstance(id);
  const session = services.session(id);
  useOutputVersion(session);
  // The agent's window takes the zoom's size (the grid's Pane gives it back on return); the
  // scroll line is not counted, so scrolling never resizes the agent.
  const inner = Math.max(1, width - 2);
  useEffect(() => {
    session?.resize(inner, Math.max(1, height - 4));
  }, [session, inner, height]);
  const visible = Math.max(0, height - 4 - (scroll > 0 ? 1 : 0));
  const all = session ? session.tail(visible + scroll) : [];
  const lines = all.slice(0, visible);
  return (
    <Box
      width={width}
      height={height}
      flexDirection="column"
      borderStyle="double"
      borderColor="cyan"
      overflow="hidden"
    >
      <HeaderLine snap={snap} number="" />
      <RoleLine snap={snap} />
      {scroll > 0 ? (
        <Text color="yellow" wrap="truncate-end">
          ↑ {scroll} lines back · G follows the newest output
        </Text>
      ) : null}
      <Box flexDirection="column" height={visible} overflow="hidden">
        {/* One text, line for line: an empty line keeps its row (a Text per line dropped them). */}
        <PaneContentText>{fitLines(lines, inner)}</PaneContentText>
      </Box>
    </Box>
  );
}
