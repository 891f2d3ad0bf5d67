import { randomBytes } from 'node:crypto';
import type { ResolvedConfig, ResolvedHost, ResolvedInstance } from '../../config/types.js';
import { OPERATION_FILES } from '../git/operation-files.js';
import { NO_WORKTREE, parseStatus, type WorktreeState } from '../git/worktree-state.js';
import { shQuote } from './quote.js';
import { hostRun } from './ssh.js';

/**
 * Everything fleet-tui needs to know about one host's instances, read in ONE SSH round trip: a
 * shell script that runs the same read-only git commands status runs locally, for every
 * worktree, and prints each answer in a section. Section headers carry a random nonce, so
 * nothing a file name or commit subject holds can forge one.
 */
export interface HostWorktree extends WorktreeState {
  ahead: number;
  behind: number;
  lastCommit: { subject: string; date: string } | null;
}

export interface HostView {
  /** The host clone's `refs/remotes/<remote>/<main>` (null: missing). */
  main: string | null;
  /** Branch tips of the host clone (`refs/heads/…` → sha). */
  tips: Map<string, string>;
  /** By instance id. */
  worktrees: Map<string, HostWorktree>;
}

function script(
  host: ResolvedHost,
  insts: readonly ResolvedInstance[],
  mainRef: string,
  nonce: string,
): string {
  const q = shQuote;
  const gitPaths = OPERATION_FILES.map(([f]) => `--git-path ${q(f)}`).join(' ');
  const lines = [
    'export LC_ALL=C GIT_OPTIONAL_LOCKS=0',
    `s() { printf '\\n@@%s %s %s\\n' ${q(nonce)} "$1" "$2"; }`,
    // Each section ends with its command's exit code on a line of its own.
    `rc() { printf '\\n%s\\n' "$1"; }`,
    `s - main; git -C ${q(host.repo)} rev-parse --verify -q --end-of-options ${q(mainRef)} 2>/dev/null; rc $?`,
    `s - tips; git -C ${q(host.repo)} for-each-ref --format='%(refname) %(objectname)' -- refs/heads/ 2>/dev/null; rc $?`,
  ];
  insts.forEach((inst, i) => {
    const p = q(inst.hostPath!);
    lines.push(
      `if [ -d ${p} ]; then`,
      `  s ${i} real; (cd ${p} && pwd -P) 2>/dev/null; rc $?`,
      `  s ${i} top; git -C ${p} rev-parse --path-format=absolute --show-toplevel 2>/dev/null; rc $?`,
      `  s ${i} ops; git -C ${p} rev-parse --path-format=absolute ${gitPaths} 2>/dev/null | while IFS= read -r f; do if [ -e "$f" ]; then echo 1; else echo 0; fi; done; rc $?`,
      `  s ${i} status; git -C ${p} status --porcelain=v2 --branch -z --untracked-files=all 2>/dev/null; rc $?`,
      `  s ${i} ab; git -C ${p} rev-list --left-right --count --end-of-options HEAD...${q(mainRef)} -- 2>/dev/null; rc $?`,
      `  s ${i} last; git -C ${p} log -1 --format=%s%x00%cI --end-of-options HEAD -- 2>/dev/null; rc $?`,
      'fi',
    );
  });
  return lines.join('\n');
}

export interface Section {
  text: string;
  rc: number;
}

export function sections(out: string, nonce: string): Map<string, Section> {
  const map = new Map<string, Section>();
  for (const part of out.split(`\n@@${nonce} `).slice(1)) {
    const nl = part.indexOf('\n');
    const key = part.slice(0, nl);
    const body = part.slice(nl + 1).replace(/\n$/, '');
    const cut = body.lastIndexOf('\n');
    map.set(key.replace(/ /, ':'), { text: body.slice(0, cut), rc: Number(body.slice(cut + 1)) });
  }
  return map;
}

const EMPTY: HostWorktree = { ...NO_WORKTREE, ahead: 0, behind: 0, lastCommit: null };

function worktreeOf(secs: Map<string, Section>, i: number, expected: string): HostWorktree {
  const get = (name: string) => secs.get(`${i}:${name}`);
  const real = get('real');
  const top = get('top');
  const status = get('status');
  if (!real || !top || !status || top.rc !== 0 || status.rc !== 0) return EMPTY;
  // The directory must be a worktree's top level itself, not a folder inside another checkout.
  if (top.text.trim() !== real.text.trim() && top.text.trim() !== expected) return EMPTY;
  const flags = (get('ops')?.text ?? '').split('\n');
  const k = flags.findIndex((f) => f === '1');
  const ab = get('ab');
  const [ahead, behind] = ab && ab.rc === 0 ? ab.text.trim().split(/\s+/).map(Number) : [0, 0];
  const last = get('last');
  const [subject, date] = last && last.rc === 0 ? last.text.split('\0') : [];
  return {
    ...EMPTY,
    exists: true,
    operation: k >= 0 ? OPERATION_FILES[k]![1] : null,
    ...parseStatus(status.text),
    ahead: ahead ?? 0,
    behind: behind ?? 0,
    lastCommit: date ? { subject: subject ?? '', date: date.trim() } : null,
  };
}

/** Read `insts` (all on `host`) in one round trip. Throws HostError when the host is not there. */
export async function readHost(
  config: ResolvedConfig,
  host: ResolvedHost,
  insts: readonly ResolvedInstance[],
): Promise<HostView> {
  const mainRef = `refs/remotes/${config.remote}/${config.mainBranch}`;
  const nonce = randomBytes(12).toString('hex');
  const res = await hostRun(host, script(host, insts, mainRef, nonce));
  const secs = sections(res.stdout.toString('utf8'), nonce);
  const main = secs.get('-:main');
  const tips = new Map<string, string>();
  for (const line of (secs.get('-:tips')?.text ?? '').split('\n')) {
    const [ref, sha] = line.split(' ');
    if (ref && sha) tips.set(ref, sha);
  }
  return {
    main: main && main.rc === 0 ? main.text.trim() || null : null,
    tips,
    worktrees: new Map(insts.map((inst, i) => [inst.id, worktreeOf(secs, i, inst.hostPath!)])),
  };
}
