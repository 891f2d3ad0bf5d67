import { useFleet } from './context.js';
import { Grid } from './Grid.js';
import { useFacts } from './use-store.js';
import type { TermSize } from './use-store.js';
import type { GridLayout } from './layout.js';
import { Help } from './overlays/Help.js';
import { LandOverlay } from './overlays/LandOverlay.js';
import { Log } from './overlays/Log.js';
import { Migrations } from './overlays/Migrations.js';
import { Outside } from './overlays/Outside.js';
import { Report } from './overlays/Report.js';
import { RolePicker } from './overlays/RolePicker.js';
import type { UiState } from './state.js';
import { Zoom } from './Zoom.js';

export interface BodyProps {
  ui: UiState;
  ids: string[];
  layout: GridLayout | null;
  width: number;
  height: number;
  term: TermSize;
}

/** The area between the bars: the grid, the zoomed pane, or one panel. */
export function Body({ ui, ids, layout, width, height, term }: BodyProps) {
  const { store, keymap } = useFleet();
  const facts = useFacts();
  const focusedId = ids[ui.focus] ?? ids[0]!;
  const box = { width, height };
  switch (ui.panel) {
    case 'zoom':
      return <Zoom id={focusedId} {...box} scroll={ui.scroll} />;
    case 'help':
      return <Help keymap={keymap} {...box} scroll={ui.scroll} />;
    case 'log':
      return <Log log={facts.log} {...box} scroll={ui.scroll} />;
    case 'migrations':
      return (
        <Migrations report={facts.migrations} focusedId={focusedId} cursor={ui.cursor} {...box} />
      );
    case 'picker':
      return (
        <RolePicker
          id={focusedId}
          roles={store.roles()}
          current={store.instance(focusedId).instance.role}
          cursor={ui.cursor}
          {...box}
        />
      );
    case 'land':
      return <LandOverlay run={facts.land} ids={ids} {...box} />;
    case 'outside':
      return <Outside {...box} scroll={ui.scroll} />;
    case 'report':
      return <Report insight={facts.insight} {...box} />;
    case 'none':
      return (
        <Grid
          ids={ids}
          layout={layout}
          width={width}
          height={height}
          focus={ui.focus}
          term={term}
        />
      );
  }
}
