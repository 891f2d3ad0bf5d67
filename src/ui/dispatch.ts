import type { Dispatch } from 'react';
import type { FleetContextValue } from './context.js';
import type { Direction } from './layout.js';
import { moveFocus, ZOOM_SCROLLBACK } from './layout.js';
import { roleIds } from './overlays/RolePicker.js';
import type { UiEvent, UiState } from './state.js';

/** How the App leaves: quit, or hand the terminal to `tmux attach` and come back. */
export type AppExit = { kind: 'quit' } | { kind: 'attach'; id: string; ui: UiState };

export interface CommandContext {
  fleet: FleetContextValue;
  ui: UiState;
  dispatch: Dispatch<UiEvent>;
  /** Columns of the grid (1 when it does not fit). */
  cols: number;
  /** Lines a page of the current panel holds. */
  page: number;
  exit: (how: AppExit) => void;
}

const DIRS: Record<string, Direction> = {
  'focus.left': 'left',
  'focus.right': 'right',
  'focus.up': 'up',
  'focus.down': 'down',
};

function fire(p: Promise<unknown>): void {
  // Actions never reject (failures become log lines); this only satisfies no-floating-promises.
  p.catch(() => undefined);
}

/** Run the command `id` (bound to `key`) in the current UI state. */
export function runCommand(id: string, key: string, c: CommandContext): void {
  const { fleet, ui, dispatch } = c;
  const ids = fleet.store.ids();
  const n = ids.length;
  const focusedId = ids[ui.focus] ?? ids[0]!;
  const dir = DIRS[id];
  if (dir) return dispatch({ type: 'focus', index: moveFocus(ui.focus, dir, n, c.cols) });
  switch (id) {
    case 'focus.next':
      return dispatch({ type: 'focus', index: (ui.focus + 1) % n });
    case 'focus.prev':
      return dispatch({ type: 'focus', index: (ui.focus - 1 + n) % n });
    case 'focus.jump': {
      const k = key === '0' ? 9 : Number(key) - 1;
      if (k >= 0 && k < n) dispatch({ type: 'focus', index: k });
      return;
    }
    case 'pane.zoom':
      return dispatch({ type: 'panel', panel: 'zoom' });
    case 'zoom.close':
    case 'panel.close':
      return dispatch({ type: 'panel', panel: 'none' });
    case 'scroll.up':
    case 'scroll.down':
    case 'scroll.pageUp':
    case 'scroll.pageDown': {
      const step =
        id === 'scroll.up'
          ? 1
          : id === 'scroll.down'
            ? -1
            : id === 'scroll.pageUp'
              ? c.page
              : -c.page;
      const held = fleet.services.session(focusedId)?.tail(ZOOM_SCROLLBACK).length ?? 0;
      return dispatch({ type: 'scroll', by: step, max: held - c.page });
    }
    case 'scroll.end':
      return dispatch({ type: 'scrollTo', value: 0 });
    case 'agent.attach': {
      const session = fleet.services.session(focusedId);
      if (!session?.attachCommand()) {
        fleet.store.log(
          'warn',
          `${focusedId}: attach needs an agent in tmux (this one runs headless)`,
        );
        return;
      }
      return c.exit({ kind: 'attach', id: focusedId, ui });
    }
    case 'agent.input':
      return dispatch({
        type: 'prompt',
        prompt: { kind: 'input', purpose: 'send', id: focusedId, text: '' },
      });
    case 'agent.restart':
      return dispatch({
        type: 'prompt',
        prompt: {
          kind: 'confirm',
          action: 'restart',
          id: focusedId,
          question: `Restart the agent of ${focusedId}?`,
        },
      });
    case 'role.pick': {
      const current = fleet.store.instance(focusedId).instance.role;
      return dispatch({
        type: 'panel',
        panel: 'picker',
        cursor: Math.max(0, roleIds(fleet.store.roles()).indexOf(current)),
      });
    }
    case 'land.all':
      dispatch({ type: 'panel', panel: 'land' });
      return fire(fleet.actions.land());
    case 'land.one':
      return fire(fleet.actions.land(focusedId));
    case 'land.show':
      return dispatch({ type: 'panel', panel: 'land' });
    case 'sync.one':
      return fire(fleet.actions.sync(focusedId));
    case 'sync.all':
      return fire(fleet.actions.sync());
    case 'panel.migrations':
      return dispatch({ type: 'panel', panel: 'migrations' });
    case 'migrations.new':
      return dispatch({
        type: 'prompt',
        prompt: { kind: 'input', purpose: 'migration', id: focusedId, text: '' },
      });
    case 'panel.log':
      return dispatch({ type: 'panel', panel: 'log' });
    case 'panel.help':
      return dispatch({ type: 'panel', panel: ui.panel === 'help' ? 'none' : 'help' });
    case 'list.up':
    case 'list.down':
    case 'list.pageUp':
    case 'list.pageDown':
      return listMove(id, c);
    case 'picker.choose':
      return choose(c, focusedId);
    case 'confirm.yes':
      return confirm(c);
    case 'confirm.no':
      return dispatch({ type: 'prompt', prompt: null });
    case 'input.send':
      return send(c);
    case 'input.cancel':
      return dispatch({ type: 'prompt', prompt: null });
    case 'app.quit':
      if (fleet.actions.landRunning()) {
        return dispatch({
          type: 'prompt',
          prompt: {
            kind: 'confirm',
            action: 'quit',
            id: focusedId,
            question: 'A land is running. Quit anyway?',
          },
        });
      }
      return c.exit({ kind: 'quit' });
  }
}

function listMove(id: string, c: CommandContext): void {
  const step =
    id === 'list.up' ? -1 : id === 'list.down' ? 1 : id === 'list.pageUp' ? -c.page : c.page;
  const { ui, fleet } = c;
  if (ui.panel === 'log')
    return c.dispatch({ type: 'scroll', by: -step, max: fleet.store.getFacts().log.length });
  if (ui.panel === 'help')
    return c.dispatch({ type: 'scroll', by: step, max: fleet.keymap.commands.length + 6 });
  const max =
    ui.panel === 'picker'
      ? roleIds(fleet.store.roles()).length - 1
      : (fleet.store.getFacts().migrations?.problems.length ?? 1) - 1;
  c.dispatch({ type: 'cursor', by: step, max });
}

function choose(c: CommandContext, id: string): void {
  const role = roleIds(c.fleet.store.roles())[c.ui.cursor];
  c.dispatch({ type: 'panel', panel: 'none' });
  if (!role || role === c.fleet.store.instance(id).instance.role) return;
  fire(
    c.fleet.actions.setRole(id, role).then((ok) => {
      if (!ok) return;
      c.dispatch({
        type: 'prompt',
        prompt: {
          kind: 'confirm',
          action: 'role-restart',
          id,
          question: `Restart ${id} with the ${role} prompt?`,
        },
      });
    }),
  );
}

function confirm(c: CommandContext): void {
  const p = c.ui.prompt;
  c.dispatch({ type: 'prompt', prompt: null });
  if (p?.kind !== 'confirm') return;
  if (p.action === 'quit') return c.exit({ kind: 'quit' });
  fire(c.fleet.actions.restart(p.id, p.action === 'role-restart'));
}

function send(c: CommandContext): void {
  const p = c.ui.prompt;
  c.dispatch({ type: 'prompt', prompt: null });
  if (p?.kind !== 'input' || p.text.trim() === '') return;
  if (p.purpose === 'send') fire(c.fleet.actions.send(p.id, p.text));
  else fire(c.fleet.actions.createMigration(p.id, p.text.trim()));
}
