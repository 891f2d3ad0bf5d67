import { CATEGORIES } from '../../keymap/commands.js';
import { displayKeys, type Keymap } from '../../keymap/keymap.js';
import { Text } from '../text.js';
import { Frame, frameLines } from './Frame.js';

/** Help text, generated from the keymap: one line per command, grouped by category. */
export function helpLines(
  keymap: Keymap,
): Array<{ text: string; heading: boolean; dangerous: boolean }> {
  const out: Array<{ text: string; heading: boolean; dangerous: boolean }> = [];
  for (const cat of CATEGORIES) {
    const cmds = keymap.commands.filter((c) => c.category === cat);
    if (cmds.length === 0) continue;
    out.push({ text: cat, heading: true, dangerous: false });
    for (const c of cmds) {
      out.push({
        text: `  ${displayKeys(c).padEnd(14)} ${c.description}`,
        heading: false,
        dangerous: c.dangerous,
      });
    }
  }
  return out;
}

export function Help({
  keymap,
  width,
  height,
  scroll,
}: {
  keymap: Keymap;
  width: number;
  height: number;
  scroll: number;
}) {
  const lines = helpLines(keymap);
  const visible = frameLines(height);
  const start = Math.min(scroll, Math.max(0, lines.length - visible));
  return (
    <Frame
      title={`Keys — ${keymap.hint('list.up', 'list.down')} scroll · ${keymap.hint('panel.close')} close`}
      width={width}
      height={height}
    >
      {lines.slice(start, start + visible).map((l, k) => (
        <Text
          key={k}
          bold={l.heading}
          color={l.heading ? 'cyan' : l.dangerous ? 'red' : undefined}
          wrap="truncate-end"
        >
          {l.text}
        </Text>
      ))}
    </Frame>
  );
}
