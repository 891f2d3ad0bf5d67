import { watch } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import stripAnsi from 'strip-ansi';
import {
  SessionManager,
  LineSplitter,
  AgentEventParser,
  eventFilePath,
} from '../../core/sessions/index.js';
import { outputLogPath } from '../../core/sessions/exec/output-log.js';
import { capLine } from '../../core/sessions/output/cap-line.js';
import { loadFleetConfig } from '../context.js';
import { out, outKeepingColours } from '../output.js';

// Lines are clean already (SGR only); an unparsable JSON-looking line may still be long.
const print = (line: string) => {
  const l = capLine(line);
  if (process.stdout.isTTY) outKeepingColours(l);
  else out(stripAnsi(l));
};

/** Read the exec agent's raw output log from `from`, rendered through the same parser. */
async function readLog(file: string, from: number, feed: LineSplitter): Promise<number> {
  const fh = await open(file, 'r').catch(() => null);
  if (!fh) return from;
  try {
    const { size } = await fh.stat();
    const start = size < from ? 0 : from;
    if (size > start) {
      const buf = Buffer.alloc(size - start);
      await fh.read(buf, 0, buf.length, start);
      feed.write(buf);
    }
    return size;
  } finally {
    await fh.close();
  }
}

async function tailExec(file: string, lines: number, follow: boolean): Promise<void> {
  const parser = new AgentEventParser();
  const backlog: string[] = [];
  const splitter = new LineSplitter((l) => parser.feed(l, (r) => backlog.push(r)));
  const size = await stat(file)
    .then((s) => s.size)
    .catch(() => 0);
  // Roughly enough bytes for N lines; JSON events are long.
  let offset = await readLog(
    file,
    Math.max(0, size - Math.max(256 * 1024, lines * 2048)),
    splitter,
  );
  for (const l of backlog.slice(-lines)) print(l);
  if (!follow) return;
  const live = new LineSplitter((l) => parser.feed(l, print));
  await new Promise<void>(() => {
    const w = watch(file, () => void readLog(file, offset, live).then((o) => (offset = o)));
    process.once('SIGINT', () => (w.close(), process.exit(0)));
  });
}

async function tailTmux(
  mgr: SessionManager,
  id: string,
  lines: number,
  follow: boolean,
): Promise<void> {
  let following = false;
  try {
    await mgr.adopt([id]);
    const s = mgr.session(id);
    // The first capture of an adopted window is on its way: wait for it (briefly).
    for (let i = 0; i < 40 && s.version === 0; i++) await new Promise((r) => setTimeout(r, 25));
    let shown = s.tail(lines);
    for (const l of shown) print(l);
    if (!follow) return;
    s.on('output', () => {
      const now = s.tail(lines);
      // Print what is new below the last line we showed (the screen scrolled or grew).
      const last = shown[shown.length - 1];
      const at = last === undefined ? -1 : now.lastIndexOf(last);
      for (const l of at >= 0 ? now.slice(at + 1) : now) print(l);
      shown = now;
    });
    following = true;
  } finally {
    // Whatever happened (tmux gone, a window error), what was opened is closed.
    if (!following) mgr.dispose();
  }
  await new Promise<void>(() => process.once('SIGINT', () => (mgr.dispose(), process.exit(0))));
}

export function registerAgentsTail(agents: Command): void {
  agents
    .command('tail <id>')
    .description("print an agent's recent output (--follow keeps printing)")
    .option('-f, --follow', 'keep printing new output until Ctrl-C')
    .option(
      '-n, --lines <n>',
      'how many lines',
      (v: string) => {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1)
          throw new InvalidArgumentError('--lines must be a whole number ≥ 1');
        return n;
      },
      40,
    )
    .action(async (id: string, o: { follow?: boolean; lines: number }, c: Command) => {
      // `agents tail ID | head`: the reader leaving is a normal end, not an error.
      process.stdout.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'EPIPE') process.exit(0);
      });
      const cfg = await loadFleetConfig(c);
      // Read-only: tailing writes no agent state (issue 14 item 4).
      const mgr = new SessionManager(cfg, { readOnly: true });
      const s = mgr.session(id);
      if (s.backend === 'tmux') return tailTmux(mgr, id, o.lines, o.follow === true);
      mgr.dispose();
      await tailExec(outputLogPath(eventFilePath(mgr.commonDir, id)), o.lines, o.follow === true);
    });
}
