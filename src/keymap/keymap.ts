import { COMMANDS, type CommandId, type CommandSpec, type Scope } from './commands.js';

/** Named keys a binding may use; anything else must be one printable character. */
const NAMED_KEYS = [
  'up',
  'down',
  'left',
  'right',
  'enter',
  'escape',
  'tab',
  'backspace',
  'delete',
  'pageup',
  'pagedown',
  'home',
  'end',
  'space',
] as const;
const MODIFIERS = ['ctrl', 'meta', 'shift'] as const;

/** `'ctrl+c'`, `'shift+tab'`, `'P'`, `'?'`: null when valid, else why not. */
export function keyProblem(key: string): string | null {
  const parts = key.split('+');
  // A lone '+' is the plus key itself.
  const base = key === '+' ? '+' : parts.pop()!;
  const mods = key === '+' ? [] : parts;
  for (const m of mods) {
    if (!(MODIFIERS as readonly string[]).includes(m)) {
      return `unknown modifier "${m}" in "${key}" (use ctrl+, meta+ or shift+)`;
    }
  }
  if ((NAMED_KEYS as readonly string[]).includes(base)) return null;
  if ([...base].length === 1 && base >= ' ' && base !== '\x7f') {
    if (mods.includes('shift')) return `"${key}": write the upper-case character instead of shift+`;
    return null;
  }
  return `unknown key "${key}" — use one character, or one of: ${NAMED_KEYS.join(', ')}`;
}

export interface Keymap {
  commands: readonly CommandSpec[];
  /** The command bound to `key` in `scope`, if any. */
  lookup(scope: Scope, key: string): CommandSpec | undefined;
  byId(id: CommandId): CommandSpec;
  /** How to write the keys of these commands in a hint ("↑↓", "Esc"), after overrides. */
  hint(...ids: CommandId[]): string;
  /** Commands shown in the bottom bar for `scope`, in table order. */
  bar(scope: Scope): CommandSpec[];
}

/** Apply `keys` overrides from the config (validated beforehand by `keyOverrideProblems`). */
export function buildKeymap(overrides: Record<string, string | string[]> = {}): Keymap {
  const commands = COMMANDS.map((c) => {
    const o = overrides[c.id];
    return o === undefined ? c : { ...c, keys: typeof o === 'string' ? [o] : [...o] };
  });
  const table = new Map<string, CommandSpec>();
  for (const c of commands) {
    for (const s of c.scope)
      for (const k of c.keys) if (!table.has(`${s} ${k}`)) table.set(`${s} ${k}`, c);
  }
  const ids = new Map(commands.map((c) => [c.id, c]));
  return {
    commands,
    lookup: (scope, key) => table.get(`${scope} ${key}`),
    byId: (id) => {
      const c = ids.get(id);
      if (!c) throw new Error(`no command "${id}" in the keymap`);
      return c;
    },
    bar: (scope) => commands.filter((c) => c.showInBar && c.scope.includes(scope)),
    hint: (...hintIds) => {
      const shown = hintIds.map((id) => displayKey(ids.get(id)!.keys[0]!));
      return shown.join(shown.every((k) => [...k].length === 1) ? '' : '/');
    },
  };
}

/** How a key is printed in the bar and help: arrows as glyphs, the rest as written. */
function displayKey(key: string): string {
  const glyphs: Record<string, string> = {
    up: '↑',
    down: '↓',
    left: '←',
    right: '→',
    enter: 'Enter',
    escape: 'Esc',
    tab: 'Tab',
    'shift+tab': 'S-Tab',
    pageup: 'PgUp',
    pagedown: 'PgDn',
    'ctrl+c': 'C-c',
    space: 'Space',
    home: 'Home',
    end: 'End',
  };
  return glyphs[key] ?? key;
}

const DEFAULT_JUMP = COMMANDS.find((c) => c.id === 'focus.jump')!.keys.join(' ');

export function displayKeys(c: CommandSpec): string {
  if (c.id === 'focus.jump' && c.keys.join(' ') === DEFAULT_JUMP) return '1–9 0';
  return c.keys.map(displayKey).join(' ');
}
