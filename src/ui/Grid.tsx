import { Box } from 'ink';
import { Text } from './text.js';
import type { GridLayout } from './layout.js';
import { minimumSize } from './layout.js';
import { useFleet } from './context.js';
import { Pane } from './Pane.js';

export interface GridProps {
  ids: string[];
  layout: GridLayout | null;
  width: number;
  height: number;
  focus: number;
  /** The whole terminal, for the too-small message. */
  term: { cols: number; rows: number };
}

/** The panes, row by row; or a clear message when the terminal cannot hold them. */
export function Grid({ ids, layout, width, height, focus, term }: GridProps) {
  const { keymap } = useFleet();
  // Pane k is reached by the k-th jump key (1–9 then 0 by default; the person may rebind them).
  const jumpKeys = keymap.byId('focus.jump').keys;
  if (!layout) {
    const min = minimumSize(ids.length, term.cols);
    return (
      <Box
        width={width}
        height={height}
        flexDirection="column"
        justifyContent="center"
        alignItems="center"
      >
        <Text color="yellow" wrap="truncate-end">
          Terminal too small for {ids.length} panes
        </Text>
        <Text wrap="truncate-end">
          need at least {min.cols}×{min.rows}, have {term.cols}×{term.rows}
        </Text>
        <Text dimColor wrap="truncate-end">
          enlarge the window · {keymap.hint('pane.zoom')} zooms the focused pane
        </Text>
      </Box>
    );
  }
  const rows = Array.from({ length: layout.rows }, (_, r) =>
    ids.slice(r * layout.cols, (r + 1) * layout.cols),
  );
  return (
    <Box width={width} height={height} flexDirection="column">
      {rows.map((row, r) => (
        <Box key={r} height={layout.rowHeights[r]} flexDirection="row">
          {row.map((id, c) => {
            const k = r * layout.cols + c;
            return (
              <Pane
                key={id}
                id={id}
                width={layout.colWidths[c]!}
                height={layout.rowHeights[r]!}
                focused={k === focus}
                number={jumpKeys[k] ?? ' '}
              />
            );
          })}
        </Box>
      ))}
    </Box>
  );
}
