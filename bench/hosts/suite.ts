// Section 9 (issue 18): landing 12 × 2 with 8 instances here and 4 on an SSH host (a real sshd
// on 127.0.0.1), 100 ms added to every connection to origin and to the host. Wall time and the
// connections each endpoint saw. Skipped, with a line saying why, where sshd is not installed.
import { execa } from 'execa';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startSshd, type Sshd } from '../../test/helpers/sshd.js';
import { BIN, landWith } from '../land/contenders.js';
import { CONNECT_DELAY_MS, readCounts } from '../fixtures/origin.js';
import { buildFleet, git } from '../fixtures/fleet.js';
import type { Results } from '../lib/results.js';
import { buildHostsFleet, COMMITS, LOCAL, ON_HOST, sshCounts } from './fixture.js';

interface HostsRun {
  wallMs: number;
  origin: number;
  hostSessions: number;
  hostMasters: number;
  tcpLogins: number;
  reported: number;
  complete: boolean;
  error?: string;
}

async function landOnce(sshd: Sshd): Promise<HostsRun> {
  const fleet = await buildHostsFleet(sshd.aliases[0]);
  // A control directory of this run's own: the first land opens its connection (no master left
  // by an earlier run). Short path: a socket path must fit in 108 bytes.
  const ctl = await mkdtemp(path.join(os.tmpdir(), 'fhb-'));
  const env = {
    ...sshd.env,
    FLEET_SSH_CONTROL_DIR: ctl,
    PATH: `${fleet.binDir}${path.delimiter}${process.env.PATH ?? ''}`,
  };
  try {
    // Untimed, as in figure 1: the config compiled and cached once.
    await execa(process.execPath, [BIN, 'config'], { cwd: fleet.repo, env });
    const logins0 = await sshd.logins();
    const t0 = performance.now();
    const res = await execa(process.execPath, [BIN, 'land', '--all', '--json'], {
      cwd: fleet.repo,
      env,
      reject: false,
      stdin: 'ignore',
    });
    const wallMs = performance.now() - t0;
    const tcpLogins = (await sshd.logins()) - logins0;
    const landed = Number(await git(fleet.origin, ['rev-list', '--count', 'main'])) - 1;
    let reported = NaN;
    let error: string | undefined;
    try {
      const json = JSON.parse(String(res.stdout)) as { hostConnections?: Record<string, number> };
      reported = json.hostConnections?.box ?? NaN;
    } catch {
      error = String(res.stderr || res.stdout).split('\n')[0];
    }
    if (res.exitCode !== 0) error ??= `exit ${res.exitCode}`;
    const ssh = sshCounts(fleet.sshLog);
    return {
      wallMs,
      origin: readCounts(fleet.log).connections,
      hostSessions: ssh.sessions,
      hostMasters: ssh.masters,
      tcpLogins,
      reported,
      complete: landed === (LOCAL + ON_HOST) * COMMITS,
      ...(error ? { error } : {}),
    };
  } finally {
    await execa(
      'ssh',
      ['-F', sshd.sshConfig, '-o', `ControlPath=${ctl}/box-%C`, '-O', 'exit', sshd.aliases[0]],
      {
        reject: false,
      },
    );
    await rm(ctl, { recursive: true, force: true });
    await rm(fleet.dir, { recursive: true, force: true });
  }
}

export async function hostsSuite(
  results: Results,
  runs: number,
  log: (s: string) => void,
): Promise<void> {
  const scale = `${LOCAL} local + ${ON_HOST} on an SSH host × ${COMMITS} commits, +${CONNECT_DELAY_MS} ms a connection to origin and to the host`;
  const command = `fleet-tui land --all --json (${scale})`;
  let sshd: Sshd;
  try {
    sshd = await startSshd();
  } catch (e) {
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0]!;
    log(`section 9 skipped: ${why}`);
    results.add({
      section: 9,
      id: 'hosts.land.12.wall',
      title: `Land ${LOCAL}+${ON_HOST}×${COMMITS} with an SSH host: wall time`,
      unit: 'ms',
      runs: [NaN],
      command,
      note: `skipped: ${why}`,
    });
    return;
  }
  const got: HostsRun[] = [];
  // The same 12 × 2 all on this machine, run by run beside the host runs (same load): the cost
  // of the host is the difference.
  const local: number[] = [];
  try {
    for (let r = 0; r < runs; r++) {
      const all = await buildFleet({ instances: LOCAL + ON_HOST, commits: COMMITS });
      const ref = await landWith(all, 'a', COMMITS);
      await rm(all.dir, { recursive: true, force: true });
      local.push(ref.complete && !ref.error ? ref.wallMs : NaN);
      const run = await landOnce(sshd);
      got.push(run);
      log(
        `land ${LOCAL}+${ON_HOST} run ${r + 1}: ${Math.round(run.wallMs)} ms, origin ${run.origin} connections, ` +
          `host ${run.hostSessions} sessions (land --json: ${run.reported}) over ${run.tcpLogins} TCP connection(s)` +
          `${run.complete ? '' : ', NOT COMPLETE'}${run.error ? ` (${run.error})` : ''}; all 12 local: ${Math.round(ref.wallMs)} ms`,
      );
    }
  } finally {
    await sshd.cleanup();
  }
  const failed = got.filter((x) => !x.complete || x.error);
  const base = { section: 9, command };
  results.add({
    ...base,
    id: 'hosts.land.12.wall',
    title: `Land ${LOCAL}+${ON_HOST}×${COMMITS} with an SSH host: wall time`,
    unit: 'ms',
    runs: got.map((x) => (x.complete && !x.error ? x.wallMs : NaN)),
    note: failed.length
      ? `${failed.length} of ${runs} runs failed: ${failed[0]!.error ?? 'commits missing on main'}`
      : undefined,
  });
  results.add({
    ...base,
    id: 'hosts.land.12.local-wall',
    title: `Land ${LOCAL + ON_HOST}×${COMMITS} all local, run beside it: wall time`,
    unit: 'ms',
    runs: local,
    command: `fleet-tui land --all --json (${LOCAL + ON_HOST} local instances × ${COMMITS} commits, origin +${CONNECT_DELAY_MS} ms a connection)`,
  });
  results.add({
    ...base,
    id: 'hosts.land.12.origin',
    title: `Land ${LOCAL}+${ON_HOST}×${COMMITS} with an SSH host: connections to origin`,
    unit: '',
    runs: got.map((x) => x.origin),
    target: '1 fetch + 1 push',
    check: (v) => v === 2,
  });
  results.add({
    ...base,
    id: 'hosts.land.12.host-sessions',
    title: `Land ${LOCAL}+${ON_HOST}×${COMMITS} with an SSH host: SSH sessions to the host`,
    unit: '',
    runs: got.map((x) => x.hostSessions),
    note: `land --json hostConnections: ${got.map((x) => x.reported).join(', ')}`,
  });
  results.add({
    ...base,
    id: 'hosts.land.12.host-tcp',
    title: `Land ${LOCAL}+${ON_HOST}×${COMMITS} with an SSH host: TCP connections to the host`,
    unit: '',
    runs: got.map((x) => x.tcpLogins),
    target: '1 (one shared connection)',
    check: (v) => v === 1,
    note: `ssh masters started: ${got.map((x) => x.hostMasters).join(', ')}`,
  });
  results.add({
    ...base,
    id: 'hosts.land.12.floor',
    title: `Land ${LOCAL}+${ON_HOST}×${COMMITS} with an SSH host: floor, connections × ${CONNECT_DELAY_MS} ms`,
    unit: 'ms',
    runs: got.map((x) => (x.origin + x.hostSessions + x.hostMasters) * CONNECT_DELAY_MS),
    command:
      'every delayed connection in sequence (an upper bound of the floor: host sessions partly overlap)',
  });
}
