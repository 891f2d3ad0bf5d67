import { UsageError } from '../errors.js';

/** A range of whole local days, as `--since`/`--until` give it (ccusage counts local days too). */
export interface DayRange {
  since: string;
  until: string;
  /** First millisecond of `since`, local time. */
  fromMs: number;
  /** First millisecond after `until`, local time. */
  toMs: number;
}

const DAY_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `YYYY-MM-DD` of a time, in local time. */
export function dayOf(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

function startOf(day: string, flag: string): Date {
  const m = DAY_RE.exec(day);
  const d = m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  // new Date(2026, 1, 30) rolls over to March: a date that does not round-trip is not a date.
  if (!d || dayOf(d) !== day)
    throw new UsageError(
      `${flag} ${JSON.stringify(day)}: not a date; use YYYY-MM-DD, e.g. ${dayOf(new Date())}`,
    );
  return d;
}

/**
 * The days from `since` to `until`, both included. Defaults: `until` today, `since` the first day
 * of `until`'s month (or `defaultSince` when given). Bad input → UsageError (exit 2).
 */
export function dayRange(
  opts: { since?: string; until?: string },
  now = new Date(),
  defaultSince?: (until: Date) => Date,
): DayRange {
  const untilStart = opts.until ? startOf(opts.until, '--until') : startOf(dayOf(now), '--until');
  const sinceStart = opts.since
    ? startOf(opts.since, '--since')
    : (defaultSince?.(untilStart) ?? new Date(untilStart.getFullYear(), untilStart.getMonth(), 1));
  if (sinceStart > untilStart)
    throw new UsageError(
      `--since ${dayOf(sinceStart)} is after --until ${dayOf(untilStart)}: give the earlier day first`,
    );
  const after = new Date(untilStart.getFullYear(), untilStart.getMonth(), untilStart.getDate() + 1);
  return {
    since: dayOf(sinceStart),
    until: dayOf(untilStart),
    fromMs: sinceStart.getTime(),
    toMs: after.getTime(),
  };
}

export function todayRange(now = new Date()): DayRange {
  return dayRange({}, now, (u) => u);
}
