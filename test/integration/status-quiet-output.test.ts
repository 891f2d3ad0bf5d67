import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectFleet, type Fleet } from '../../src/app/connect.js';
import { createServices, type RealServices } from '../../src/app/services.js';
import { loadConfig } from '../../src/config/load.js';
import { observeGit } from '../../src/core/git/run.js';
import { startedProcesses } from '../../src/core/git/spawn-count.js';
import { makeFleet, type FleetFixture } from '../helpers/git-fixture.js';

// Agents that print all the time: their output must never make fleet-tui run git. Only git's
// own events and the slow sweep do (the sweep: one `git status` per instance, nothing more).
// Every 50 ms the printer also reports a cost (a stream-json `result`, as Claude prints after
// each turn): that changes the agent's state, but not its status — still no git.
const PRINTER = `let n = 0, cost = 0;
setInterval(() => {
  let s = '';
  for (let i = 0; i < 20; i++) s += 'line ' + (++n) + '\\n';
  if (n % 100 === 0) s += JSON.stringify({ type: 'result', subtype: 'success', total_cost_usd: 0.01, usage: { input_tokens: 1, output_tokens: 1 } }) + '\\n';
  process.stdout.write(s);
}, 10);`;

describe('git status while agents only print', () => {
  let fx: FleetFixture | undefined;
  let services: RealServices | undefined;
  let fleet: Fleet | undefined;
  let off: (() => void) | undefined;
  afterEach(async () => {
    off?.();
    await fleet?.close();
    await services?.manager?.stopAll();
    await services?.dispose();
    await fx?.cleanup();
    fleet = services = fx = off = undefined;
  });

  async function start(git: { fallbackMs: number; idleSweepMs?: number }) {
    fx = await makeFleet({
      instances: [
        { id: 'ps1', agent: 'printer' },
        { id: 'ps2', agent: 'printer' },
      ],
      configExtra: `  agents: { printer: { command: ${JSON.stringify(process.execPath)}, args: ['-e', ${JSON.stringify(PRINTER)}], backend: 'exec' } },`,
    });
    const config = await loadConfig({ cwd: fx.repo });
    services = await createServices(config);
    fleet = connectFleet(services, { git: { debounceMs: 20, ...git } });
    await fleet.ready;
    await services.manager!.startAll();
    const store = fleet.store;
    const sessions = config.instances.map((i) => services!.session(i.id)!);
    await vi.waitFor(
      () => {
        expect(sessions.every((s) => s.version > 200)).toBe(true);
        expect(store.all().every((s) => s.git !== null && s.agent.status === 'working')).toBe(true);
      },
      { timeout: 20_000, interval: 50 },
    );
    const calls: string[][] = [];
    off = observeGit((args) => calls.push([...args]));
    return { store, sessions, calls, config };
  }

  it('runs no git while output streams and the agents stay at work', async () => {
    const { sessions, calls } = await start({ fallbackMs: 600_000 });
    const v0 = sessions.map((s) => s.version);
    const cost0 = sessions.map((s) => s.state().costUsd ?? 0);
    // Wait on the output itself: thousands of lines and many cost updates more in every pane.
    await vi.waitFor(
      () => {
        expect(sessions.every((s, k) => s.version > v0[k]! + 2000)).toBe(true);
        expect(sessions.every((s, k) => (s.state().costUsd ?? 0) > cost0[k]! + 0.1)).toBe(true);
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(sessions.every((s) => s.state().status === 'working')).toBe(true);
    expect(calls).toEqual([]);
  });

  it('the sweep re-reads a working tree with one git status and sees a plain edit', async () => {
    const { store, calls } = await start({ fallbackMs: 1000 });
    await fx!.write(fx!.instances[0]!.worktree, { 'notes.txt': 'edited by hand\n' });
    await vi.waitFor(() => expect(store.instance('ps1').git?.dirty.untracked).toBe(1), {
      timeout: 20_000,
      interval: 50,
    });
    // Every sweep read is `git status` alone: HEAD and branch did not move, so nothing else.
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.every((args) => args[0] === 'status')).toBe(true);
  });

  it("a sweep starts every due worktree's git status from one process, not one each", async () => {
    const { calls } = await start({ fallbackMs: 1000 });
    const started = () => Object.values(startedProcesses()).reduce((a, b) => a + b, 0);
    const p0 = started();
    await vi.waitFor(() => expect(calls.length).toBeGreaterThanOrEqual(6), {
      timeout: 20_000,
      interval: 50,
    });
    // Node counts a process as it starts it, in the same turn as the call (one `git` each before:
    // as many as there were calls); the two busy instances' reads go in one `sh` per sweep.
    const n = calls.length;
    expect(calls.every((args) => args[0] === 'status')).toBe(true);
    expect((started() - p0) * 2).toBeLessThanOrEqual(n + 2);
  });

  it("a turn's end reads the worktree with one git status (no full read), and sees the agent's edit", async () => {
    // The agent edits a file (no git event: only a working file changed) and ends its turn.
    const EDITOR = `require('node:fs').writeFileSync('agent-notes.txt', 'x\\n'); setTimeout(() => {}, 300);`;
    fx = await makeFleet({
      instances: [{ id: 'ed1', agent: 'editor' }],
      configExtra: `  agents: { editor: { command: ${JSON.stringify(process.execPath)}, args: ['-e', ${JSON.stringify(EDITOR)}], backend: 'exec' } },`,
    });
    const config = await loadConfig({ cwd: fx.repo });
    services = await createServices(config);
    // No sweep within the test: only the turn's end can read the edit.
    fleet = connectFleet(services, { git: { debounceMs: 20, fallbackMs: 600_000 } });
    await fleet.ready;
    const store = fleet.store;
    await vi.waitFor(() => expect(store.instance('ed1').git).not.toBeNull(), {
      timeout: 20_000,
      interval: 50,
    });
    const calls: string[][] = [];
    off = observeGit((args) => calls.push([...args]));
    await services.manager!.startAll();
    await vi.waitFor(
      () => {
        expect(store.instance('ed1').agent.status).toBe('exited');
        expect(store.instance('ed1').git?.dirty.untracked).toBe(1);
      },
      { timeout: 20_000, interval: 50 },
    );
    expect(calls.map((a) => a[0])).toEqual(['status']);
  });

  it('with deferStart, nothing runs git or starts an agent until start(): the first frame comes first', async () => {
    fx = await makeFleet({
      instances: [
        { id: 'ps1', agent: 'printer' },
        { id: 'ps2', agent: 'printer' },
      ],
      configExtra: `  agents: { printer: { command: ${JSON.stringify(process.execPath)}, args: ['-e', ${JSON.stringify(PRINTER)}], backend: 'exec' } },`,
    });
    const config = await loadConfig({ cwd: fx.repo });
    services = await createServices(config);
    const calls: string[][] = [];
    off = observeGit((args) => calls.push([...args]));
    fleet = connectFleet(services, { deferStart: true, git: { debounceMs: 20 } });
    // What the first frame needs is there at once: every instance, from the config.
    expect(fleet.store.ids()).toEqual(['ps1', 'ps2']);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 100));
    expect(calls).toEqual([]);
    fleet.start();
    await fleet.ready;
    await vi.waitFor(() => expect(fleet!.store.all().every((s) => s.git !== null)).toBe(true), {
      timeout: 20_000,
      interval: 50,
    });
    expect(calls.some((a) => a[0] === 'status')).toBe(true);
  });
});
