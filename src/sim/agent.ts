import path from 'node:path';
import { createInterface } from 'node:readline';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AgentEventParser } from '../core/sessions/parsers/events.js';
import { claudeEvents, codexEvents, type SimTool } from './events.js';
import { SimHooks } from './hooks.js';
import { pick, TASKS, TEST_OUTPUT, THOUGHTS } from './script.js';
import { SimWorkspace } from './workspace.js';
import { hostileOutput } from './hostile.js';

export interface SimOptions {
  instance: string;
  kind: 'claude' | 'codex' | 'plain';
  /** json: the agent's machine-readable events; text: rendered lines with colours. */
  format: 'json' | 'text';
  paceMs: number;
  idleMs: number;
  /** Benchmark mode: this many timestamped lines per second, nothing else. */
  rate: number | null;
  durationMs: number | null;
  collide: boolean;
  /** Every N turns, create a migration in the instance's band with `fleet-tui migrations new` (0 = never). */
  migrateEvery: number;
  commitEvery: number;
  permissionEvery: number;
  permissionWaitMs: number;
  crashAfterMs: number | null;
  exitAfterTurns: number | null;
  resume: string | null;
  notify: string[] | null;
  hostile: boolean;
  migrationsDir: string;
  cwd: string;
}

/** A stand-in coding agent for the demo and the tests. It says so in its first line. */
export async function runSimAgent(o: SimOptions): Promise<number> {
  const sessionId = o.resume ?? randomUUID();
  const renderer = new AgentEventParser(o.cwd);
  const write = (s: string | Uint8Array) => process.stdout.write(s);
  const emit = (ev: Record<string, unknown>) => {
    if (o.format === 'json' && o.kind !== 'plain') write(`${JSON.stringify(ev)}\n`);
    else renderer.feed(JSON.stringify(ev), (line) => write(`${line}\n`));
  };
  process.stdout.on('error', () => process.exit(0)); // reader gone: end quietly
  if (o.crashAfterMs !== null) setTimeout(() => process.exit(3), o.crashAfterMs).unref();
  if (o.hostile) {
    await hostileOutput(write);
    return 0;
  }
  if (o.rate !== null) return rateMode(o, sessionId, emit);

  const hooks = new SimHooks(o.kind, o.cwd, o.notify, sessionId);
  const ws = new SimWorkspace(o.cwd, o.instance, o.migrationsDir);
  const inbox: string[] = [];
  let wake: (() => void) | null = null;
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (l) => {
    if (!l.trim()) return;
    inbox.push(l);
    wake?.();
  });
  const waitInput = (ms: number) =>
    new Promise<string | null>((resolve) => {
      if (inbox.length) return resolve(inbox.shift()!);
      const t = setTimeout(() => ((wake = null), resolve(null)), ms);
      wake = () => (clearTimeout(t), (wake = null), resolve(inbox.shift() ?? null));
    });
  const step = () => sleep(o.paceMs);

  write(
    `\x1b[2m[fleet-tui sim-agent: a SIMULATED ${o.kind} agent for ${o.instance}${o.resume ? `, resuming ${o.resume}` : ''}]\x1b[22m\n`,
  );
  if (o.kind === 'codex') emit(codexEvents.threadStarted(sessionId));
  else emit(claudeEvents.init(sessionId, o.cwd));
  await hooks.fire('SessionStart', { source: o.resume ? 'resume' : 'startup' });

  let cost = 0;
  for (let turn = 1; ; turn++) {
    const prompt = inbox.shift() ?? pick(TASKS, turn + o.instance.length);
    const started = Date.now();
    await hooks.fire('UserPromptSubmit', { prompt });
    const tools: SimTool[] = [
      { name: 'Read', input: { file_path: `${o.cwd}/${ws.logFile}` }, result: `${turn} lines` },
      {
        name: 'Edit',
        input: { file_path: `${o.cwd}/${ws.logFile}` },
        result: 'The file has been updated.',
      },
      { name: 'Bash', input: { command: 'npm test' }, result: TEST_OUTPUT.join('\n') },
    ];
    if (o.kind === 'codex') emit(codexEvents.turnStarted());
    say(o, emit, sessionId, `I'll ${prompt}. ${pick(THOUGHTS, turn)}`);
    for (const [i, tool] of tools.entries()) {
      await step();
      if (tool.name === 'Edit') await ws.edit(`turn ${turn}: ${prompt}`);
      if (tool.name === 'Bash' && o.permissionEvery > 0 && turn % o.permissionEvery === 0) {
        write(`\x1b[33m? Allow Bash(npm test)? answer y/n (agents send ${o.instance} y)\x1b[39m\n`);
        await hooks.fire('Notification', {
          message: 'Claude needs your permission to use Bash',
          notification_type: 'permission_prompt',
        });
        const answer = await waitInput(o.permissionWaitMs);
        write(`\x1b[2m  permission: ${answer ?? 'timed out, approving'}\x1b[22m\n`);
      }
      callTool(o, emit, sessionId, `toolu_${turn}_${i}`, tool);
      await hooks.fire('PostToolUse', { tool_name: tool.name });
    }
    const files = [ws.logFile];
    if (o.collide && turn === 1) {
      const rel = await ws.collidingMigration();
      callTool(o, emit, sessionId, `toolu_${turn}_m`, {
        name: 'Write',
        input: { file_path: `${o.cwd}/${rel}` },
        result: 'File created.',
      });
      files.push(rel);
    }
    if (o.migrateEvery > 0 && turn % o.migrateEvery === 0) {
      const name = `${o.instance.replace(/-/g, '_')}_turn_${turn}`;
      const res = await ws.newMigration(name);
      const tool: SimTool = {
        name: 'Bash',
        input: { command: `fleet-tui migrations new ${o.instance} ${name}` },
        result: res.text,
        isError: !res.ok,
      };
      callTool(o, emit, sessionId, `toolu_${turn}_n`, tool);
      if (res.file) files.push(res.file);
    }
    if (turn % o.commitEvery === 0 || files.length > 1) {
      await step();
      const res = await ws.commit(files, `${o.instance}: ${prompt}`);
      callTool(o, emit, sessionId, `toolu_${turn}_c`, {
        name: 'Bash',
        input: { command: 'git commit' },
        result: res.text,
        isError: !res.ok,
      });
    }
    const turnCost = 0.01 + (turn % 5) * 0.003;
    cost += turnCost;
    say(o, emit, sessionId, `Done: ${prompt}.`);
    if (o.kind === 'codex') emit(codexEvents.turnCompleted(1800 + turn * 10, 240));
    else
      emit(
        claudeEvents.result(
          sessionId,
          tools.length,
          Date.now() - started,
          turnCost,
          1800 + turn * 10,
          240,
        ),
      );
    await hooks.fire('Stop', { stop_hook_active: false, message: `Done: ${prompt}` });
    if (o.exitAfterTurns !== null && turn >= o.exitAfterTurns) break;
    await waitInput(o.idleMs).then((l) => (l !== null ? inbox.unshift(l) : undefined));
  }
  rl.close();
  process.stdin.destroy(); // a piped stdin would keep the process alive
  write(`\x1b[2m[sim-agent ${o.instance}: finished, total $${cost.toFixed(4)}]\x1b[22m\n`);
  return 0;
}

function say(
  o: SimOptions,
  emit: (e: Record<string, unknown>) => void,
  sid: string,
  text: string,
): void {
  emit(o.kind === 'codex' ? codexEvents.message(text) : claudeEvents.text(sid, text));
}

function callTool(
  o: SimOptions,
  emit: (e: Record<string, unknown>) => void,
  sid: string,
  id: string,
  tool: SimTool,
): void {
  if (o.kind !== 'codex') {
    emit(claudeEvents.toolUse(sid, id, tool));
    emit(claudeEvents.toolResult(sid, id, tool));
  } else if (tool.name === 'Edit' || tool.name === 'Write') {
    emit(
      codexEvents.fileChange(tool.input.file_path ?? '?', tool.name === 'Write' ? 'add' : 'update'),
    );
  } else {
    const command =
      tool.input.command ?? `cat ${path.relative(o.cwd, tool.input.file_path ?? '.')}`;
    for (const ev of codexEvents.command(command, tool.result, tool.isError ? 1 : 0)) emit(ev);
  }
}

/** `--rate N`: N lines a second, each stamped `t=<epoch ms>` so a reader can measure lag. */
async function rateMode(
  o: SimOptions,
  sid: string,
  emit: (e: Record<string, unknown>) => void,
): Promise<number> {
  const start = Date.now();
  let sent = 0;
  for (;;) {
    const now = Date.now();
    if (o.durationMs !== null && now - start >= o.durationMs) return 0;
    const due = Math.floor(((now - start) / 1000) * o.rate!) - sent;
    for (let i = 0; i < due; i++) {
      const text = `t=${now} seq=${++sent} ${o.instance} lorem ipsum dolor sit amet`;
      emit(o.kind === 'codex' ? codexEvents.message(text) : claudeEvents.text(sid, text));
    }
    await sleep(10);
  }
}
