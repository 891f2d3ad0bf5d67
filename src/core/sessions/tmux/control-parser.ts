/**
 * The tmux control-mode protocol (`tmux -C`), read as strictly as tmux writes it. Only tmux may
 * steer this parser: agent text can reach the stream inside a command's reply block, so
 *
 * - a block opens with `%begin <time> <number> <flags>` and closes only with `%end` or `%error`
 *   carrying exactly the same three fields (a guessed guard with any other field is content);
 * - a line inside a block is never interpreted, whatever it looks like;
 * - notifications (`%output`, `%subscription-changed`, …) count only outside blocks.
 *
 * (The backend also keeps pane content out of replies altogether — see backend.ts — so even a
 * guard guessed exactly has nothing to hide in.)
 */

export type ControlMessage =
  | { kind: 'reply'; ok: boolean; lines: string[]; ours: boolean }
  | { kind: 'output'; paneId: string }
  | { kind: 'pane-dead'; paneId: string; dead: boolean; status: number | null }
  | { kind: 'window-close'; windowId: string }
  /** Windows were created, linked, or sessions created/destroyed: the window list may differ. */
  | { kind: 'windows-changed' }
  | { kind: 'session-changed' }
  | { kind: 'exit' };

const BEGIN = /^%begin (\d+) (\d+) (\d+)$/;
const OUTPUT = /^%output (%\d+) /;
// %subscription-changed fleet-dead $<s> @<w> <index> %<p> : <pane_dead> <pane_dead_status>
// (the status is empty until tmux has it, leaving a trailing space).
const DEAD = /^%subscription-changed fleet-dead \$\d+ @\d+ \d+ (%\d+) : ([01]) ?(\d*)$/;
const WINDOW_CLOSE = /^%(?:unlinked-)?window-close (@\d+)$/;
// Another process (`fleet-tui agents start X` in another shell) created or linked a window, or a
// session came or went: the fleet's windows may have changed.
const WINDOWS_CHANGED = /^%(?:(?:unlinked-)?window-add @\d+|sessions-changed)$/;

/** Feed it lines (without `\n`); it returns what each line means, or null for nothing. */
export class ControlParser {
  /** The open block's guard fields (`<time> <number> <flags>`), or null outside blocks. */
  private guard: string | null = null;
  private ours = false;
  private body: string[] = [];

  get inBlock(): boolean {
    return this.guard !== null;
  }

  line(line: string): ControlMessage | null {
    if (this.guard !== null) {
      if (line === `%end ${this.guard}` || line === `%error ${this.guard}`) {
        const msg: ControlMessage = {
          kind: 'reply',
          ok: line.startsWith('%end '),
          lines: this.body,
          ours: this.ours,
        };
        this.guard = null;
        this.body = [];
        return msg;
      }
      this.body.push(line);
      return null;
    }
    const begin = BEGIN.exec(line);
    if (begin) {
      this.guard = `${begin[1]} ${begin[2]} ${begin[3]}`;
      // Flag 1: a command this client sent (0: tmux's own, e.g. the attach itself).
      this.ours = begin[3] === '1';
      return null;
    }
    const out = OUTPUT.exec(line);
    if (out) return { kind: 'output', paneId: out[1]! };
    const dead = DEAD.exec(line);
    if (dead) {
      return {
        kind: 'pane-dead',
        paneId: dead[1]!,
        dead: dead[2] === '1',
        status: dead[3] ? Number(dead[3]) : null,
      };
    }
    const wc = WINDOW_CLOSE.exec(line);
    if (wc) return { kind: 'window-close', windowId: wc[1]! };
    if (WINDOWS_CHANGED.test(line)) return { kind: 'windows-changed' };
    if (line.startsWith('%session-changed ')) return { kind: 'session-changed' };
    if (line === '%exit' || line.startsWith('%exit ')) return { kind: 'exit' };
    return null;
  }
}
