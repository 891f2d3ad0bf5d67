// Answering a permission dialog (issue 17): a key only for a steady dialog the person saw, counted
// only once the dialog left the screen, pressed once more when the agent dropped it. Screens are
// the ones recorded from the real claude 2.1.332 and codex 0.171.0; the agent is a script of
// screens that answers each read and each press.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  answerDialog,
  dialogOf,
  type DialogTimings,
} from '../../../src/core/sessions/screen/answer-dialog.js';
import { REPO_ROOT } from '../../helpers/git-fixture.js';

const screen = (name: string) =>
  readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'screens', name), 'utf8');
const DIALOG = screen('claude-2.1.332-permission.txt');
const IDLE = screen('claude-2.1.332-idle.txt');
const CODEX = screen('codex-0.171.0-approval.txt');
/** Another dialog: the same kind, another command. */
const OTHER = DIALOG.replaceAll('made-by-claude.txt', 'rm-rf-everything.txt');
/** The same dialog with the tool line's dot blinking above it (Claude animates it). */
const BLINK = DIALOG.replace('● Running the mock command', '  Running the mock command');

const FAST: DialogTimings = { steadyMs: 5, settleMaxMs: 200, takeMs: 60, pollMs: 5, presses: 2 };

/**
 * A scripted agent: `reads` is the screen before each press (the last one repeats); `onPress`
 * gives the screen after press n (1-based), or undefined to keep the dialog (a dropped key).
 */
function agent(reads: string[], onPress: (n: number) => string | undefined = () => IDLE) {
  const pressed: string[][] = [];
  let i = 0;
  let current: string | null = null;
  return {
    pressed,
    io: {
      read: () => {
        const s = current ?? reads[Math.min(i++, reads.length - 1)]!;
        return Promise.resolve(s);
      },
      press: (keys: readonly string[]) => {
        pressed.push([...keys]);
        const next = onPress(pressed.length);
        if (next !== undefined) current = next;
        return Promise.resolve();
      },
    },
  };
}

describe('dialogOf', () => {
  it('is the dialog alone: a blinking line above it does not change it', () => {
    expect(dialogOf('claude', DIALOG)).toMatch(/^─+\n Bash command/);
    expect(dialogOf('claude', BLINK)).toBe(dialogOf('claude', DIALOG));
    expect(dialogOf('claude', OTHER)).not.toBe(dialogOf('claude', DIALOG));
    expect(dialogOf('codex', CODEX)).toMatch(/^\s*Would you like to run the following command\?/);
  });
  it('is null without a permission dialog', () => {
    expect(dialogOf('claude', IDLE)).toBeNull();
    expect(dialogOf('claude', screen('claude-2.1.332-trust.txt'))).toBeNull();
    expect(dialogOf('claude', null)).toBeNull();
  });
});

describe('answerDialog', () => {
  it('presses once on a steady dialog and counts it when the dialog goes', async () => {
    const a = agent([DIALOG, BLINK, DIALOG]);
    expect(await answerDialog('claude', 'approve', a.io, FAST)).toEqual({
      kind: 'answered',
      keys: ['1'],
      presses: 1,
    });
    expect(a.pressed).toEqual([['1']]);
  });

  it('presses once more when the agent dropped the first key, and only then', async () => {
    const a = agent([DIALOG], (n) => (n === 1 ? undefined : IDLE));
    expect(await answerDialog('claude', 'approve', a.io, FAST)).toEqual({
      kind: 'answered',
      keys: ['1'],
      presses: 2,
    });
    expect(a.pressed).toEqual([['1'], ['1']]);
  });

  it('gives up after two presses when the dialog stays, and says so', async () => {
    const a = agent([DIALOG], () => undefined);
    expect(await answerDialog('claude', 'deny', a.io, FAST)).toEqual({
      kind: 'not-taken',
      keys: ['Escape'],
      presses: 2,
    });
    expect(a.pressed).toEqual([['Escape'], ['Escape']]);
  });

  it('presses nothing when the dialog became another one before the key', async () => {
    const a = agent([DIALOG, OTHER]);
    expect(await answerDialog('claude', 'approve', a.io, FAST)).toEqual({ kind: 'changed' });
    expect(a.pressed).toEqual([]);
  });

  it('presses nothing when the dialog went away before the key', async () => {
    const a = agent([DIALOG, IDLE]);
    expect(await answerDialog('claude', 'approve', a.io, FAST)).toEqual({ kind: 'changed' });
    expect(a.pressed).toEqual([]);
  });

  it('does not press again when a new dialog replaced the one it answered', async () => {
    const a = agent([DIALOG], () => OTHER);
    expect(await answerDialog('claude', 'approve', a.io, FAST)).toMatchObject({
      kind: 'answered',
      presses: 1,
    });
    expect(a.pressed).toEqual([['1']]);
  });

  it('never presses on a screen without a permission dialog', async () => {
    for (const s of [IDLE, screen('claude-2.1.332-trust.txt'), '']) {
      const a = agent([s]);
      expect(await answerDialog('claude', 'approve', a.io, FAST)).toEqual({ kind: 'no-dialog' });
      expect(a.pressed).toEqual([]);
    }
  });

  it('codex: its own key, the same way', async () => {
    const a = agent([CODEX], () => screen('codex-0.171.0-idle.txt'));
    expect(await answerDialog('codex', 'approve', a.io, FAST)).toMatchObject({
      kind: 'answered',
      keys: ['y'],
    });
  });
});
