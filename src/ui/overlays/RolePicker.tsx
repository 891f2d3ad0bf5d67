import { Text } from '../text.js';
import type { RoleSpec } from '../../config/schema.js';
import { useFleet } from '../context.js';
import { Frame, frameLines, windowAround } from './Frame.js';

/** Roles in the order the config declares them; the picker's cursor indexes this list. */
export function roleIds(roles: Record<string, RoleSpec>): string[] {
  return Object.keys(roles);
}

export function RolePicker({
  id,
  roles,
  current,
  cursor,
  width,
  height,
}: {
  id: string;
  roles: Record<string, RoleSpec>;
  current: string;
  cursor: number;
  width: number;
  height: number;
}) {
  const { keymap: k } = useFleet();
  const ids = roleIds(roles);
  const [from, to] = windowAround(ids.length, cursor, frameLines(height));
  return (
    <Frame
      title={`Role for ${id} — ${k.hint('list.up', 'list.down')} choose · ${k.hint('picker.choose')} assign · ${k.hint('panel.close')} cancel`}
      width={width}
      height={height}
    >
      {ids.slice(from, to).map((r, k) => {
        const selected = from + k === cursor;
        const role = roles[r]!;
        return (
          <Text key={r} inverse={selected} wrap="truncate-end">
            {selected ? '▸ ' : '  '}
            {r === current ? '● ' : '  '}
            <Text bold>{r}</Text> — {role.title}
            <Text dimColor> {role.paths.join(' ')}</Text>
          </Text>
        );
      })}
    </Frame>
  );
}
