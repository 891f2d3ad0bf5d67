import { Box } from 'ink';
import { Text } from '../text.js';
import type { CheckReport } from '../../core/migrations/types.js';
import { useFleet } from '../context.js';
import { Frame, frameLines, windowAround } from './Frame.js';

/** Migration problems with their fix; three lines each (what, where, fix). */
export function Migrations({
  report,
  focusedId,
  cursor,
  width,
  height,
}: {
  report: CheckReport | null;
  focusedId: string;
  cursor: number;
  width: number;
  height: number;
}) {
  const { keymap: k } = useFleet();
  const title = `Migrations — ${k.hint('migrations.new')} new migration for ${focusedId} · ${k.hint('list.up', 'list.down')} select · ${k.hint('panel.close')} close`;
  if (!report) {
    return (
      <Frame title={title} width={width} height={height}>
        <Text dimColor>checking…</Text>
      </Frame>
    );
  }
  const problems = report.problems;
  const per = 3;
  const [from, to] = windowAround(
    problems.length,
    cursor,
    Math.max(1, Math.floor((frameLines(height) - 1) / per)),
  );
  return (
    <Frame title={title} width={width} height={height}>
      <Text color={problems.length ? 'yellow' : 'green'} wrap="truncate-end">
        {report.migrations} migrations ·{' '}
        {problems.length === 0 ? 'no problems' : `${problems.length} problems`}
      </Text>
      {problems.slice(from, to).map((p, k) => {
        const selected = from + k === cursor;
        const where = p.files.map((f) => `${f.instance ?? 'main'}:${f.path}`).join('  ');
        return (
          <Box key={`${p.rule}-${p.version}-${k}`} flexDirection="column">
            <Text wrap="truncate-end">
              <Text inverse={selected} color={p.severity === 'error' ? 'red' : 'yellow'} bold>
                {selected ? '▸' : ' '} {p.severity} {p.rule} {p.version}
              </Text>{' '}
              {p.message}
            </Text>
            <Text dimColor wrap="truncate-end">
              {'    '}
              {where}
            </Text>
            <Text color="green" wrap="truncate-end">
              {'    '}fix: {p.fix}
            </Text>
          </Box>
        );
      })}
    </Frame>
  );
}
