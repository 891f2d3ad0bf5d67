// The REAL Codex CLI (pinned, from the contract suite's cache) as an agent on an SSH "host": the
// test sshd on 127.0.0.1 runs it in tmux -L fleet-box1 in the host worktree, against the mock
// model server (also on 127.0.0.1), with a scratch HOME/CODEX_HOME given through the agent kind's
// env. Skipped, loudly, where the pinned codex is not installed (see test/contract/agents.ts).
import { appendFileSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import stripAnsi from 'strip-ansi';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SessionManager, type Session } from '../../src/core/sessions/index.js';
import { HOST_HOOK_NAME } from '../../src/core/hosts/agent-hooks.js';
import { agentBin, contractSkipReason, contractTitle } from '../contract/agents.js';
import { startMockModelServer, type MockModelServer } from '../contract/mock-model-server.js';
import { makeAgentSandbox, type AgentSandbox } from '../contract/sandbox.js';
import { run } from '../helpers/git-fixture.js';
import { makeHostsFleet, type HostsFleet } from '../helpers/hosts-fixture.js';
import { startSshd, type Sshd } from '../helpers/sshd.js';
import { waitFor } from './sessions-helpers.js';

const skip = contractSkipReason('codex') !== null;

/** With FLEET_TIMINGS=<file>: how long a step took, appended there (for the README's figures;
 * never asserted). */
const took = (what: string, t0: number) =>
  process.env.FLEET_TIMINGS &&
  appendFileSync(process.env.FLEET_TIMINGS, `${what}: ${Date.now() - t0} ms\n`);

describe.skipIf(skip)(contractTitle('codex', 'hosts: the real codex on a host'), () => {
  let sshd: Sshd;
  let mock: MockModelServer;
  let sb: AgentSandbox | undefined;
  let hf: HostsFleet | undefined;
  let mgr: SessionManager | undefined;
  let tmuxDir = '';
  const saved = { ...process.env };
  const tmux = (...args: string[]) =>
    execa('tmux', ['-L', 'fleet-box1', ...args], { reject: false }).then((r) =>
      String(r.stdout).trim(),
    );
  const screen = (s: Session) => s.tail(200).map((l) => stripAnsi(l));
  const shows = (s: Session, text: string) => screen(s).some((l) => l.includes(text));

  beforeAll(async () => {
    tmuxDir = await mkdtemp(path.join(os.tmpdir(), 'fthc-'));
    process.env.TMUX_TMPDIR = tmuxDir;
    sshd = await startSshd();
    Object.assign(process.env, sshd.env);
    mock = await startMockModelServer({ auxDelayMs: 1500 });
  });
  afterEach(async () => {
    mgr?.dispose();
    mgr = undefined;
    await tmux('kill-server');
    await hf?.cleanup();
    hf = undefined;
    await sb?.cleanup();
    sb = undefined;
  });
  afterAll(async () => {
    process.env = saved;
    await mock?.close();
    await sshd?.cleanup();
    await rm(tmuxDir, { recursive: true, force: true });
  });

  it('starts with its hooks and role written on the host; hook status over SSH; restart resumes the conversation', async () => {
    sb = await makeAgentSandbox({ mockUrl: mock.url });
    // The sandbox's environment reaches the agent on the host through its kind's env (the
    // launcher exports it there); tmux's own variables stay the host session's.
    const { TMUX: _t, TMUX_TMPDIR: _d, ...agentEnv } = sb.env;
    const codex = {
      command: agentBin('codex')!,
      args: ['--no-daemon'],
      backend: 'tmux',
      env: agentEnv,
    };
    const f = await makeHostsFleet(
      sshd,
      [{ id: 'ps1' }, { id: 'ps2', host: 'box1', agent: 'codex' }],
      {
        configExtra: `  agents: ${JSON.stringify({ codex })},\n  sessions: { tmuxSession: 'fleet-test' },\n`,
      },
    );
    hf = f;
    const up = await f.cli(['up']);
    expect(up.exitCode, up.stdout + up.stderr).toBe(0);
    for (const dir of [f.clones.box1, f.worktree('ps2')]) await sb.trustCodex(dir);
    mgr = new SessionManager(await f.config(), { tmuxSocket: 'local', crashBackoffMs: 0 });
    const s = mgr.session('ps2');
    const target = '=fleet-test:=ps2';
    const modelRequests = () => mock.requests.filter((r) => r.api === 'responses');
    const before = modelRequests().length;

    let t0 = Date.now();
    await s.start();
    // Codex asks once to trust the project hooks fleet-tui wrote (on the host): it reads as
    // waiting; the person picks "Trust all and continue" in the host pane.
    await waitFor('the hooks review', () => shows(s, 'Hooks need review'), 40_000);
    await waitFor('waiting', () => s.state().status === 'waiting');
    took('codex on host: start → hooks review on screen', t0);
    await tmux('send-keys', '-t', target, 'Down');
    await waitFor('trust all selected', () => shows(s, '› 2. Trust all'));
    await tmux('send-keys', '-t', target, 'Enter');
    await waitFor('the composer', () => !shows(s, 'Hooks need review'), 30_000);

    // The files went to the host: hooks in the clone's main checkout (the same command text for
    // every instance), the role as developer instructions in the worktree; both excluded.
    const hooks = await readFile(path.join(f.clones.box1, '.codex', 'hooks.json'), 'utf8');
    expect(hooks).toContain(HOST_HOOK_NAME);
    expect(hooks).toContain('"Stop"');
    expect(hooks).not.toContain('fleet-hook.js');
    const cfg = await readFile(path.join(f.worktree('ps2'), '.codex', 'config.toml'), 'utf8');
    expect(cfg).toMatch(/^developer_instructions = ".*ps2/m);
    expect(await run(f.worktree('ps2'), ['status', '--porcelain'])).toBe('');
    expect(await run(f.clones.box1, ['status', '--porcelain'])).toBe('');
    expect(modelRequests().length).toBe(before); // no turn ran at start

    t0 = Date.now();
    await s.send('hello codex on a host');
    await waitFor('the reply', () => shows(s, 'mock reply: hello codex on a host'), 40_000);
    took('codex on host: send → reply on screen', t0);
    const req = JSON.stringify(modelRequests().at(-1)!.body);
    expect(req).toMatch(/"role":"developer".*ps2/);
    // The Stop hook ran on the host, was appended to its event file, came back over SSH.
    const eventFile = path.join(f.clones.box1, '.git', 'fleet-tui', 'agents', 'ps2.events.jsonl');
    await waitFor('the Stop hook on the host', () =>
      readFileSync(eventFile, 'utf8').includes('"event":"Stop","managed":1'),
    );
    await waitFor('idle from the hook', () => s.state().status === 'idle' && !!s.state().sessionId);
    const conversation = s.state().sessionId!;

    // Restart: the conversation's rollout is on the host, so Codex resumes it there.
    await s.restart();
    const pid = await waitFor('the new pane', async () => {
      const p = await tmux('display-message', '-p', '-t', target, '#{pane_pid}');
      return p && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('resume') ? p : null;
    });
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')).toEqual(
      expect.arrayContaining(['resume', conversation]),
    );
    // The new pane's own screen: the session's tail and state still hold the old process's
    // composer and idle, and a line sent before the resumed Codex draws its composer is lost.
    await waitFor(
      'the resumed composer',
      async () => (await tmux('capture-pane', '-p', '-t', target)).includes('›'),
      40_000,
    );
    await s.send('after the restart');
    await waitFor('the resumed reply', () => shows(s, 'mock reply: after the restart'), 40_000);
    await waitFor('its Stop hook names the same conversation', () =>
      readFileSync(eventFile, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"event":"Stop"'))
        .slice(1)
        .some((l) => l.includes(conversation)),
    );
    await s.stop();
    expect(await tmux('list-windows', '-a')).toBe('');
  });
});
