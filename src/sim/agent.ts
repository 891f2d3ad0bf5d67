import { randomUUID } from 'node:crypto';
import { claudeEvents, codexEvents } from './events.js';
import { SimHooks } from './hooks.js';
import { hostileOutput } from './hostile.js';
import { Inbox } from './inbox.js';
import type { SimOptions } from './options.js';
import { SimOutput } from './output.js';
import { rateMode } from './rate.js';
import { runTurn, type SimRun } from './turn.js';
import { simTranscript } from './transcript.js';
import { SimWorkspace } from './workspace.js';

/** A stand-in coding agent for the demo and the tests. It says so in its first line. */
export async function runSimAgent(o: SimOptions): Promise<number> {
  const sessionId = o.resume ?? randomUUID();
  const out = new SimOutput(o, sessionId);
  const inbox = o.hostile || o.rate !== null ? null : new Inbox();
  // Reader gone (pane closed, pipe broken): end quietly by winding down — the loops see
  // `out.closed`, the inbox stops waiting — and letting the event loop run dry. Not
  // process.exit() here: node's exit path crashed (segfaults in libgcc_s), and on a terminal
  // that is gone any exit of node 20 aborts (see bench/printer.js), so there it dies of SIGHUP
  // as it would with no handler. The timer is a backstop only (unref'd: it keeps nothing alive).
  process.stdout.on('error', () => {
    if (out.closed) return;
    if (process.stdout.isTTY) process.kill(process.pid, 'SIGHUP');
    out.close();
    inbox?.close();
    process.exitCode = 0;
    setTimeout(() => process.exit(0), 5_000).unref();
  });
  const crashLater = () => {
    if (o.crashAfterMs !== null) setTimeout(() => process.exit(3), o.crashAfterMs).unref();
  };
  if (o.hostile || o.rate !== null) crashLater();
  if (o.hostile) {
    await hostileOutput(out.write);
    return 0;
  }
  if (o.rate !== null) return rateMode({ ...o, rate: o.rate }, out);
  return converse({
    o,
    sessionId,
    out,
    // A conversational agent crashes mid-conversation: the clock starts once its conversation
    // is on disk, so a restart can resume it however slow the start was.
    hooks: new SimHooks(o.kind, o.cwd, o.notify, sessionId, crashLater),
    ws: new SimWorkspace(o.cwd, o.instance, o.migrationsDir),
    inbox: inbox!,
    transcript: simTranscript(o, sessionId),
  });
}

/** Turn after turn until `--exit-after` (or forever), idling between turns for the next prompt. */
async function converse(run: SimRun): Promise<number> {
  const { o, out } = run;
  const resuming = o.resume ? `, resuming ${o.resume}` : '';
  out.write(
    `\x1b[2m[fleet-tui sim-agent: a SIMULATED ${o.kind} agent for ${o.instance}${resuming}]\x1b[22m\n`,
  );
  if (o.kind === 'codex') out.emit(codexEvents.threadStarted(run.sessionId));
  else out.emit(claudeEvents.init(run.sessionId, o.cwd));
  await run.hooks.fire('SessionStart', { source: o.resume ? 'resume' : 'startup' });
  let cost = 0;
  for (let turn = 1; !out.closed; turn++) {
    cost += await runTurn(run, turn);
    if (o.exitAfterTurns !== null && turn >= o.exitAfterTurns) break;
    await run.inbox.idle(o.idleMs);
  }
  run.inbox.close();
  out.write(`\x1b[2m[sim-agent ${o.instance}: finished, total $${cost.toFixed(4)}]\x1b[22m\n`);
  return 0;
}
