import { Box } from 'ink';
import { Text } from '../text.js';
import type { LandRun } from '../../core/fleet/types.js';
import type { LandPhase } from '../../core/land/types.js';
import { useFleet } from '../context.js';
import { Frame, frameLines } from './Frame.js';

const PHASE_COLOR: Record<LandPhase, string> = {
  pending: 'gray',
  replaying: 'cyan',
  gating: 'cyan',
  pushing: 'cyan',
  syncing: 'cyan',
  landed: 'green',
  nothing: 'gray',
  conflict: 'red',
  blocked: 'yellow',
  refused: 'yellow',
  error: 'red',
};

/** Push-all progress: one line per instance (pending → replaying → outcome), then the summary. */
export function LandOverlay({
  run,
  ids,
  width,
  height,
}: {
  run: LandRun | null;
  ids: string[];
  width: number;
  height: number;
}) {
  const { keymap } = useFleet();
  if (!run) {
    return (
      <Frame title="Push-all" width={width} height={height}>
        <Text dimColor>
          no land has run yet — press {keymap.hint('land.all')} to land every instance
        </Text>
      </Frame>
    );
  }
  const title = run.running
    ? `Push-all — landing… (${keymap.hint('panel.close')} hides, it keeps running)`
    : `Push-all — done (${keymap.hint('panel.close')} close)`;
  const results = new Map(run.report?.instances.map((r) => [r.id, r]) ?? []);
  const order = run.scope === 'all' ? ids : [run.scope];
  const rows = order.slice(0, Math.max(0, frameLines(height) - 2));
  return (
    <Frame title={title} width={width} height={height}>
      {rows.map((id) => {
        const res = results.get(id);
        const phase: LandPhase = res?.outcome ?? run.progress[id]?.phase ?? 'pending';
        const detail =
          res && res.outcome === 'conflict'
            ? `(${res.files.join(', ')}) ${res.reason}`
            : res
              ? [
                  res.commits ? `${res.commits} commits` : '',
                  res.reason,
                  res.sync !== 'unchanged' ? res.sync : '',
                ]
                  .filter(Boolean)
                  .join(' · ')
              : (run.progress[id]?.detail ?? '');
        return (
          <Box key={id}>
            <Text wrap="truncate-end">
              {id.padEnd(10)}
              <Text color={PHASE_COLOR[phase]} bold>
                {phase.padEnd(10)}
              </Text>
              <Text dimColor>{detail}</Text>
            </Text>
          </Box>
        );
      })}
      <Text> </Text>
      {run.error ? <Text color="red">failed: {run.error}</Text> : null}
      {run.report ? <Summary run={run} /> : null}
    </Frame>
  );
}

/** A land that could not fetch knows no main: say so rather than print empty shas. */
const short = (sha: string) => (sha ? sha.slice(0, 7) : '(unknown)');

function Summary({ run }: { run: LandRun }) {
  const r = run.report!;
  const landed = r.instances.filter((i) => i.outcome === 'landed');
  const commits = landed.reduce((n, i) => n + i.commits, 0);
  const trouble = r.instances.filter((i) => !['landed', 'nothing'].includes(i.outcome)).length;
  return (
    <Text color={r.ok ? 'green' : 'yellow'} bold wrap="truncate-end">
      {landed.length} landed ({commits} commits) · {trouble} need attention · main{' '}
      {short(r.main.before)} → {short(r.main.after)} · {r.pushes} push
    </Text>
  );
}
