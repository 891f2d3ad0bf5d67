import { Box } from 'ink';
import { Text } from './text.js';
import { useAllInstances, useFacts } from './use-store.js';

/** Fleet totals: how many agents work or wait, commits landed today, open migration problems. */
export function TopBar({ width }: { width: number }) {
  const all = useAllInstances();
  const facts = useFacts();
  const count = (s: string) => all.filter((i) => i.agent.status === s).length;
  const landed = all.reduce((n, i) => n + (i.git?.landedToday ?? 0), 0);
  const problems = facts.migrations?.problems ?? [];
  const errors = problems.filter((p) => p.severity === 'error').length;
  const land = facts.land;
  const last = facts.log[facts.log.length - 1];
  return (
    <Box width={width} height={1}>
      <Text wrap="truncate-end">
        <Text bold color="cyan">
          fleet-tui
        </Text>
        <Text dimColor> {all.length} instances </Text>
        <Text color="green">● {count('working')} working </Text>
        <Text color="yellow">◐ {count('waiting')} waiting </Text>
        <Text>⇡ {landed} landed today </Text>
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
