import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { cleanLine } from '../output/ansi.js';
import { capLine } from '../output/cap-line.js';
import type { ControlClient } from './control.js';

type Run = (args: string[]) => Promise<{ ok: boolean; stdout: string }>;

/**
 * Reads a pane's screen (`capture-pane -e`: tmux has already emulated the terminal, colours
 * come as SGR). Pane text is the agent's: through the control client it travels through a file
 * in a private directory, never inside a reply block, so it cannot forge the protocol whatever
 * it prints (see control-parser.ts). Without a control client, `tmux capture-pane -p`'s stdout
 * carries nothing else. Either way only SGR survives (cleanLine) and lines are capped.
 */
export class PaneCapturer {
  private dir: string | null = null;
  private seq = 0;

  constructor(private readonly run: Run) {}

  /** `history` lines of scrollback come first when asked for (a dead pane's last words may
   * have scrolled off: tmux 3.3 scrolls when it writes its "Pane is dead" line). */
  async capture(
    control: ControlClient | null,
    paneId: string,
    history = 0,
  ): Promise<string[] | null> {
    let text: string | null;
    const from = history > 0 ? ` -S -${Math.floor(history)}` : '';
    const dir = control ? this.directory() : null;
    if (control && dir) {
      // One name per capture: two captures of a pane in flight (a scheduled one and a dead
      // pane's last words) must not read each other's buffer.
      const n = ++this.seq;
      const buffer = `fleet-capture-${process.pid}-${paneId.slice(1)}-${n}`;
      const file = path.join(dir, `${paneId.slice(1)}-${n}.txt`);
      const [cap, save] = await Promise.all([
        control.command(`capture-pane -e${from} -b ${buffer} -t ${paneId}`),
        control.command(`save-buffer -b ${buffer} '${file}'`),
        control.command(`delete-buffer -b ${buffer}`),
      ]);
      if (!cap.ok || !save.ok) return null;
      text = await readFile(file, 'utf8').catch(() => null);
      await rm(file, { force: true });
      if (text === null) return null;
    } else {
      const res = await this.run([
        'capture-pane',
        '-p',
        '-e',
        ...from.trim().split(' ').filter(Boolean),
        '-t',
        paneId,
      ]);
      if (!res.ok) return null;
      text = res.stdout;
    }
    const lines = text.split('\n').map((l) => capLine(cleanLine(l)));
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    return lines;
  }

  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }

  /** The private (0700) directory for capture files. Its path goes into tmux commands in single
   * quotes, so it must hold no quote: else /tmp is used. */
  private directory(): string | null {
    if (this.dir) return this.dir;
    for (const base of [os.tmpdir(), '/tmp']) {
      if (!/^[A-Za-z0-9_./-]+$/.test(base)) continue;
      try {
        this.dir = mkdtempSync(path.join(base, 'fleet-tui-capture-'));
        return this.dir;
      } catch {
        // try the next
      }
    }
    return null;
  }
}
