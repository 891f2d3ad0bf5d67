// The screen-pattern tables against screens recorded from the real binaries
// (test/fixtures/screens/<kind>-<version>-<state>.txt, written by `npm run agents:record-screens`).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  bottomLines,
  matchScreen,
  screenStatus,
  type ScreenAgent,
  type ScreenStatus,
} from '../../../src/core/sessions/screen/patterns.js';
import { AGENT_PINS } from '../../contract/agents.js';
import { REPO_ROOT } from '../../helpers/git-fixture.js';

const DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'screens');

/** What each recorded state must read as, and through which pattern. */
const EXPECTED: Record<string, { status: ScreenStatus | null; pattern: string }> = {
  'claude/trust': { status: 'waiting', pattern: 'claude.trust' },
  'claude/trust-hooks': { status: 'waiting', pattern: 'claude.trust' },
  'claude/idle': { status: 'idle', pattern: 'claude.prompt' },
  'claude/working': { status: 'working', pattern: 'claude.working' },
  // Esc mid-turn: Claude puts the prompt back into the input box and fires no hook.
  'claude/interrupted': { status: 'idle', pattern: 'claude.prompt' },
  'claude/permission': { status: 'waiting', pattern: 'claude.permission' },
  // Esc on the permission dialog: no hook fires; the screen is the only witness.
  'claude/permission-esc': { status: 'idle', pattern: 'claude.prompt' },
  // After a 529 Claude fires StopFailure (not Stop) and shows the error above its input box.
  'claude/api-error': { status: 'idle', pattern: 'claude.prompt' },
  'codex/login': { status: 'waiting', pattern: 'codex.login' },
  'codex/trust': { status: 'waiting', pattern: 'codex.trust' },
  // Untrusted project hooks: Codex asks before its composer shows; no hook runs meanwhile.
  'codex/hooks-review': { status: 'waiting', pattern: 'codex.hooks-review' },
  'codex/idle': { status: 'idle', pattern: 'codex.prompt' },
  'codex/working': { status: 'working', pattern: 'codex.working' },
  'codex/interrupted': { status: 'idle', pattern: 'codex.prompt' },
  'codex/approval': { status: 'waiting', pattern: 'codex.approval' },
  'codex/approval-esc': { status: 'idle', pattern: 'codex.prompt' },
  // A prompt on the command line: the composer shows while the header still says "loading".
  'codex/loading': { status: null, pattern: 'codex.loading' },
  // `codex resume <id>`: the composer shows for seconds before a missing id makes it exit 1.
  'codex/resuming': { status: null, pattern: 'codex.resuming' },
  // A failed turn fires neither notify nor a Stop hook in Codex 0.171.0.
  'codex/error': { status: 'idle', pattern: 'codex.prompt' },
};

const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .map((f) => {
    const m = /^(claude|codex)-(\d+\.\d+\.\d+)-(.+)\.txt$/.exec(f);
    if (!m) throw new Error(`unexpected fixture name ${f}: want <kind>-<version>-<state>.txt`);
    return { file: f, kind: m[1] as ScreenAgent, version: m[2]!, state: m[3]! };
  });

describe('screen patterns against recorded screens', () => {
  it.each(fixtures)('$file', ({ file, kind, state }) => {
    const want = EXPECTED[`${kind}/${state}`];
    expect(want, `add ${kind}/${state} to EXPECTED`).toBeDefined();
    const screen = readFileSync(path.join(DIR, file), 'utf8');
    expect(matchScreen(kind, screen)?.id).toBe(want!.pattern);
    expect(screenStatus(kind, screen)).toBe(want!.status);
  });

  it('has every state recorded for the pinned versions (re-record after a bump)', () => {
    for (const key of Object.keys(EXPECTED)) {
      const [kind, state] = key.split('/') as [ScreenAgent, string];
      const name = `${kind}-${AGENT_PINS[kind].version}-${state}.txt`;
      expect(
        fixtures.map((f) => f.file),
        `${name}: run npm run agents:record-screens`,
      ).toContain(name);
    }
  });
});

describe('screen patterns, edge cases', () => {
  const read = (f: string) => readFileSync(path.join(DIR, f), 'utf8');
  const claudeIdle = read(`claude-${AGENT_PINS.claude.version}-idle.txt`);
  const claudePermission = read(`claude-${AGENT_PINS.claude.version}-permission.txt`);

  it('a blank or starting screen says nothing', () => {
    expect(screenStatus('claude', '')).toBeNull();
    expect(screenStatus('codex', '\n\n   \n')).toBeNull();
    expect(screenStatus('claude', 'Loading…\n')).toBeNull();
  });

  it('reads coloured captures (capture-pane -e) like plain ones', () => {
    const coloured = claudePermission
      .split('\n')
      .map((l) => (l ? `\u001b[38;5;174m${l}\u001b[39m` : l))
      .join('\n');
    expect(screenStatus('claude', coloured)).toBe('waiting');
  });

  it('dialog words far above the bottom (quoted in the conversation) do not count', () => {
    const quoted = [
      '● The dialog said: Do you want to proceed? Esc to cancel',
      ...Array(20).fill('  text'),
    ];
    const screen = [...quoted, ...claudeIdle.split('\n')].join('\n');
    expect(screenStatus('claude', screen)).toBe('idle');
  });

  it('keeps only the bottom lines that hold text', () => {
    expect(bottomLines('a\n\n b\n\n\n', 5)).toEqual(['a', ' b']);
    expect(bottomLines(Array.from({ length: 40 }, (_, i) => `l${i}`).join('\n'), 3)).toEqual([
      'l37',
      'l38',
      'l39',
    ]);
  });
});
