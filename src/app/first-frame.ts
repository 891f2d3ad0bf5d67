import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/types.js';
import { locateGitDirs } from '../core/git/locate.js';
import { fleetDir } from '../core/git/repo.js';
import { writeFileAtomic } from '../core/state/atomic.js';

/**
 * The grid's first frame, before React, Ink and Yoga are loaded. The first frame Ink draws is
 * made from the config alone (no agent, git status or migration fact has arrived yet), so it is
 * the same every start with the same config, terminal size, colour settings and UI build. Its
 * rows are kept in the git common dir (`fleet-tui/first-frame.json`, beside the config cache);
 * the next start with the same inputs writes them as soon as the config is loaded, and the output
 * stage starts from them, so Ink's first frame rewrites only rows that differ (none, normally:
 * nothing flickers). Any other input (a config edit, a resize, another build) draws nothing
 * early, and the frame Ink draws is kept for next time.
 */
const VERSION = 1;
const FILE = 'first-frame.json';
const BUNDLE = new URL('./run-tui.bundle.js', import.meta.url);

const ENTER_ALT = '\x1b[?1049h\x1b[H';
const HIDE_CURSOR = '\x1b[?25l';
const BSU = '\x1b[?2026h';
const ESU = '\x1b[?2026l';

interface Stored {
  version: number;
  key: string;
  rows: string[];
}

export interface FirstFrame {
  /** Identifies the inputs: config, size, colour settings, UI build. */
  key: string;
  file: string;
  /** The rows drawn early, or null (nothing was drawn: no frame kept for these inputs). */
  drawn: string[] | null;
}

/**
 * The UI build the frame was drawn by (the bundle's size and time), or null where the bundle is
 * not what will draw: React's development build asked for, or a tsc-only build (see open-tui).
 */
function buildTag(): string | null {
  const env = process.env.NODE_ENV;
  if (env !== undefined && env !== 'production') return null;
  try {
    const s = statSync(BUNDLE);
    return `${s.size}:${s.mtimeMs}`;
  } catch {
    return null;
  }
}

const COLOUR_ENV = ['TERM', 'COLORTERM', 'NO_COLOR', 'FORCE_COLOR', 'CI', 'TERM_PROGRAM'];

export function firstFrameKey(
  config: ResolvedConfig,
  cols: number,
  rows: number,
  build: string,
): string {
  const env = COLOUR_ENV.map((k) => `${k}=${process.env[k] ?? ''}`).join('\n');
  return createHash('sha256')
    .update(`${VERSION}\n${build}\n${cols}x${rows}\n${env}\n${JSON.stringify(config)}`)
    .digest('hex');
}

/** The escape sequences that draw `rows` on a fresh alternate screen, as the stage does. */
export function frameBytes(rows: readonly string[]): string {
  let s = ENTER_ALT + HIDE_CURSOR + BSU;
  rows.forEach((row, r) => (s += `\x1b[${r + 1};1H\x1b[0m\x1b[2K${row}`));
  return s + ESU;
}

/**
 * Draw the kept first frame now if it was made from the same inputs. Returns what the TUI needs
 * to go on from it (null: no early frame is possible here — no bundle, no repository, not a TTY,
 * React's development build asked for).
 */
export function drawFirstFrame(
  config: ResolvedConfig,
  out: Pick<NodeJS.WriteStream, 'isTTY' | 'columns' | 'rows' | 'write'>,
  /** Tests: the terminal's input side, and the UI build (default: the bundle's size and time). */
  o: { stdin?: { isTTY?: boolean }; build?: string | null } = {},
): FirstFrame | null {
  if (!out.isTTY || !(o.stdin ?? process.stdin).isTTY || !out.columns || !out.rows) return null;
  const build = o.build === undefined ? buildTag() : o.build;
  const dirs = locateGitDirs(config.rootDir);
  if (!build || !dirs) return null;
  const file = path.join(fleetDir(dirs.commonDir), FILE);
  const key = firstFrameKey(config, out.columns, out.rows, build);
  let stored: Stored | null = null;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Stored;
  } catch {
    // none kept yet, or unreadable: drawn by Ink as before
  }
  const hit =
    stored?.version === VERSION &&
    stored.key === key &&
    Array.isArray(stored.rows) &&
    stored.rows.every((r) => typeof r === 'string');
  if (!hit) return { key, file, drawn: null };
  out.write(frameBytes(stored!.rows));
  return { key, file, drawn: stored!.rows };
}

/** Back to the person's screen when the TUI did not get as far as to take it over. */
export function leaveFirstFrame(out: NodeJS.WriteStream): void {
  out.write('\x1b[?25h\x1b[?1049l');
}

/** Keep Ink's first frame for the next start (when it is not what was drawn early). */
export async function keepFirstFrame(first: FirstFrame, rows: readonly string[]): Promise<void> {
  if (
    first.drawn &&
    first.drawn.length === rows.length &&
    first.drawn.every((r, i) => r === rows[i])
  )
    return;
  const data: Stored = { version: VERSION, key: first.key, rows: [...rows] };
  try {
    await writeFileAtomic(first.file, JSON.stringify(data));
  } catch {
    // Only a faster next start is lost.
  }
}
