import { writeSync } from 'node:fs';
import { SHARE_ENV, Worker } from 'node:worker_threads';

/**
 * A bound on work that runs code fleet-tui does not control (evaluating fleet.config.ts): if it
 * has not settled by the deadline, the process prints one line and exits 2 — whether the config
 * awaits something that never settles (the main thread is idle) or spins in `while (true) {}`
 * (the main thread never returns to its event loop, so no timer there can fire).
 *
 * The clock runs in a worker thread. At the deadline it asks the main thread (`timeout`); an
 * idle main thread answers (`ack`) and exits. A blocked one cannot, so after a grace period the
 * worker stops the main thread's JavaScript through the in-process inspector
 * (`Runtime.terminateExecution`), disconnects, and says `clear`; the main thread, back in its
 * event loop, then exits. The main thread exits only after `clear`, when no inspector session is
 * attached (node would otherwise wait for "the debugger to disconnect").
 *
 * Cost on the main thread: creating the worker (~2–3 ms); the worker boots on another thread.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
let state = 'waiting';
const clear = () => { state = 'done'; parentPort.postMessage('clear'); };
function terminateMain() {
  state = 'terminating';
  try {
    const inspector = require('node:inspector');
    const session = new inspector.Session();
    session.connectToMainThread();
    session.post('Runtime.terminateExecution', () => { session.disconnect(); clear(); });
  } catch {
    // No inspector in this node build: the message, then the only exit a thread can force.
    require('node:fs').writeSync(2, workerData.message + '\\n');
    process.kill(process.pid, 'SIGKILL');
  }
}
const timer = setTimeout(() => {
  state = 'asked';
  parentPort.postMessage('timeout');
  setTimeout(() => { if (state === 'asked') terminateMain(); }, workerData.graceMs).unref();
}, Math.max(0, workerData.deadline - Date.now()));
parentPort.on('message', (m) => {
  if (m === 'done') { clearTimeout(timer); parentPort.close(); }
  else if (m === 'ack' && state === 'asked') clear();
});
`;

export interface Watchdog {
  /** The guarded work settled: no exit any more. Safe to call twice. */
  stop(): void;
}

export function startWatchdog(opts: {
  ms: number;
  /** The one line printed (to stderr) before exiting 2. */
  message: string;
  graceMs?: number;
}): Watchdog {
  let stopped = false;
  const worker = new Worker(WORKER, {
    eval: true,
    env: SHARE_ENV,
    argv: [],
    execArgv: [],
    workerData: {
      deadline: Date.now() + opts.ms,
      graceMs: opts.graceMs ?? 1000,
      message: opts.message,
    },
  });
  worker.on('message', (m) => {
    if (stopped) return;
    if (m === 'timeout') worker.postMessage('ack');
    else if (m === 'clear') {
      writeSync(2, `${opts.message}\n`);
      process.exit(2);
    }
  });
  // A watchdog that cannot run must not take the command down with it.
  worker.on('error', () => undefined);
  return {
    stop() {
      if (stopped) return;
      stopped = true;
      worker.postMessage('done');
      worker.unref();
    },
  };
}
