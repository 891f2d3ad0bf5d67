import { randomBytes } from 'node:crypto';
import type { ResolvedConfig, ResolvedInstance } from '../../config/types.js';
import { FleetError } from '../errors.js';
import { isDisposable } from '../git/ignored.js';
import { OPERATION_FILES } from '../git/operation-files.js';
import { isClean, parseStatus } from '../git/worktree-state.js';
import type { DownResult } from '../git/worktree.js';
import { shArgv, shQuote } from './quote.js';
import { sections, type Section } from './read.js';
import { hostRun } from './ssh.js';

/**
 * `fleet-tui down` for an instance on a host, with the refusals of a local `down`: an operation
 * in progress, an uncommitted change, a commit not on main (patch-equivalent ones excluded) or an
 * ignored file outside `down.disposable` keeps the worktree, unless `--force` (then the tip and a
 * snapshot of tracked changes are kept under refs/fleet/backup/ in the host clone first). Two
 * round trips: what is there, then — only if the HEAD read is still the HEAD — the removal.
 */
const q = shQuote;

/** Every directory prefix of a disposable path with "/" (`a/b/c` → `a/`, `a/b/`). */
function disposableParents(disposable: readonly string[]): string[] {
  const out = new Set<string>();
  for (const d of disposable) {
    const parts = d.replace(/^\/+|\/+$/g, '').split('/');
    for (let i = 1; i < parts.length; i++) out.add(`${parts.slice(0, i).join('/')}/`);
  }
  return [...out];
}

function readScript(config: ResolvedConfig, p: string, nonce: string, dirs: string[]): string {
  const g = `git -C ${q(p)}`;
  const main = `refs/remotes/${config.remote}/${config.mainBranch}`;
  const gitPaths = OPERATION_FILES.map(([f]) => `--git-path ${q(f)}`).join(' ');
  return [
    'export LC_ALL=C GIT_OPTIONAL_LOCKS=0',
    `s() { printf '\\n@@%s %s %s\\n' ${q(nonce)} "$1" "$2"; }`,
    `rc() { printf '\\n%s\\n' "$1"; }`,
    `if [ -d ${q(p)} ] && [ "$(${g} rev-parse --path-format=absolute --show-toplevel 2>/dev/null)" = "$(cd ${q(p)} && pwd -P)" ]; then`,
    `  s - head; ${g} rev-parse -q --verify HEAD 2>/dev/null; rc $?`,
    `  s - ops; ${g} rev-parse --path-format=absolute ${gitPaths} 2>/dev/null | while IFS= read -r f; do if [ -e "$f" ]; then echo 1; else echo 0; fi; done; rc $?`,
    `  s - status; ${g} status --porcelain=v2 --branch -z --untracked-files=all 2>/dev/null; rc $?`,
    `  s - unlanded; ${g} log --format='%h %s' --right-only --cherry-pick --no-merges --end-of-options ${q(`${main}...HEAD`)} -- 2>&1; rc $?`,
    `  s - ignored; ${g} status --porcelain=v2 -z --ignored=matching --untracked-files=normal 2>/dev/null; rc $?`,
    ...dirs.map(
      (d, i) =>
        `  s ls ${i}; ${g} ls-files -z --others --ignored --exclude-standard -- ${q(d)} 2>/dev/null; rc $?`,
    ),
    'fi',
  ].join('\n');
}

/** The ignored entries `down` must not delete unasked (as `keptIgnored` locally). */
function kept(secs: Map<string, Section>, dirs: string[], disposable: readonly string[]) {
  const out: string[] = [];
  const entries = (secs.get('-:ignored')?.text ?? '')
    .split('\0')
    .filter((f) => f.startsWith('! '))
    .map((f) => f.slice(2));
  for (const e of entries) {
    if (isDisposable(e, disposable)) continue;
    const k = dirs.indexOf(e);
    const inside = k >= 0 ? secs.get(`ls:${k}`) : undefined;
    if (!inside || inside.rc !== 0) {
      out.push(e);
      continue;
    }
    out.push(...inside.text.split('\0').filter((f) => f && !isDisposable(f, disposable)));
  }
  return out;
}

export async function downHostInstance(
  config: ResolvedConfig,
  inst: ResolvedInstance,
  opts: { force?: boolean } = {},
): Promise<DownResult> {
  const host = config.hosts[inst.host!]!;
  const p = inst.hostPath!;
  const who = `${inst.id}@${host.name}`;
  const dirs = disposableParents(config.down.disposable);
  const nonce = randomBytes(12).toString('hex');
  const secs = sections(
    (await hostRun(host, readScript(config, p, nonce, dirs))).stdout.toString('utf8'),
    nonce,
  );
  const head = secs.get('-:head')?.text.trim() ?? '';
  const status = secs.get('-:status');
  if (!status || status.rc !== 0)
    throw new FleetError(`${who}: no worktree at ${p} on host ${host.name} — nothing to remove`);
  const k = (secs.get('-:ops')?.text ?? '').split('\n').indexOf('1');
  if (k >= 0)
    throw new FleetError(
      `${who}: a ${OPERATION_FILES[k]![1]} is in progress in ${p} on host ${host.name} — finish or abort it first`,
    );
  const wt = parseStatus(status.text);
  const log = secs.get('-:unlanded');
  if (head && log?.rc !== 0)
    throw new FleetError(
      `${who}: could not compare with ${config.remote}/${config.mainBranch} on host ${host.name}: ${log?.text.trim().split('\n').pop() ?? ''}`,
    );
  const unlanded = head && log?.text.trim() ? log.text.trim().split('\n') : [];
  const ignored = kept(secs, dirs, config.down.disposable);
  const clean = isClean({ ...wt, exists: true, operation: null, markers: [] });
  const result: DownResult = {
    id: inst.id,
    worktree: `${host.name}:${p}`,
    removed: false,
    uncommitted: wt.changed,
    unlanded,
    ignored,
    backups: [],
  };
  if ((!clean || unlanded.length > 0 || ignored.length > 0) && !opts.force) return result;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const n2 = randomBytes(12).toString('hex');
  const g = `git -C ${q(p)}`;
  const backup = (what: string, sha: string) =>
    `refs/fleet/backup/${inst.id}/${stamp}-${what}-${sha.slice(0, 12)}`;
  const lines = [
    'export LC_ALL=C',
    `s() { printf '\\n@@%s %s %s\\n' ${q(n2)} "$1" "$2"; }`,
    `rc() { printf '\\n%s\\n' "$1"; }`,
    // Gated on the host: what was read is still what is there, or nothing is removed.
    `if [ "$(${g} rev-parse -q --verify HEAD 2>/dev/null)" != ${q(head)} ]; then s - moved; rc 1; exit 0; fi`,
  ];
  if (head && unlanded.length > 0)
    lines.push(
      `s - tip; ${g} update-ref --end-of-options ${q(backup('down', head))} ${q(head)} 2>&1 || exit 0; rc 0`,
    );
  if (!clean)
    lines.push(
      // Tracked changes survive as a stash-like commit; untracked files cannot be kept this way.
      `w=$(${g} stash create 2>/dev/null); if [ -n "$w" ]; then ${g} update-ref --end-of-options ${q(`refs/fleet/backup/${inst.id}/${stamp}-down-wip-`)}"$(printf %s "$w" | cut -c1-12)" "$w" 2>&1 || exit 0; s - wip; printf %s "$w"; rc 0; fi`,
    );
  lines.push(
    `s - remove; git -C ${q(host.repo)} ${shArgv(['worktree', 'remove', ...(opts.force ? ['--force'] : []), '--', p])} 2>&1; rc $?`,
  );
  const done = sections((await hostRun(host, lines.join('\n'))).stdout.toString('utf8'), n2);
  if (done.has('-:moved'))
    throw new FleetError(
      `${who}: its HEAD moved while down looked at it — nothing removed; run "fleet-tui down ${inst.id}" again`,
    );
  if (head && unlanded.length > 0) {
    if (!done.has('-:tip'))
      throw new FleetError(
        `${who}: could not keep a backup ref on host ${host.name} — nothing removed`,
      );
    result.backups.push(`${host.name}:${backup('down', head)}`);
  }
  const wip = done.get('-:wip')?.text.trim();
  if (wip) result.backups.push(`${host.name}:${backup('down-wip', wip)}`);
  const removed = done.get('-:remove');
  if (!removed || removed.rc !== 0)
    throw new FleetError(
      `${who}: git worktree remove failed on host ${host.name}: ${removed?.text.trim().split('\n').pop() ?? 'no answer'}`,
    );
  result.removed = true;
  return result;
}
