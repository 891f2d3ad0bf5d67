#!/usr/bin/env node
// The load for figures 2 and 3: prints RATE lines a second for DURATION seconds, each line
// stamped with the wall-clock millisecond it was written (`@` + 8 base-36 digits), so the probe
// can tell when that line reaches the screen. fleet-tui runs it as an exec agent; the tmux
// baseline runs the same script in its panes, so both get the same streams.
// Usage: printer.js ID GOFILE — waits for GOFILE to hold {"start", "rate", "durationS"}
// (start = wall-clock ms), so every stream of a run starts at the same instant; each new
// `start` written there later starts another stream (one process serves several windows).
import { existsSync, readFileSync } from 'node:fs';

const [id = 'x', goFile = ''] = process.argv.slice(2);
const WORDS = [
  'Edit',
  'src/app.ts',
  'Bash',
  'npm',
  'test',
  'passed',
  'reading',
  'lib/core.dart',
  'migration',
  'ok',
  'diff',
  '+12',
  '-3',
  'tool_use',
  'Grep',
  'TODO',
  'done',
  'build',
  'lint',
];
const COLORS = ['\x1b[32m', '\x1b[33m', '\x1b[36m', '\x1b[35m', '\x1b[90m'];
const parent = process.ppid;
let seq = 0;

function line(now) {
  seq += 1;
  // Stamp first: panes are narrow and the stamp must stay visible after truncation.
  let text = `@${now.toString(36)} ${id} ${COLORS[seq % COLORS.length]}#${seq}\x1b[0m`;
  const words = 4 + ((seq * 7) % 14);
  for (let w = 0; w < words; w++) text += ` ${WORDS[(seq + w * 5) % WORDS.length]}`;
  return `${text}\n`;
}

let busy = false;
let lastStart = 0;

let stopped = false;
let ticking = null;

function run({ start, rate, durationS }) {
  busy = true;
  const durationMs = durationS * 1000;
  const total = Math.floor(durationS * rate);
  let printed = 0;
  const tick = () => {
    ticking = null;
    if (stopped) return;
    const now = Date.now();
    const due = Math.min(Math.floor(((now - start) * rate) / 1000), total);
    let chunk = '';
    for (; printed < due; printed++) chunk += line(now);
    if (chunk) process.stdout.write(chunk);
    if (now - start < durationMs) ticking = setTimeout(tick, 10);
    else busy = false;
  };
  ticking = setTimeout(tick, Math.max(0, start - Date.now()));
}

const polling = setInterval(() => {
  if (busy || !existsSync(goFile)) return;
  let go;
  try {
    go = JSON.parse(readFileSync(goFile, 'utf8'));
  } catch {
    return; // being written
  }
  if (go.start === lastStart) return;
  lastStart = go.start;
  run(go);
}, 20);
// Stay alive after the stream (an exiting agent would change what is measured), but never
// outlive the program that started us.
const watching = setInterval(() => {
  if (process.ppid !== parent) stop();
}, 500);

/**
 * The pane or pipe went away (or the program that started us): end without process.exit().
 * On a pipe: clear every timer, drop what stdout still holds, exit code 0 once the loop is dry.
 * On a terminal that is gone, any exit path of node 20 aborts — at exit it restores the
 * terminal's mode and treats the failing tcsetattr as fatal, and the abort's backtrace is what
 * segfaulted in libgcc_s ("segfault at a0", dozens per benchmark run) — so die of SIGHUP, as a
 * program without handlers does when its terminal hangs up: nothing of node's exit runs.
 * SIGTERM and SIGHUP themselves have no handler: their default action is that clean death.
 */
function stop() {
  if (stopped) return;
  stopped = true;
  process.exitCode = 0;
  clearInterval(polling);
  clearInterval(watching);
  if (ticking) clearTimeout(ticking);
  if (process.stdout.isTTY) process.kill(process.pid, 'SIGHUP');
  process.stdout.destroy();
}
process.stdout.on('error', stop);
