import type { Key } from 'ink';

/** The binding name of a key press as Ink reports it (same spelling as the table). */
export function keyName(input: string, key: Key): string | null {
  const named = (name: string) => (key.ctrl ? `ctrl+${name}` : key.meta ? `meta+${name}` : name);
  if (key.upArrow) return named('up');
  if (key.downArrow) return named('down');
  if (key.leftArrow) return named('left');
  if (key.rightArrow) return named('right');
  if (key.pageUp) return 'pageup';
  if (key.pageDown) return 'pagedown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'enter';
  if (key.escape) return 'escape';
  if (key.tab) return key.shift ? 'shift+tab' : 'tab';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (input === ' ') return 'space';
  if (input.length === 0) return null;
  if (key.ctrl) return `ctrl+${input.toLowerCase()}`;
  if (key.meta) return `meta+${input}`;
  return input;
}
