import { setTimeout as sleep } from 'node:timers/promises';
import { claudeEvents, codexEvents, type SimTool } from './events.js';
import type { SimHooks } from './hooks.js';
import type { Inbox } from './inbox.js';
import type { SimOptions } from './options.js';
import type { SimOutput } from './output.js';
import { pick, TASKS, TEST_OUTPUT, THOUGHTS } from './script.js';
import type { TranscriptWriter } from '../core/insight/transcript-writer.js';
import { turnCall } from './transcript.js';
import type { SimWorkspace } from './workspace.js';

/** What one run of the simulated agent works with, turn after turn. */
export interface SimRun {
  o: SimOptions;
  sessionId: string;
  out: SimOutput;
  hooks: SimHooks;
  ws: SimWorkspace;
  inbox: Inbox;
  /** Where the turn's model call is recorded in the agent's own format (the demo), or null. */
  transcript: TranscriptWriter | null;
}

/**
 * One turn: take a prompt (sent, or a chore from the script), read, edit and test, maybe write
 * migrations, maybe commit, then report the turn. Returns what the turn cost.
 */
export async function runTurn(run: SimRun, turn: number): Promise<number> {
  const { o, out, hooks } = run;
  const prompt = run.inbox.take() ?? pick(TASKS, turn + o.instance.length);
  const started = Date.now();
  await hooks.fire('UserPromptSubmit', { prompt });
  const tools = turnTools(run, turn);
  if (o.kind === 'codex') out.emit(codexEvents.turnStarted());
  out.say(`I'll ${prompt}. ${pick(THOUGHTS, turn)}`);
  await workWithTools(run, turn, prompt, tools);
  if (out.closed) return 0; // nobody reads any more: no migration, no commit
  const files = [run.ws.logFile, ...(await writeMigrations(run, turn))];
  if (turn % o.commitEvery === 0 || files.length > 1) await commitTurn(run, turn, files, prompt);
  const cost = 0.01 + (turn % 5) * 0.003;
  out.say(`Done: ${prompt}.`);
  const tokensIn = 1800 + turn * 10;
  run.transcript?.call(turnCall(turn, tokensIn, 240));
  if (o.kind === 'codex') out.emit(codexEvents.turnCompleted(tokensIn, 240));
  else {
    const ms = Date.now() - started;
    out.emit(claudeEvents.result(run.sessionId, tools.length, ms, cost, tokensIn, 240));
  }
  await hooks.fire('Stop', { stop_hook_active: false, message: `Done: ${prompt}` });
  return cost;
}

/** Every turn reads the log, edits it and runs the tests. */
function turnTools(run: SimRun, turn: number): SimTool[] {
  const file_path = `${run.o.cwd}/${run.ws.logFile}`;
  return [
    { name: 'Read', input: { file_path }, result: `${turn} lines` },
    { name: 'Edit', input: { file_path }, result: 'The file has been updated.' },
    { name: 'Bash', input: { command: 'npm test' }, result: TEST_OUTPUT.join('\n') },
  ];
}

async function workWithTools(run: SimRun, turn: number, prompt: string, tools: SimTool[]) {
  const { o } = run;
  for (const [i, tool] of tools.entries()) {
    if (run.out.closed) return;
    await sleep(o.paceMs);
    if (tool.name === 'Edit') await run.ws.edit(`turn ${turn}: ${prompt}`);
    if (tool.name === 'Bash' && o.permissionEvery > 0 && turn % o.permissionEvery === 0)
      await askPermission(run);
    run.out.callTool(`toolu_${turn}_${i}`, tool);
    await run.hooks.fire('PostToolUse', { tool_name: tool.name });
  }
}

/** Like a real agent: the question on screen, the permission hook, then wait for y/n. */
async function askPermission(run: SimRun): Promise<void> {
  const { o, out } = run;
  out.write(`\x1b[33m? Allow Bash(npm test)? answer y/n (agents send ${o.instance} y)\x1b[39m\n`);
  await run.hooks.fire('Notification', {
    message: 'Claude needs your permission to use Bash',
    notification_type: 'permission_prompt',
  });
  const answer = await run.inbox.next(o.permissionWaitMs);
  out.write(`\x1b[2m  permission: ${answer ?? 'timed out, approving'}\x1b[22m\n`);
}

/** The colliding migration (first turn, `--collide`) and the banded one (`--migrate-every`). */
async function writeMigrations(run: SimRun, turn: number): Promise<string[]> {
  const { o, out, ws } = run;
  const files: string[] = [];
  if (o.collide && turn === 1) {
    const rel = await ws.collidingMigration();
    const input = { file_path: `${o.cwd}/${rel}` };
    out.callTool(`toolu_${turn}_m`, { name: 'Write', input, result: 'File created.' });
    files.push(rel);
  }
  if (o.migrateEvery > 0 && turn % o.migrateEvery === 0) {
    const name = `${o.instance.replace(/-/g, '_')}_turn_${turn}`;
    const res = await ws.newMigration(name);
    out.callTool(`toolu_${turn}_n`, {
      name: 'Bash',
      input: { command: `fleet-tui migrations new ${o.instance} ${name}` },
      result: res.text,
      isError: !res.ok,
    });
    if (res.file) files.push(res.file);
  }
  return files;
}

async function commitTurn(run: SimRun, turn: number, files: string[], prompt: string) {
  await sleep(run.o.paceMs);
  const res = await run.ws.commit(files, `${run.o.instance}: ${prompt}`);
  run.out.callTool(`toolu_${turn}_c`, {
    name: 'Bash',
    input: { command: 'git commit' },
    result: res.text,
    isError: !res.ok,
  });
}
