import { randomBytes } from 'node:crypto';
import type { ResolvedConfig } from '../../config/types.js';
import { nonceLine } from '../land/sync-marker.js';
import { hostGroups, perHost, type HostGroup } from './fleet.js';
import { shQuote } from './quote.js';
import { sections } from './read.js';
import { hostRun } from './ssh.js';
import { HOST_MARKER_DIR } from './sync-scripts.js';

/**
 * `fleet-tui recover` on hosts: a host that went down mid-sync (a crash, not a dropped
 * connection — the sync script survives that) can leave a rebase stopped in a host worktree.
 * The sync script's marker on the host says which rebase it started; a rebase is aborted only
 * when git's own state (onto, orig-head, branch) and fleet-tui's nonce in its todo all match the
 * marker, and its script is gone. Any other rebase is left exactly as it is. One round trip per
 * host, all hosts at once, decided on the host itself.
 */
export interface HostRecoverReport {
  actions: string[];
  problems: string[];
}

const q = shQuote;

function script(g: HostGroup, nonce: string): string {
  const lines = [
    'export LC_ALL=C',
    `s() { printf '\\n@@%s %s %s\\n' ${q(nonce)} "$1" "$2"; }`,
    `rc() { printf '\\n%s\\n' "$1"; }`,
    `c=$(git -C ${q(g.host.repo)} rev-parse --path-format=absolute --git-common-dir 2>/dev/null) || exit 0`,
    `f() { sed -n "s/^$1 //p" "$mf" | head -n 1; }`,
    `same() { [ -f "$1" ] && [ "$(cat "$1")" = "$2" ]; }`,
  ];
  g.insts.forEach((inst, i) => {
    const w = `git -C ${q(inst.hostPath!)}`;
    lines.push(
      `mf="$c/${HOST_MARKER_DIR}/"${q(inst.id)}`,
      'if [ -f "$mf" ]; then',
      '  n=$(f nonce); pid=$(f pid); st=$(f start); v=',
      // Its script still runs (the rebase goes on): never touch it.
      '  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && { [ -z "$st" ] || [ "$(awk \'{ print $22 }\' /proc/"$pid"/stat 2>/dev/null)" = "$st" ]; }; then v=running; fi',
      `  d=$(${w} rev-parse --path-format=absolute --git-path rebase-merge 2>/dev/null)`,
      '  if [ -n "$v" ]; then :',
      '  elif [ -z "$d" ] || [ ! -d "$d" ]; then v=finished',
      `  elif [ -n "$n" ] && same "$d/onto" "$(f onto)" && same "$d/orig-head" "$(f orig)" && same "$d/head-name" "$(f branch)" && grep -qF "${nonceLine('')}$n" "$d/git-rebase-todo" "$d/done" 2>/dev/null; then`,
      `    if o=$(${w} rebase --abort 2>&1); then v=aborted; else v=failed; fi`,
      '  else v=other',
      '  fi',
      `  s ${i} verdict; printf '%s\\n%s\\n%s' "$v" "$(f backup)" "$o"; rc 0; o=`,
      '  if [ "$v" != running ] && [ "$v" != failed ]; then rm -f "$mf"; fi',
      'fi',
    );
  });
  return lines.join('\n');
}

async function recoverHost(config: ResolvedConfig, g: HostGroup): Promise<HostRecoverReport> {
  const nonce = randomBytes(12).toString('hex');
  const res = await hostRun(g.host, script(g, nonce), { timeoutMs: 120_000 });
  const secs = sections(res.stdout.toString('utf8'), nonce);
  const out: HostRecoverReport = { actions: [], problems: [] };
  g.insts.forEach((inst, i) => {
    const said = secs.get(`${i}:verdict`);
    if (!said) return;
    const [verdict, backup, ...git] = said.text.split('\n');
    const who = `${inst.id}@${g.host.name}`;
    const where = `${g.host.name}:${inst.hostPath!}`;
    const kept = backup ? ` (its tip is kept in ${backup} there)` : '';
    if (verdict === 'running')
      out.problems.push(
        `${who}: the sync fleet-tui started is still rebasing in ${where} — run "fleet-tui recover" again when it has finished`,
      );
    else if (verdict === 'failed')
      out.problems.push(
        `${who}: could not abort the rebase fleet-tui started in ${where}: ${git.filter(Boolean).pop() ?? ''}`,
      );
    else if (verdict === 'aborted')
      out.actions.push(
        `${who}: aborted the rebase fleet-tui started; ${inst.branch} is back where it was${kept}`,
      );
    else if (verdict === 'other')
      out.actions.push(
        `${who}: the rebase in progress in ${where} is not the one fleet-tui started — left it alone; cleared fleet-tui's stale marker`,
      );
    else
      out.actions.push(
        `${who}: the rebase fleet-tui started in ${where} is not in progress (it finished or never began); cleared its marker`,
      );
  });
  return out;
}

/** Recover every host at once; a host that cannot be reached is one problem line. */
export async function recoverOnHosts(config: ResolvedConfig): Promise<HostRecoverReport> {
  const groups = hostGroups(config);
  const out: HostRecoverReport = { actions: [], problems: [] };
  if (groups.length === 0) return out;
  const results = await perHost(groups, (g) => recoverHost(config, g));
  for (const g of groups) {
    const r = results.get(g.host.name)!;
    if (r.ok) {
      out.actions.push(...r.value.actions);
      out.problems.push(...r.value.problems);
    } else
      out.problems.push(
        `host "${g.host.name}" unreachable: ${r.error} — ${g.insts.map((i) => i.id).join(', ')} not checked; run "fleet-tui recover" again when it is back`,
      );
  }
  return out;
}
