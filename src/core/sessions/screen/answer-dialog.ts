import { bottomLines, permissionAnswers, type ScreenAgent } from './patterns.js';

/**
 * Answering an agent's permission dialog so that the agent really takes the answer, and never a
 * dialog the person did not see.
 *
 * Why not just press the key: Claude Code (2.1.332, read from its bundle and seen in CI) drops a
 * key it reads less than 150 ms after the dialog was painted — as *it* measures the paint, which on
 * a loaded machine is well after tmux shows the frame — or before it, so a careless first press
 * does not approve. The key is dropped silently: the dialog just stays. So:
 *   1. the dialog must be steady: the same dialog on two reads `steadyMs` apart (a dialog that was
 *      just drawn is not yet taking keys; one that changes is not the one the person saw);
 *   2. after pressing, the dialog must leave the screen within `takeMs`;
 *   3. if the very same dialog is still there, the key was dropped: press once more (the screen
 *      still shows exactly what the person answered), then give up and say so.
 */
export interface DialogTimings {
  /** Two reads this far apart must show the same dialog before a key is pressed. */
  steadyMs: number;
  /** Give up waiting for a steady dialog after this long (nothing is pressed). */
  settleMaxMs: number;
  /** After a press, how long the dialog has to leave the screen. */
  takeMs: number;
  /** How often the screen is read while waiting. */
  pollMs: number;
  /** Presses at most (the first, and one more when the agent dropped it). */
  presses: number;
}

export const DIALOG_TIMINGS: DialogTimings = {
  steadyMs: 300,
  settleMaxMs: 4000,
  takeMs: 3000,
  pollMs: 100,
  presses: 2,
};

export type DialogOutcome =
  /** The dialog left the screen (or became another one) after `presses` presses. */
  | { kind: 'answered'; keys: readonly string[]; presses: number }
  /** No permission dialog on the screen: nothing pressed. */
  | { kind: 'no-dialog' }
  /** The dialog went away or changed before a key was pressed: nothing pressed. */
  | { kind: 'changed' }
  /** The dialog did not hold still within `settleMaxMs`: nothing pressed. */
  | { kind: 'unsteady' }
  /** The same dialog stayed after every press. */
  | { kind: 'not-taken'; keys: readonly string[]; presses: number };

export interface DialogIO {
  /** The agent's screen now (ANSI allowed); null when the pane is gone. */
  read: () => Promise<string | null>;
  press: (keys: readonly string[]) => Promise<void>;
  sleep?: (ms: number) => Promise<void>;
}

/** Where a dialog begins among the bottom lines: its question, and for Claude the rule drawn
 * above its title. Lines above the dialog (the tool line's blinking dot, a notice) change on
 * their own and are not part of it. */
const QUESTION: Record<ScreenAgent, RegExp> = {
  claude: /Do you want to (proceed|make this edit|create|allow|run)|^\s*❯\s1\. Yes/,
  codex: /Would you like to|Press enter to confirm or esc to cancel/,
};
const RULE = /^\s*─{20,}/;

/** What identifies the dialog on a screen: its lines as text (null: no permission dialog). */
export function dialogOf(agent: ScreenAgent, screen: string | null): string | null {
  if (screen === null || !permissionAnswers(agent, screen)) return null;
  const lines = bottomLines(screen);
  let start = lines.findIndex((l) => QUESTION[agent].test(l));
  if (start < 0) return lines.join('\n');
  if (agent === 'claude') {
    for (let i = start - 1; i >= 0; i--) {
      if (RULE.test(lines[i]!)) {
        start = i;
        break;
      }
    }
  }
  return lines.slice(start).join('\n');
}

const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function answerDialog(
  agent: ScreenAgent,
  answer: 'approve' | 'deny',
  io: DialogIO,
  t: DialogTimings = DIALOG_TIMINGS,
): Promise<DialogOutcome> {
  const sleep = io.sleep ?? wait;
  const first = await io.read();
  const keys = first === null ? null : permissionAnswers(agent, first)?.[answer];
  const seen = first === null ? null : dialogOf(agent, first);
  if (!keys || seen === null) return { kind: 'no-dialog' };

  // 1. Steady: the dialog the person saw, unchanged over `steadyMs`.
  let last = seen;
  const settleUntil = Date.now() + t.settleMaxMs;
  for (;;) {
    await sleep(t.steadyMs);
    const now = dialogOf(agent, await io.read());
    if (now === null) return { kind: 'changed' };
    if (now === last) break;
    // It moved (a redraw): only the dialog the person saw may be answered.
    if (!sameQuestion(now, seen)) return { kind: 'changed' };
    if (Date.now() >= settleUntil) return { kind: 'unsteady' };
    last = now;
  }

  // 2–3. Press, then see it go; press once more only while the very same dialog stays.
  for (let presses = 1; presses <= t.presses; presses++) {
    const before = dialogOf(agent, await io.read());
    if (before !== last) {
      // Gone or changed since the last look: the previous press was taken late, or (before the
      // first press) the dialog is not the one the person saw. Either way press nothing more.
      return presses === 1 ? { kind: 'changed' } : { kind: 'answered', keys, presses: presses - 1 };
    }
    await io.press(keys);
    const until = Date.now() + t.takeMs;
    while (Date.now() < until) {
      await sleep(t.pollMs);
      if (dialogOf(agent, await io.read()) !== last) return { kind: 'answered', keys, presses };
    }
  }
  return { kind: 'not-taken', keys, presses: t.presses };
}

/** The same question (the dialog's lines other than a redrawn highlight): both hold the same
 * non-empty lines once the selection marker is set aside. */
function sameQuestion(a: string, b: string): boolean {
  const norm = (s: string) =>
    s
      .split('\n')
      .map((l) => l.replace(/^(\s*)[❯›>]\s/, '$1  ').trimEnd())
      .join('\n');
  return norm(a) === norm(b);
}
