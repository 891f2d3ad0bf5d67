/**
 * Band scheme: an instance owns the HHMMSS slots `start, start + step, …` below the next
 * instance's band start (the last band ends at 240000). Slots are decimal additions on the
 * six digits, as in the article (001000, 001500, 002000, …), not clock arithmetic.
 */
const DAY_END = 240000;

export interface Band {
  start: number;
  end: number;
}

export function pad6(n: number): string {
  return String(n).padStart(6, '0');
}

/** `[its band start, the next band start)` among all configured bands. */
export function bandOf(band: string, allBands: readonly string[]): Band {
  const start = Number(band);
  let end = DAY_END;
  for (const b of allBands) {
    const n = Number(b);
    if (n > start && n < end) end = n;
  }
  return { start, end };
}

/** The HHMMSS part of a YYYYMMDDHHMMSS version; null for versions of other shapes. */
function timeOf(version: string): number | null {
  return /^[0-9]{14}$/.test(version) ? Number(version.slice(8)) : null;
}

export function inBand(version: string, band: Band): boolean {
  const t = timeOf(version);
  return t !== null && t >= band.start && t < band.end;
}

/** UTC date as YYYYMMDD. */
export function utcDay(date: Date = new Date()): string {
  return date.toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * The lowest slot of the band above every version of that band and day in `versions`; null
 * when the band is full for that day.
 */
export function nextSlot(
  day: string,
  band: Band,
  step: number,
  versions: Iterable<string>,
): string | null {
  let max = -1;
  for (const v of versions) {
    if (!v.startsWith(day)) continue;
    const t = timeOf(v);
    if (t !== null && t >= band.start && t < band.end && t > max) max = t;
  }
  const slot =
    max < band.start ? band.start : band.start + (Math.floor((max - band.start) / step) + 1) * step;
  return slot < band.end ? `${day}${pad6(slot)}` : null;
}
