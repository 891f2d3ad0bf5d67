import type { CommandId } from '../../keymap/commands.js';
import { moveFocus, ZOOM_SCROLLBACK, type Direction } from '../layout.js';
import { nextWaiting } from '../attention.js';
import { outsideLines } from '../overlays/Outside.js';
import { roleIds } from '../overlays/RolePicker.js';
import type { CommandContext, DisabledContext } from './context.js';

/**
 * What each command does. The keymap table (`keymap/commands.ts`) says which key runs which
 * command; this table is the only place a command's behaviour lives. `Record<CommandId, …>`
 * makes the compiler demand a handler for every command in the keymap.
 */
export interface Handler {
  run(c: CommandContext, key: string): void;
  /** Why the command cannot run now (logged instead of running it; dims it in the bar), or null. */
  disabledReason?(c: DisabledContext): string | null;
}

function fire(p: Promise<unknown>): void {
  // Actions never reject (failures become log lines); this only satisfies no-floating-promises.
  p.catch(() => undefined);
}

const focus = (dir: Direction): Handler => ({
  run: (c) =>
    c.dispatch({ type: 'focus', index: moveFocus(c.ui.focus, dir, c.ids.length, c.cols) }),
});

const panel = (
  p: 'help' | 'log' | 'migrations' | 'land' | 'zoom' | 'outside' | 'report' | 'none',
): Handler => ({
  run: (c) => c.dispatch({ type: 'panel', panel: p }),
});

/** Zoom scrolling: positive `by` goes back in time; the page size comes from the frame. */
const scroll = (by: (c: CommandContext) => number): Handler => ({
  run: (c) => {
    const held = c.fleet.services.session(c.focusedId)?.tail(ZOOM_SCROLLBACK).length ?? 0;
    c.dispatch({ type: 'scroll', by: by(c), max: held - c.page });
  },
});

/** List movement in panels: positive `by` moves down. */
const list = (by: (c: CommandContext) => number): Handler => ({
  run: (c) => {
    const step = by(c);
    const { ui, fleet } = c;
    if (ui.panel === 'log')
      return c.dispatch({ type: 'scroll', by: -step, max: fleet.store.getFacts().log.length });
    if (ui.panel === 'help')
      return c.dispatch({ type: 'scroll', by: step, max: fleet.keymap.commands.length + 6 });
    if (ui.panel === 'outside')
      return c.dispatch({ type: 'scroll', by: step, max: outsideLines(fleet.store.all()).length });
    const max =
      ui.panel === 'picker'
        ? roleIds(fleet.store.roles()).length - 1
        : (fleet.store.getFacts().migrations?.problems.length ?? 1) - 1;
    c.dispatch({ type: 'cursor', by: step, max });
  },
});

/** Approve / deny: the focused agent must be waiting; the screen decides when the key runs. */
const answer = (how: 'approve' | 'deny'): Handler => ({
  disabledReason: (c) =>
    c.fleet.store.instance(c.focusedId).agent.status === 'waiting'
      ? null
      : `${c.focusedId} is not waiting for you: nothing to ${how}`,
  run: (c) => fire(c.fleet.actions.answerPermission(c.focusedId, how)),
});

const closePrompt: Handler = { run: (c) => c.dispatch({ type: 'prompt', prompt: null }) };

const needsTmux = (c: DisabledContext) => {
  const s = c.fleet.services.session(c.focusedId);
  if (s?.attachCommand()) return null;
  // A tmux agent whose window is not (yet, or any more) there: say so, not "headless".
  return s?.backend === 'tmux'
    ? `${c.focusedId} has no agent window yet (starting or stopped): start it, then attach`
    : `${c.focusedId} runs headless (exec): only agents in tmux can be attached`;
};

export const HANDLERS: Record<CommandId, Handler> = {
  'focus.left': focus('left'),
  'focus.down': focus('down'),
  'focus.up': focus('up'),
  'focus.right': focus('right'),
  'focus.next': {
    run: (c) => c.dispatch({ type: 'focus', index: (c.ui.focus + 1) % c.ids.length }),
  },
  'focus.prev': {
    run: (c) =>
      c.dispatch({ type: 'focus', index: (c.ui.focus - 1 + c.ids.length) % c.ids.length }),
  },
  'focus.jump': {
    // The k-th jump key focuses the k-th pane (the grid labels each pane with its key).
    run: (c, key) => {
      const k = c.fleet.keymap.byId('focus.jump').keys.indexOf(key);
      if (k >= 0 && k < c.ids.length) c.dispatch({ type: 'focus', index: k });
    },
  },
  'focus.waiting': {
    run: (c) => {
      const id = nextWaiting(c.fleet.store.all(), c.focusedId);
      if (!id) return c.fleet.store.log('info', 'no agent is waiting for you');
      c.dispatch({ type: 'focus', index: c.ids.indexOf(id) });
    },
  },
  'pane.zoom': panel('zoom'),
  'zoom.close': panel('none'),
  'scroll.up': scroll(() => 1),
  'scroll.down': scroll(() => -1),
  'scroll.pageUp': scroll((c) => c.page),
  'scroll.pageDown': scroll((c) => -c.page),
  'scroll.end': { run: (c) => c.dispatch({ type: 'scrollTo', value: 0 }) },
  'agent.attach': {
    disabledReason: needsTmux,
    run: (c) => c.exit({ kind: 'attach', id: c.focusedId, ui: c.ui }),
  },
  'agent.input': {
    run: (c) =>
      c.dispatch({
        type: 'prompt',
        prompt: { kind: 'input', purpose: 'send', id: c.focusedId, text: '' },
      }),
  },
  'agent.approve': answer('approve'),
  'agent.deny': answer('deny'),
  'agent.restart': { run: (c) => fire(c.fleet.actions.restart(c.focusedId, false)) },
  'role.pick': {
    run: (c) => {
      const current = c.fleet.store.instance(c.focusedId).instance.role;
      c.dispatch({
        type: 'panel',
        panel: 'picker',
        cursor: Math.max(0, roleIds(c.fleet.store.roles()).indexOf(current)),
      });
    },
  },
  'land.all': {
    run: (c) => {
      c.dispatch({ type: 'panel', panel: 'land' });
      fire(c.fleet.actions.land());
    },
  },
  'land.one': { run: (c) => fire(c.fleet.actions.land(c.focusedId)) },
  'land.show': panel('land'),
  'sync.one': { run: (c) => fire(c.fleet.actions.sync(c.focusedId)) },
  'sync.all': { run: (c) => fire(c.fleet.actions.sync()) },
  'panel.migrations': panel('migrations'),
  'migrations.new': {
    run: (c) =>
      c.dispatch({
        type: 'prompt',
        prompt: { kind: 'input', purpose: 'migration', id: c.focusedId, text: '' },
      }),
  },
  'panel.outside': panel('outside'),
  'panel.report': {
    run: (c) => {
      c.dispatch({ type: 'panel', panel: 'report' });
      c.fleet.actions.refreshInsight();
    },
  },
  'panel.log': panel('log'),
  'panel.help': {
    run: (c) => c.dispatch({ type: 'panel', panel: c.ui.panel === 'help' ? 'none' : 'help' }),
  },
  'panel.close': panel('none'),
  'list.up': list(() => -1),
  'list.down': list(() => 1),
  'list.pageUp': list((c) => -c.page),
  'list.pageDown': list((c) => c.page),
  'picker.choose': { run: (c) => choose(c) },
  'confirm.yes': { run: (c) => confirmed(c) },
  'confirm.no': closePrompt,
  'input.send': { run: (c) => send(c) },
  'input.cancel': closePrompt,
  'app.quit': {
    run: (c) => {
      if (!c.fleet.actions.landRunning()) return c.exit({ kind: 'quit' });
      c.dispatch({
        type: 'prompt',
        prompt: {
          kind: 'confirm',
          then: { type: 'quit' },
          id: c.focusedId,
          question: 'A land is running. Quit anyway?',
        },
      });
    },
  },
};

function choose(c: CommandContext): void {
  const id = c.focusedId;
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
          then: { type: 'role-restart' },
          id,
          question: `Restart ${id} with the ${role} prompt?`,
        },
      });
    }),
  );
}

function confirmed(c: CommandContext): void {
  const p = c.ui.prompt;
  c.dispatch({ type: 'prompt', prompt: null });
  if (p?.kind !== 'confirm') return;
  const then = p.then;
  if (then.type === 'quit') return c.exit({ kind: 'quit' });
  if (then.type === 'role-restart') return fire(c.fleet.actions.restart(p.id, true));
  HANDLERS[then.command].run({ ...c, focusedId: p.id, ui: { ...c.ui, prompt: null } }, then.key);
}

function send(c: CommandContext): void {
  const p = c.ui.prompt;
  c.dispatch({ type: 'prompt', prompt: null });
  if (p?.kind !== 'input' || p.text.trim() === '') return;
  if (p.purpose === 'send') fire(c.fleet.actions.send(p.id, p.text));
  else fire(c.fleet.actions.createMigration(p.id, p.text.trim()));
}
