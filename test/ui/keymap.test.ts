import { describe, expect, it } from 'vitest';
import { COMMANDS, CATEGORIES } from '../../src/keymap/commands.js';
import { buildKeymap, keyProblem } from '../../src/keymap/keymap.js';
import { keyName } from '../../src/ui/keys/key-name.js';
import { HANDLERS } from '../../src/ui/commands/handlers.js';
import { keyOverrideProblems } from '../../src/keymap/overrides.js';

const noKey = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

describe('keymap table', () => {
  it('gives every command an id, a description, a category, a label, a scope and keys', () => {
    const ids = new Set<string>();
    for (const c of COMMANDS) {
      expect(c.id).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
      expect(ids.has(c.id), `duplicate id ${c.id}`).toBe(false);
      ids.add(c.id);
      expect(c.description.length, c.id).toBeGreaterThan(3);
      expect(CATEGORIES).toContain(c.category);
      expect(c.label.length, c.id).toBeGreaterThan(0);
      expect(c.scope.length, c.id).toBeGreaterThan(0);
      expect(c.keys.length, c.id).toBeGreaterThan(0);
      for (const k of c.keys) expect(keyProblem(k), `${c.id} ${k}`).toBeNull();
    }
  });

  it('binds no key twice in one scope', () => {
    const seen = new Map<string, string>();
    for (const c of COMMANDS) {
      for (const s of c.scope) {
        for (const k of c.keys) {
          const key = `${s} ${k}`;
          expect(seen.get(key), `${key}: ${seen.get(key)} and ${c.id}`).toBeUndefined();
          seen.set(key, c.id);
        }
      }
    }
    expect(keyOverrideProblems({})).toEqual([]);
  });

  it('keeps h j k l for movement and puts the log on L', () => {
    const km = buildKeymap();
    expect(km.lookup('grid', 'l')?.id).toBe('focus.right');
    expect(km.lookup('grid', 'L')?.id).toBe('panel.log');
    expect(km.lookup('grid', 'P')?.id).toBe('land.all');
    expect(km.lookup('grid', 'p')?.id).toBe('land.one');
  });

  it('applies config overrides', () => {
    const km = buildKeymap({ 'panel.log': 'o', 'land.all': ['P', 'ctrl+p'] });
    expect(km.lookup('grid', 'o')?.id).toBe('panel.log');
    expect(km.lookup('grid', 'L')).toBeUndefined();
    expect(km.lookup('grid', 'ctrl+p')?.id).toBe('land.all');
  });

  it('rejects unknown commands, misspelled keys and clashes, naming the key path', () => {
    expect(keyOverrideProblems({ 'panel.logs': 'o' })[0]).toMatchObject({
      at: 'keys.panel.logs',
      message: expect.stringContaining('unknown command'),
    });
    expect(keyOverrideProblems({ 'panel.log': 'ctl+o' })[0]?.message).toMatch(
      /unknown modifier "ctl"/,
    );
    expect(keyOverrideProblems({ 'panel.log': 'escapee' })[0]?.message).toMatch(/unknown key/);
    expect(keyOverrideProblems({ 'panel.log': [] })[0]?.message).toMatch(/at least one key/);
    const clash = keyOverrideProblems({ 'panel.log': 'P' });
    expect(clash).toEqual([
      {
        at: 'keys.panel.log',
        message: expect.stringMatching(
          /key "P" is bound to both land.all and panel.log in the grid view/,
        ),
      },
    ]);
  });

  it('accepts only one-character jump keys: each labels its pane', () => {
    expect(keyOverrideProblems({ 'focus.jump': ['w', 'e'] })).toEqual([]);
    expect(keyOverrideProblems({ 'focus.jump': ['1', 'enter'] })).toEqual([
      { at: 'keys.focus.jump', message: '"enter" cannot label a pane — use single characters' },
    ]);
  });

  it('has a handler for every command id', () => {
    for (const c of COMMANDS) expect(typeof HANDLERS[c.id]?.run, c.id).toBe('function');
  });

  it('writes hints with the configured keys', () => {
    const km = buildKeymap({ 'panel.close': 'c' });
    expect(km.hint('list.up', 'list.down')).toBe('↑↓');
    expect(km.hint('panel.close')).toBe('c');
    expect(buildKeymap().hint('panel.close')).toBe('Esc');
  });

  it('names key presses the way the table spells them', () => {
    expect(keyName('', { ...noKey, upArrow: true })).toBe('up');
    expect(keyName('', { ...noKey, tab: true, shift: true })).toBe('shift+tab');
    expect(keyName('\r', { ...noKey, return: true })).toBe('enter');
    expect(keyName('P', { ...noKey, shift: true })).toBe('P');
    expect(keyName('c', { ...noKey, ctrl: true })).toBe('ctrl+c');
    expect(keyName('?', noKey)).toBe('?');
  });
});
