import { Box } from 'ink';
import { Text } from './text.js';
import type { InstanceSnapshot } from '../core/fleet/types.js';
import { STATUS_STYLE, formatCost } from './badges.js';

/** Ahead/behind main and the dirty mark, from the git status (blank until the first read). */
function GitMarks({ snap }: { snap: InstanceSnapshot }) {
  const g = snap.git;
  if (!g) return <Text dimColor> …</Text>;
  // An instance on an SSH host whose host did not answer (issue 18).
  if (g.reachable === false) return <Text color="red"> host unreachable</Text>;
  if (!g.exists) return <Text color="red"> no worktree</Text>;
  const dirty = g.dirty.staged + g.dirty.unstaged + g.dirty.untracked;
  return (
    <Text>
      {' '}
      <Text color={g.ahead > 0 ? 'green' : undefined} dimColor={g.ahead === 0}>
        ↑{g.ahead}
      </Text>
      <Text color={g.behind > 0 ? 'yellow' : undefined} dimColor={g.behind === 0}>
        ↓{g.behind}
      </Text>
      {dirty > 0 ? <Text color="magenta"> ✱{dirty}</Text> : null}
      {g.operation ? <Text color="red"> {g.operation}!</Text> : null}
    </Text>
  );
}

/** Scope creep: how many files the instance touched outside its role (the list: panel.outside). */
function ScopeBadge({ snap }: { snap: InstanceSnapshot }) {
  const n = snap.scope?.outside.length ?? 0;
  if (n === 0) return null;
  return <Text color="yellow"> ⚑{n} outside</Text>;
}

/** A session fleet-tui did not start (VS Code, a claude run by hand): its own status and cost,
 * marked observed so it is never read as the managed agent. */
function ObservedBadge({ snap }: { snap: InstanceSnapshot }) {
  const o = snap.observed;
  if (!o) return null;
  const style = o.status === 'ended' ? { color: 'gray', glyph: '■' } : STATUS_STYLE[o.status];
  return (
    <Text italic color="magenta">
      {' '}
      + observed{' '}
      <Text color={style.color}>
        {style.glyph} {o.status}
      </Text>
      {o.costUsdToday > 0 ? ` ${formatCost(o.costUsdToday)}` : ''}
    </Text>
  );
}

export function HeaderLine({ snap, number }: { snap: InstanceSnapshot; number: string }) {
  const style = STATUS_STYLE[snap.agent.status];
  const problems = snap.migrationProblems;
  const errors = problems.filter((p) => p.severity === 'error').length;
  // Today's cost from the transcripts (every session in the worktree); before the first reading,
  // what the agent itself reported.
  const cost = snap.usageToday
    ? snap.usageToday.costUsd > 0
      ? `${formatCost(snap.usageToday.costUsd)} today`
      : ''
    : formatCost(snap.agent.costUsd);
  return (
    <Text wrap="truncate-end">
      <Text dimColor>{number} </Text>
      <Text bold>{snap.instance.id}</Text>
      {snap.instance.host ? <Text color="blue">@{snap.instance.host}</Text> : null}{' '}
      <Text color={style.color}>
        {style.glyph} {snap.agent.status}
        {snap.agent.note ? ` (${snap.agent.note})` : ''}
      </Text>
      <ObservedBadge snap={snap} />
      <GitMarks snap={snap} />
      {problems.length > 0 ? (
        <Text color={errors > 0 ? 'red' : 'yellow'} bold>
          {' '}
          ⚠ {problems.length} mig
        </Text>
      ) : null}
      <ScopeBadge snap={snap} />
      {cost ? <Text dimColor> {cost}</Text> : null}
      {snap.busy ? <Text color="cyan"> {snap.busy}…</Text> : null}
    </Text>
  );
}

/** Second header line: what the instance is (role, agent kind, branch). */
export function RoleLine({ snap }: { snap: InstanceSnapshot }) {
  const moved = snap.instance.role !== snap.instance.configRole;
  return (
    <Box>
      <Text wrap="truncate-end">
        <Text color={moved ? 'cyan' : undefined}>{snap.roleTitle}</Text>
        <Text dimColor>
          {' '}
          · {snap.instance.agent} · {snap.instance.branch}
        </Text>
      </Text>
    </Box>
  );
}
