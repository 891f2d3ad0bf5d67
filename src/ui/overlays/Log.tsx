import { Text } from '../text.js';
import type { LogEntry } from '../../core/fleet/types.js';
import { clock } from '../badges.js';
import { useFleet } from '../context.js';
import { Frame, frameLines } from './Frame.js';

const COLORS = { info: undefined, warn: 'yellow', error: 'red' } as const;

/** Operations with timestamps, newest at the bottom; `scroll` counts lines up from the end. */
export function Log({
  log,
  width,
  height,
  scroll,
}: {
  log: readonly LogEntry[];
  width: number;
  height: number;
  scroll: number;
}) {
  const { keymap: k } = useFleet();
  const visible = frameLines(height);
  const end = Math.max(0, log.length - scroll);
  const shown = log.slice(Math.max(0, end - visible), end);
  return (
    <Frame
      title={`Log — ${log.length} entries · ${k.hint('list.up', 'list.down')} scroll · ${k.hint('panel.close')} close`}
      width={width}
      height={height}
    >
      {shown.length === 0 ? <Text dimColor>nothing yet</Text> : null}
      {shown.map((e, k) => (
        <Text key={k} color={COLORS[e.level]} wrap="truncate-end">
          {clock(e.time)} {e.text}
        </Text>
      ))}
    </Frame>
  );
}
