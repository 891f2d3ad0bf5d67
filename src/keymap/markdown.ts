import type { Scope } from './commands.js';
import { displayKeys, type Keymap } from './keymap.js';

const VIEW: Record<Scope, string> = {
  grid: 'grid',
  zoom: 'zoom',
  help: 'help',
  log: 'log',
  migrations: 'migrations',
  picker: 'role picker',
  land: 'push-all',
  outside: 'outside files',
  report: 'report',
  confirm: 'confirm',
  input: 'input',
};

/** The README's key table, generated from the keymap (a test keeps the README in step). */
export function keysMarkdown(keymap: Keymap): string {
  const rows = keymap.commands.map((c) => {
    const keys = displayKeys(c)
      .split(' ')
      .map((k) => `\`${k === '|' ? '\\|' : k}\``)
      .join(' ');
    const where = c.scope.map((s) => VIEW[s]).join(', ');
    return `| ${keys} | ${c.description}${c.dangerous ? ' (asks first)' : ''} | ${where} | \`${c.id}\` |`;
  });
  return [
    '| keys | what it does | where | command id |',
    '| --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}
