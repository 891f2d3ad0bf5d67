// Approve / deny from the grid (issue 17) against an agent in real tmux that drops keys, as the
// real Claude Code does with a key it reads too soon after drawing its dialog (seen in CI: the
// key was sent, the dialog stayed, the approved command never ran). The agent is a `claude`
// script showing the dialog recorded from claude 2.1.332; it logs every key it reads and whether
// it took it. fleet-tui must count an answer only once the dialog has gone, and press again
// only while the very same dialog stays.
import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FleetActions } from '../../src/core/fleet/actions.js';
import { FleetStore } from '../../src/core/fleet/store.js';
import type { FleetServices } from '../../src/core/fleet/types.js';
import { REPO_ROOT } from '../helpers/git-fixture.js';
import { tmuxFleet, type TmuxFleet } from './tmux-helpers.js';
import { waitFor } from './sessions-helpers.js';

const fixture = (name: string) => path.join(REPO_ROOT, 'test', 'fixtures', 'screens', name);

/** A fake `claude`: draws the recorded permission dialog; `drop` = how many keys it ignores. */
const FAKE_CLAUDE = `#!${process.execPath}
const fs = require('node:fs');
const [log, drop, dialogFile, idleFile] = process.argv.slice(2);
const draw = (file) =>
  process.stdout.write('\\x1b[2J\\x1b[H' + fs.readFileSync(file, 'utf8').trimEnd().split('\\n').join('\\r\\n'));
let keys = 0;
process.stdin.setRawMode(true);
process.stdin.resume();
process.stdin.on('data', (d) => {
  keys++;
  const key = d.toString();
  const taken = keys > Number(drop) && (key === '1' || key === '\\x1b');
  fs.appendFileSync(log, JSON.stringify({ key, taken }) + '\\n');
  if (taken) draw(idleFile);
});
setTimeout(() => draw(dialogFile), 200);
setInterval(() => {}, 1 << 30);
`;

let f: TmuxFleet | null = null;
afterEach(async () => {
  await f?.cleanup();
  f = null;
});

async function fakeClaude(drop: number) {
  f = await tmuxFleet({
    instances: [{ id: 'ps1', agent: 'claude' }],
    scripts: { claude: FAKE_CLAUDE },
    agents: (script) => ({
      claude: {
        command: script('claude'),
        args: [
          script('keys.log'),
          String(drop),
          fixture('claude-2.1.332-permission.txt'),
          fixture('claude-2.1.332-idle.txt'),
        ],
        backend: 'tmux',
      },
    }),
  });
  const fl = f;
  await chmod(fl.script('claude'), 0o755);
  await fl.manager.startAll();
  const store = new FleetStore(fl.config);
  const services = {
    config: fl.config,
    session: (id: string) => fl.manager.session(id),
  } as unknown as FleetServices;
  const actions = new FleetActions(services, store);
  const session = fl.manager.session('ps1');
  // As soon as fleet-tui's own screen shows the dialog: the moment a key is most likely dropped.
  await waitFor('the dialog', () =>
    session.tail(100).some((l) => l.includes('Do you want to proceed?')),
  );
  const keys = async () =>
    (await readFile(fl.script('keys.log'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { key: string; taken: boolean });
  const lastLog = () => store.getFacts().log.at(-1)?.text ?? '';
  return { actions, keys, lastLog };
}

describe('answering a dialog whose agent drops a key', () => {
  it('a dropped key is pressed once more, and the answer counts only when the dialog went', async () => {
    const { actions, keys, lastLog } = await fakeClaude(1);
    expect(await actions.answerPermission('ps1', 'approve'), lastLog()).toBe(true);
    expect(await keys()).toEqual([
      { key: '1', taken: false },
      { key: '1', taken: true },
    ]);
    expect(lastLog()).toBe('ps1: approved (sent 1, 2 times: the first was dropped)');
  });

  it('an agent that takes no key: two presses, then false and a line saying so', async () => {
    const { actions, keys, lastLog } = await fakeClaude(Infinity);
    expect(await actions.answerPermission('ps1', 'deny')).toBe(false);
    expect(await keys()).toEqual([
      { key: '\x1b', taken: false },
      { key: '\x1b', taken: false },
    ]);
    expect(lastLog()).toMatch(/^ps1: the agent did not take Escape \(pressed 2 times/);
  });

  it('an agent that takes the key: one press', async () => {
    const { actions, keys, lastLog } = await fakeClaude(0);
    expect(await actions.answerPermission('ps1', 'approve'), lastLog()).toBe(true);
    expect(await keys()).toEqual([{ key: '1', taken: true }]);
    expect(lastLog()).toBe('ps1: approved (sent 1)');
  });
});
