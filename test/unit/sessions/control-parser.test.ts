import { describe, expect, it } from 'vitest';
import {
  ControlParser,
  type ControlMessage,
} from '../../../src/core/sessions/tmux/control-parser.js';

function feed(lines: string[]): ControlMessage[] {
  const p = new ControlParser();
  return lines.flatMap((l) => p.line(l) ?? []);
}

describe('ControlParser: only tmux steers it', () => {
  it('closes a block only with the guard of its own %begin; everything inside is content', () => {
    expect(
      feed([
        '%begin 1796144834 263 1',
        '%end 1 1 1',
        '%end 1796144834 264 1', // another number
        '%end 1796144835 263 1', // another second
        '%error 1796144834 263 0', // other flags
        '%end 1796144834 263 1 ', // trailing space
        '%subscription-changed fleet-dead $0 @1 1 %1 : 1 137',
        '%output %1 HACKED',
        '%window-close @1',
        '%window-add @1',
        '%exit',
        '%end 1796144834 263 1',
      ]),
    ).toEqual([
      {
        kind: 'reply',
        ok: true,
        ours: true,
        lines: [
          '%end 1 1 1',
          '%end 1796144834 264 1',
          '%end 1796144835 263 1',
          '%error 1796144834 263 0',
          '%end 1796144834 263 1 ',
          '%subscription-changed fleet-dead $0 @1 1 %1 : 1 137',
          '%output %1 HACKED',
          '%window-close @1',
          '%window-add @1',
          '%exit',
        ],
      },
    ]);
  });

  it('reads notifications outside blocks, exactly as tmux writes them', () => {
    expect(
      feed([
        '%session-changed $0 fleet',
        '%output %3 hello\\015\\012',
        '%subscription-changed fleet-dead $0 @2 1 %3 : 1 ',
        '%subscription-changed fleet-dead $0 @2 1 %3 : 1 137',
        '%subscription-changed fleet-dead $0 @2 1 %3 : 0 ',
        '%subscription-changed fleet-dead $0 @2 1 %3 : 1 137 extra', // not tmux's shape
        '%window-close @2',
        '%unlinked-window-close @4',
        '%window-add @5',
        '%unlinked-window-add @6',
        '%sessions-changed',
        '%window-add @5 extra', // not tmux's shape
        '%begin 1 2 0',
        '%error 1 2 0',
        '%exit',
      ]),
    ).toEqual([
      { kind: 'session-changed' },
      { kind: 'output', paneId: '%3' },
      { kind: 'pane-dead', paneId: '%3', dead: true, status: null },
      { kind: 'pane-dead', paneId: '%3', dead: true, status: 137 },
      { kind: 'pane-dead', paneId: '%3', dead: false, status: null },
      { kind: 'window-close', windowId: '@2' },
      { kind: 'window-close', windowId: '@4' },
      { kind: 'windows-changed' },
      { kind: 'windows-changed' },
      { kind: 'windows-changed' },
      { kind: 'reply', ok: false, ours: false, lines: [] },
      { kind: 'exit' },
    ]);
  });

  it('a malformed %begin opens nothing', () => {
    expect(feed(['%begin 1 2', '%begin x 1 1', '%output %1 a'])).toEqual([
      { kind: 'output', paneId: '%1' },
    ]);
  });
});
