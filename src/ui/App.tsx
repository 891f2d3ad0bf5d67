import { useCallback, useMemo, useRef, useState } from 'react';
import { Box, useApp, useInput } from 'ink';
import type { FleetActions } from '../core/fleet/actions.js';
import type { FleetStore } from '../core/fleet/store.js';
import type { FleetServices } from '../core/fleet/types.js';
import { BottomBar } from './BottomBar.js';
import { Body } from './Body.js';
import { FleetContext, type FleetContextValue } from './context.js';
import { runCommand, type AppExit } from './commands/run.js';
import { useTerminalSize, type TermSize } from './use-store.js';
import { buildKeymap, type Keymap } from '../keymap/keymap.js';
import { keyName } from './keys/key-name.js';
import { CHROME_LINES, computeLayout } from './layout.js';
import { initialUi, scopeOf, uiReducer, type UiEvent, type UiState } from './state.js';
import { TopBar } from './TopBar.js';

export interface AppProps {
  services: FleetServices;
  store: FleetStore;
  actions: FleetActions;
  keymap?: Keymap;
  /** Fixed terminal size (tests); otherwise the real one, following resizes. */
  size?: TermSize;
  initial?: UiState;
  onExit?: (how: AppExit) => void;
}

/** The whole TUI: top bar, grid (or zoom, or a panel), bottom bar; keys from the keymap. */
export function App({ services, store, actions, keymap: km, size, initial, onExit }: AppProps) {
  const { exit } = useApp();
  const term = useTerminalSize(size);
  const keymap = useMemo(() => km ?? buildKeymap(services.config.keys), [km, services.config.keys]);
  const fleet = useMemo<FleetContextValue>(
    () => ({ services, store, actions, keymap }),
    [services, store, actions, keymap],
  );
  const [ui, setUi] = useState(initial ?? initialUi);
  // Keys that arrive in one chunk (paste, tmux send-keys) are handled before React re-renders:
  // the handler reads and advances this ref so each key sees the state the previous one left.
  const current = useRef(ui);
  const dispatch = useCallback((e: UiEvent) => {
    current.current = uiReducer(current.current, e);
    setUi(current.current);
  }, []);
  const ids = store.ids();
  const width = term.cols;
  const bodyHeight = Math.max(1, term.rows - CHROME_LINES);
  const layout = computeLayout(ids.length, width, bodyHeight);
  const scope = scopeOf(ui);
  const cols = layout?.cols ?? 1;

  useInput((input, key) => {
    const now = current.current;
    const name = keyName(input, key);
    const currentScope = scopeOf(now);
    const cmd = name ? keymap.lookup(currentScope, name) : undefined;
    if (cmd) {
      const ids = store.ids();
      runCommand(cmd, name!, {
        fleet,
        ui: now,
        dispatch,
        ids,
        focusedId: ids[now.focus] ?? ids[0]!,
        cols,
        page: Math.max(1, bodyHeight - 4),
        exit: (how) => {
          onExit?.(how);
          exit(how);
        },
      });
      return;
    }
    if (currentScope === 'input') {
      if (key.backspace || key.delete) dispatch({ type: 'erase' });
      else if (!key.ctrl && !key.meta && input && !key.escape && !key.return)
        dispatch({ type: 'type', text: input });
    }
  });

  return (
    <FleetContext.Provider value={fleet}>
      <Box width={width} height={term.rows - 1} flexDirection="column">
        <TopBar width={width} />
        <Body ui={ui} ids={ids} layout={layout} width={width} height={bodyHeight} term={term} />
        <BottomBar
          width={width}
          scope={scope}
          prompt={ui.prompt}
          focusedId={ids[ui.focus] ?? ids[0]!}
        />
      </Box>
    </FleetContext.Provider>
  );
}
