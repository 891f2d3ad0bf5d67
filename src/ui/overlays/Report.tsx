import type { FleetInsight } from '../../core/insight/fleet-insight.js';
import { Text } from '../text.js';
import { useFleet } from '../context.js';
import { Frame } from './Frame.js';
import { usd } from '../../text/report-table.js';
import { REPORT_HEADER, reportLine } from './report-format.js';

function windowLine(block: FleetInsight['block']): string {
  if (!block) return '5-hour window: none open';
  const left = Math.max(0, Math.round((Date.parse(block.end) - Date.now()) / 60_000));
  return `5-hour window: ${usd(block.costUsd)}, ${Math.round(block.tokens / 1000)}k tokens, ${Math.floor(left / 60)}h ${left % 60}m left`;
}

/** `fleet-tui report` for today as a table with a time bar and a cost bar per instance. */
export function Report({
  insight,
  width,
  height,
}: {
  insight: FleetInsight | null;
  width: number;
  height: number;
}) {
  const { keymap: k } = useFleet();
  const title = `Report — today · ${k.hint('panel.close')} close`;
  if (!insight) {
    return (
      <Frame title={title} width={width} height={height}>
        <Text dimColor>reading transcripts and land records…</Text>
      </Frame>
    );
  }
  const r = insight.report;
  const max = Math.max(0, ...r.instances.map((i) => i.costUsd));
  return (
    <Frame title={title} width={width} height={height}>
      <Text wrap="truncate-end">
        {`${r.since} · cost today ${usd(insight.costToday)} · ${windowLine(insight.block)} · read ${insight.at.slice(11, 19)}`}
      </Text>
      <Text dimColor wrap="truncate-end">
        {REPORT_HEADER}
      </Text>
      {r.instances.map((row) => (
        <Text key={row.id} wrap="truncate-end">
          {reportLine(row, max)}
        </Text>
      ))}
      <Text bold wrap="truncate-end">
        {reportLine(r.fleet, 0)}
      </Text>
    </Frame>
  );
}
