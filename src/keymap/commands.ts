/**
 * THE keymap: every command the TUI knows, its default keys, where it applies and how it is
 * described. Input handling, the bottom bar, the `?` help overlay, the README's key table and
 * the tests are all generated from this one list. Pure data: no React, no Ink — it lives outside
 * `ui/` so the config validator can check key overrides without importing the UI.
 */
export type Scope =
  | 'grid'
  | 'zoom'
  | 'help'
  | 'log'
  | 'migrations'
  | 'picker'
  | 'land'
  | 'outside'
  | 'report'
  | 'confirm'
  | 'input';

export type Category = 'Navigate' | 'Agent' | 'Land' | 'Panels' | 'Lists' | 'App';

export interface CommandSpec<I extends string = CommandId> {
  /** Dotted id, used by config overrides (`keys: { 'panel.log': 'L' }`) and by tests. */
  id: I;
  keys: readonly string[];
  scope: readonly Scope[];
  /** One sentence for the help overlay. */
  description: string;
  category: Category;
  /** Short word for the bottom bar; shown there when `showInBar`. */
  label: string;
  showInBar: boolean;
  /** Changes something outside the UI that is hard to take back: asks for confirmation. */
  dangerous: boolean;
}

const LISTS: Scope[] = ['help', 'log', 'migrations', 'picker', 'outside'];
const PANELS: Scope[] = ['help', 'log', 'migrations', 'picker', 'land', 'outside', 'report'];
const JUMP_KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'];

function cmd<const I extends string>(
  id: I,
  keys: string[],
  scope: Scope[],
  category: Category,
  label: string,
  description: string,
  flags: { bar?: boolean; dangerous?: boolean } = {},
): CommandSpec<I> {
  return {
    id,
    keys,
    scope,
    category,
    label,
    description,
    showInBar: flags.bar ?? false,
    dangerous: flags.dangerous ?? false,
  };
}

const TABLE = [
  cmd(
    'focus.left',
    ['left', 'h'],
    ['grid'],
    'Navigate',
    'left',
    'Move focus to the pane on the left',
  ),
  cmd('focus.down', ['down', 'j'], ['grid'], 'Navigate', 'down', 'Move focus to the pane below'),
  cmd('focus.up', ['up', 'k'], ['grid'], 'Navigate', 'up', 'Move focus to the pane above'),
  cmd(
    'focus.right',
    ['right', 'l'],
    ['grid'],
    'Navigate',
    'right',
    'Move focus to the pane on the right',
  ),
  cmd('focus.next', ['tab'], ['grid'], 'Navigate', 'next', 'Focus the next pane'),
  cmd('focus.prev', ['shift+tab'], ['grid'], 'Navigate', 'prev', 'Focus the previous pane'),
  cmd('focus.jump', JUMP_KEYS, ['grid'], 'Navigate', 'jump', 'Jump to pane 1–9, 0 for the tenth'),
  cmd(
    'focus.waiting',
    ['g'],
    ['grid', 'zoom'],
    'Navigate',
    'waiting',
    'Jump to the next agent waiting for you, longest waiting first (again: the next one)',
    { bar: true },
  ),
  cmd(
    'pane.zoom',
    ['enter'],
    ['grid'],
    'Navigate',
    'zoom',
    'Zoom the focused pane to the full screen',
    { bar: true },
  ),
  cmd('zoom.close', ['escape', 'enter'], ['zoom'], 'Navigate', 'back', 'Back to the grid', {
    bar: true,
  }),
  cmd('scroll.up', ['up', 'k'], ['zoom'], 'Navigate', 'scroll', 'Scroll the output up one line', {
    bar: true,
  }),
  cmd(
    'scroll.down',
    ['down', 'j'],
    ['zoom'],
    'Navigate',
    'scroll',
    'Scroll the output down one line',
  ),
  cmd(
    'scroll.pageUp',
    ['pageup'],
    ['zoom'],
    'Navigate',
    'page up',
    'Scroll the output up one page',
  ),
  cmd(
    'scroll.pageDown',
    ['pagedown'],
    ['zoom'],
    'Navigate',
    'page down',
    'Scroll the output down one page',
  ),
  cmd('scroll.end', ['G', 'end'], ['zoom'], 'Navigate', 'follow', 'Back to the newest output'),

  cmd(
    'agent.attach',
    ['a'],
    ['grid', 'zoom'],
    'Agent',
    'attach',
    'Attach the terminal to the focused agent (tmux); detach returns here',
    { bar: true },
  ),
  cmd(
    'agent.input',
    ['i'],
    ['grid', 'zoom'],
    'Agent',
    'input',
    'Send a line of input to the focused agent',
    { bar: true },
  ),
  cmd(
    'agent.approve',
    ['y'],
    ['grid', 'zoom'],
    'Agent',
    'approve',
    "Approve the permission dialog on the focused agent's screen (sends that agent's own key)",
    { bar: true },
  ),
  cmd(
    'agent.deny',
    ['n'],
    ['grid', 'zoom'],
    'Agent',
    'deny',
    "Deny the permission dialog on the focused agent's screen (sends that agent's own key)",
    { bar: true },
  ),
  cmd('agent.restart', ['x'], ['grid', 'zoom'], 'Agent', 'restart', 'Restart the focused agent', {
    dangerous: true,
  }),
  cmd(
    'role.pick',
    ['r'],
    ['grid', 'zoom'],
    'Agent',
    'role',
    'Reassign the focused instance to another role',
    { bar: true },
  ),

  cmd(
    'land.all',
    ['P'],
    ['grid'],
    'Land',
    'push-all',
    'Land every instance on main, with live progress',
    { bar: true },
  ),
  cmd('land.one', ['p'], ['grid', 'zoom'], 'Land', 'land', 'Land the focused instance only', {
    bar: true,
  }),
  cmd('sync.one', ['s'], ['grid', 'zoom'], 'Land', 'sync', 'Sync the focused instance with main', {
    bar: true,
  }),
  cmd('sync.all', ['S'], ['grid'], 'Land', 'sync all', 'Sync every instance with main'),
  cmd(
    'land.show',
    ['v'],
    ['grid'],
    'Land',
    'progress',
    'Show the last push-all progress and summary',
  ),

  cmd(
    'panel.migrations',
    ['m'],
    ['grid'],
    'Panels',
    'migrations',
    'Migration problems with their fix',
    { bar: true },
  ),
  cmd(
    'migrations.new',
    ['n'],
    ['migrations'],
    'Panels',
    'new',
    'Create a migration for the focused instance in its band',
    { bar: true },
  ),
  cmd('panel.log', ['L'], ['grid'], 'Panels', 'log', 'Log of operations with timestamps', {
    bar: true,
  }),
  cmd(
    'panel.help',
    ['?'],
    ['grid', 'zoom', 'help'],
    'Panels',
    'help',
    'Show this help: every key, by category',
    { bar: true },
  ),
  cmd('panel.close', ['escape'], PANELS, 'Panels', 'close', 'Close the panel', { bar: true }),
  cmd(
    'panel.outside',
    ['f'],
    ['grid'],
    'Panels',
    'outside',
    'Files each instance touched outside its role (scope creep)',
  ),
  cmd(
    'panel.report',
    ['R'],
    ['grid'],
    'Panels',
    'report',
    "Today's report: landed, conflicts, pushes saved, time per status, cost",
    { bar: true },
  ),

  cmd('list.up', ['up', 'k'], LISTS, 'Lists', 'up', 'Move up in a list'),
  cmd('list.down', ['down', 'j'], LISTS, 'Lists', 'down', 'Move down in a list'),
  cmd('list.pageUp', ['pageup'], LISTS, 'Lists', 'page up', 'Move up one page in a list'),
  cmd('list.pageDown', ['pagedown'], LISTS, 'Lists', 'page down', 'Move down one page in a list'),
  cmd('picker.choose', ['enter'], ['picker'], 'Lists', 'choose', 'Choose the selected role', {
    bar: true,
  }),
  cmd('confirm.yes', ['y'], ['confirm'], 'Lists', 'yes', 'Confirm', { bar: true }),
  cmd('confirm.no', ['n', 'escape'], ['confirm'], 'Lists', 'no', 'Cancel', { bar: true }),
  cmd('input.send', ['enter'], ['input'], 'Lists', 'send', 'Send the line', { bar: true }),
  cmd('input.cancel', ['escape'], ['input'], 'Lists', 'cancel', 'Cancel input', { bar: true }),

  cmd(
    'app.quit',
    ['q', 'ctrl+c'],
    ['grid', 'zoom'],
    'App',
    'quit',
    'Quit (agents in tmux keep running and are adopted next time)',
    { bar: true },
  ),
] as const;

/** Every command id; `Record<CommandId, …>` makes the compiler demand one entry per command. */
export type CommandId = (typeof TABLE)[number]['id'];

export const COMMANDS: readonly CommandSpec[] = TABLE;

export const CATEGORIES: readonly Category[] = [
  'Navigate',
  'Agent',
  'Land',
  'Panels',
  'Lists',
  'App',
];
