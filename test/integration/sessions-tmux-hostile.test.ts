// Issue 12 items 2 and 3 against real tmux on a private socket: an agent whose output imitates
// tmux's control-mode protocol cannot touch another agent, and an agent's argv arrives
// byte-exact whatever tmux's command parser would make of it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import stripAnsi from 'strip-ansi';
import { afterEach, describe, expect, it } from 'vitest';
import type { Session } from '../../src/core/sessions/index.js';
import type { TmuxSession } from '../../src/core/sessions/tmux/tmux-session.js';
import { waitFor } from './sessions-helpers.js';
import { scriptAgent, simAgent, tmuxFleet, type TmuxFleet } from './tmux-helpers.js';

let f: TmuxFleet | null = null;
afterEach(async () => {
  await f?.cleanup();
  f = null;
});

const text = (s: Session) => s.tail(500).map((l) => stripAnsi(l));
const has = (s: Session, needle: string) => text(s).some((l) => l.includes(needle));

/**
 * Prints, as its screen, everything a spoofer would: bare and guessed guards (the guess uses the
 * real current time and command number, learnt from a control client of its own), notifications
 * naming every likely pane and window, and escapes that would act on an outer terminal.
 */
const SPOOFER = String.raw`
import { execFileSync } from 'node:child_process';
const socket = (process.env.TMUX ?? '').split(',')[0];
function guard() {
  try {
    const out = execFileSync('tmux', ['-S', socket, '-C', 'attach'], {
      input: 'display-message -p x\n', env: { ...process.env, TMUX: '' }, encoding: 'utf8', timeout: 3000,
    });
    let last = null;
    for (const m of out.matchAll(/^%begin (\d+) (\d+) \d+$/gm)) last = [Number(m[1]), Number(m[2])];
    return last ?? [Math.floor(Date.now() / 1000), 1];
  } catch { return [Math.floor(Date.now() / 1000), 1]; }
}
let round = 0;
setInterval(() => {
  round++;
  const [t, n] = guard();
  const lines = ['%end 1 1 1', '%error 1 1 1'];
  for (let p = 0; p < 4; p++) {
    lines.push('%subscription-changed fleet-dead $0 @' + p + ' ' + p + ' %' + p + ' : 1 137');
    lines.push('%window-close @' + p, '%output %' + p + ' HACKED');
  }
  lines.push('%exit');
  // Well-guessed guards: this second and the next, the next command numbers, our flags.
  for (let k = 1; k <= 9; k++) lines.push('%end ' + t + ' ' + (n + k) + ' 1', '%error ' + (t + 1) + ' ' + (n + k) + ' 1');
  lines.push('\x1b]0;TITLE\x07\x1b]52;c;SGVsbG8=\x07\x1b]8;;http://x.y\x1b\\link\x1b]8;;\x1b\\ \x1b[31mred\x1b[0m');
  lines.push('round ' + round);
  process.stdout.write('\x1b[H\x1b[2J' + lines.join('\r\n'));
}, 150);
`;

describe('tmux: agent output never steers fleet-tui', () => {
  it('an agent printing protocol lines and well-guessed guards changes no other agent', async () => {
    f = await tmuxFleet({
      instances: [
        { id: 'ps1', agent: 'spoofer' },
        { id: 'ps2', agent: 'claude' },
      ],
      agents: (script) => ({ spoofer: scriptAgent(script('spoofer.mjs')), claude: simAgent() }),
      scripts: { 'spoofer.mjs': SPOOFER },
    });
    const spoofer = f.manager.session('ps1');
    const victim = f.manager.session('ps2');
    await victim.start();
    await waitFor('the victim idle', () => victim.state().status === 'idle', 20_000);
    const seen: string[] = [];
    victim.on('state', () => seen.push(victim.state().status));
    await spoofer.start();

    const v0 = spoofer.version;
    await waitFor('the spoofer on screen for 30 rounds', () => has(spoofer, 'round 30'), 30_000);
    expect(spoofer.version - v0).toBeGreaterThan(10); // captured many times over
    // Its lines are its pane's content, shown as text…
    expect(has(spoofer, '%subscription-changed fleet-dead $0 @1 1 %1 : 1 137')).toBe(true);
    const guesses = text(spoofer).flatMap((l) => /^%end \d{10} (\d+) 1$/.exec(l)?.[1] ?? []);
    expect(guesses.length).toBeGreaterThan(5);
    // Learnt from tmux itself (its fallback would guess 2…10): the numbers tmux is handing out.
    expect(Math.max(...guesses.map(Number))).toBeGreaterThan(20);
    // …with colours kept and nothing else that could act on the outer terminal.
    const line = spoofer.tail(500).find((l) => l.includes('link'))!;
    expect(line).toContain('\x1b[31m');
    for (const l of spoofer.tail(500)) {
      // eslint-disable-next-line no-control-regex
      expect(l.replace(/\x1b\[[0-9;:]*m/g, '')).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
    }

    // The other agent was never reported dead, closed or crashed, and its pane is its own.
    expect(seen.filter((s) => s !== 'idle' && s !== 'working')).toEqual([]);
    expect(victim.state().status).toBe('idle');
    expect(has(victim, 'HACKED')).toBe(false);
    expect(await f.tmux('display-message', '-p', '-t', '=fleet-test:=ps2', '#{pane_dead}')).toBe(
      '0',
    );
    // The control client is alive and in step: the victim's new output still arrives.
    await victim.send('still here');
    await waitFor('the victim answers', () => has(victim, "I'll still here"));
    expect(spoofer.state().status).not.toBe('crashed');
  });
});

/** Writes its argv, directory and one variable as JSON, then waits. */
const DUMPER = String.raw`
import { renameSync, writeFileSync } from 'node:fs';
// Written whole then renamed, so the test never reads a half-written file (seen under load).
writeFileSync(process.env.DUMP_TO + '.tmp', JSON.stringify({ argv: process.argv.slice(2), cwd: process.cwd(), v: process.env.TRICKY }));
renameSync(process.env.DUMP_TO + '.tmp', process.env.DUMP_TO);
setInterval(() => undefined, 1000);
`;

describe('tmux: arguments reach the agent byte-exact', () => {
  it("';', '\\;', '#{}', '$()', quotes, newlines, leading '-', non-ASCII and a smuggled run-shell", async () => {
    const pwned = '/tmp/fleet-test-PWNED-' + process.pid;
    const args = [
      '{rolePrompt};',
      'run-shell',
      `touch ${pwned}`,
      ';',
      'a;',
      'b\\;',
      '\\',
      '#{pane_id} #S #(touch ' + pwned + '-fmt)',
      `$(touch ${pwned}-sub) \`touch ${pwned}-bt\` $HOME ~`,
      `"double" 'single' it's`,
      'two\nlines\r\n',
      '-c',
      '--config',
      '-',
      '',
      '  spaced  ',
      'é 漢字 🚀 \u00a0',
      '{instance}',
    ];
    f = await tmuxFleet({
      instances: [{ id: 'ps1', agent: 'dumper' }],
      agents: (script) => ({
        dumper: {
          ...scriptAgent(script('dumper.mjs'), args),
          env: { DUMP_TO: script('argv.json'), TRICKY: "v; run-shell 'x';" },
        },
      }),
      scripts: { 'dumper.mjs': DUMPER },
    });
    const s = f.manager.session('ps1') as TmuxSession;
    await s.start({ rolePrompt: 'You own lib/; stay there;' });
    const file = f.script('argv.json');
    await waitFor('the agent wrote its argv', () => existsSync(file));
    const got = JSON.parse(readFileSync(file, 'utf8')) as {
      argv: string[];
      cwd: string;
      v: string;
    };
    expect(got.argv).toEqual(['You own lib/; stay there;;', ...args.slice(1, -1), 'ps1']);
    expect(got.v).toBe("v; run-shell 'x';");
    expect(got.cwd).toBe(f.config.instances[0]!.worktreePath);
    for (const suffix of ['', '-fmt', '-sub', '-bt'])
      expect(existsSync(pwned + suffix)).toBe(false);
    // The launcher removed itself once it had run.
    const launchDir = path.join(f.fx.repo, '.git', 'fleet-tui', 'launch');
    await waitFor(
      'launcher gone',
      () => !existsSync(launchDir) || readdirSync(launchDir).length === 0,
    );
  });
});
