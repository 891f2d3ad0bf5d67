/**
 * Output read in one turn of the event loop, all sessions together, before the pipes pause
 * until the next turn. node reads a pipe up to 64 KiB at a time and twelve flooding agents
 * would otherwise fill every turn: with one shared budget a key press (read in the same poll
 * phase) and a frame wait at most for about this much ingest (≈ 2 ms at 64 KiB).
 */
export const INGEST_SLICE = 64 * 1024;

/**
 * Below this much taken since the last reset, no turn is scheduled: agents printing a line at a
 * time would otherwise cost a setImmediate per chunk (12 agents × 50 chunks a second). Bytes of
 * earlier turns thus count towards this turn's slice until a reset: the bound only tightens.
 */
const SMALL = 4 * 1024;

type Pausable = Pick<NodeJS.ReadableStream, 'pause' | 'resume'>;

let taken = 0;
let turnScheduled = false;
const paused = new Set<Pausable>();

function nextTurn(): void {
  turnScheduled = false;
  taken = 0;
  const streams = [...paused];
  paused.clear();
  for (const s of streams) s.resume();
}

/**
 * Count `n` bytes just ingested from `streams` (one agent's pipes). Past the shared slice the
 * streams pause until setImmediate, which runs after the pending I/O of this turn (keys): the
 * agent waits on its own writes instead of the UI waiting on us.
 */
export function ingested(n: number, streams: ReadonlyArray<Pausable | null | undefined>): void {
  taken += n;
  if (taken < SMALL) return;
  if (!turnScheduled) {
    turnScheduled = true;
    setImmediate(nextTurn);
  }
  if (taken < INGEST_SLICE) return;
  for (const s of streams) {
    if (!s || paused.has(s)) continue;
    s.pause();
    paused.add(s);
  }
}
