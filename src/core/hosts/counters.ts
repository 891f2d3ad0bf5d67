/**
 * Connections per host, counted in-process: `sessions` are the SSH sessions (one per remote
 * command or git fetch/push, each a channel over the shared connection — what `land --json`
 * reports as hostConnections), `masters` the TCP connections this process opened itself (zero
 * when ControlPersist kept one from an earlier run).
 */
export interface HostCount {
  sessions: number;
  masters: number;
}

const counts = new Map<string, HostCount>();

function of(host: string): HostCount {
  let c = counts.get(host);
  if (!c) {
    c = { sessions: 0, masters: 0 };
    counts.set(host, c);
  }
  return c;
}

export function countSession(host: string): void {
  of(host).sessions++;
}

export function countMaster(host: string): void {
  of(host).masters++;
}

/** A copy of every host's counts now (take one before and one after, and subtract). */
export function hostCounts(): Map<string, HostCount> {
  return new Map([...counts].map(([h, c]) => [h, { ...c }]));
}

/** Sessions per host between two `hostCounts()` snapshots, for the hosts listed. */
export function sessionsSince(
  before: Map<string, HostCount>,
  hosts: readonly string[],
): Record<string, number> {
  const now = hostCounts();
  return Object.fromEntries(
    hosts.map((h) => [h, (now.get(h)?.sessions ?? 0) - (before.get(h)?.sessions ?? 0)]),
  );
}
