import { useEffect, useState } from 'react';
import { Box } from 'ink';
import { Text } from './text.js';
import { oldestWaitSince, waitFor } from './attention.js';
import { formatCost } from './badges.js';
import { useAllInstances, useFacts } from './use-store.js';

/** The clock for "waiting 4m": ticks only while someone waits (no timer when nobody does). */
function useNowWhile(active: boolean, everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), everyMs);
    t.unref?.();
    return () => clearInterval(t);
  }, [active, everyMs]);
  return now;
}

/** Fleet totals: how many agents work or wait (and the oldest wait), commits landed today,
 * today's cost, open migration problems. */
export function TopBar({ width }: { width: number }) {
  const all = useAllInstances();
  const facts = useFacts();
  const count = (s: string) => all.filter((i) => i.agent.status === s).length;
  const landed = all.reduce((n, i) => n + (i.git?.landedToday ?? 0), 0);
  const problems = facts.migrations?.problems ?? [];
  const errors = problems.filter((p) => p.severity === 'error').length;
  const land = facts.land;
  const last = facts.log[facts.log.length - 1];
  const oldest = oldestWaitSince(all);
  const now = useNowWhile(oldest !== null, 5000);
  const cost = facts.insight ? formatCost(facts.insight.costToday) : '';
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          fleet-tui
        </Text>
        <Text dimColor> {all.length} instances </Text>
        <Text color="green">● {count('working')} working </Text>
        <Text color="yellow" bold={oldest !== null}>
          ◐ {count('waiting')} waiting{oldest ? ` (oldest ${waitFor(oldest, now)})` : ''}{' '}
        </Text>
        <Text>⇡ {landed} landed today </Text>
        {cost ? <Text>{cost} today </Text> : null}
        <Text color={errors > 0 ? 'red' : problems.length > 0 ? 'yellow' : 'green'}>
          ⚠ {problems.length} migration {problems.length === 1 ? 'problem' : 'problems'}
        </Text>
        {land?.running ? (
          <Text color="cyan" bold>
            {' '}
            ⟳ landing…
          </Text>
        ) : null}
        {last ? <Text dimColor> │ {last.text}</Text> : null}
      </Text>
    </Box>
  );
}
