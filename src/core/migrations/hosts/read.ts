import { randomBytes } from 'node:crypto';
import type { ResolvedConfig, ResolvedHost, ResolvedInstance } from '../../../config/types.js';
import { sections } from '../../hosts/read.js';
import { hostRun } from '../../hosts/ssh.js';
import { skipped, tooLarge } from '../safe-read.js';
import { parseRawDiff, type InstanceRaw, type Layout, type WorktreeChange } from '../sources.js';
import { readScript } from './script.js';

/** What one host instance's migrations look like, read on its host. */
export interface HostInstanceRead {
  raw: InstanceRaw;
}

const KIND = /^(?:F ([0-9a-f]{40}(?:[0-9a-f]{24})?)|([GNLPSDOB]))$/;

const REASONS: Record<string, string> = {
  N: 'a symlink to nothing',
  L: 'a symlink leading outside the worktree',
  P: 'a FIFO',
  S: 'a socket',
  D: 'a directory',
  O: 'a device or other special file',
};

/**
 * The probe's answer: NUL-terminated pairs of a `git status` record (`XY path`) and a kind code.
 * Parsed strictly: a pair that is not of that form is dropped (it cannot come from the probe, since
 * no file name holds a NUL), a path outside the directory is ignored.
 */
function parseProbe(text: string, layout: Layout): WorktreeChange[] {
  const tok = text.split('\0');
  const out: WorktreeChange[] = [];
  for (let i = 0; i + 1 < tok.length; i += 2) {
    const rec = tok[i]!;
    const m = KIND.exec(tok[i + 1]!);
    if (!m || rec.length < 4 || rec[2] !== ' ' || !/^[ MADRCU?!]{2}$/.test(rec.slice(0, 2)))
      continue;
    const xy = rec.slice(0, 2);
    const p = rec.slice(3);
    if (!p.startsWith(`${layout.dir}/`)) continue;
    if (m[1]) out.push({ xy, path: p, oid: m[1] });
    else if (m[2] === 'G') out.push({ xy, path: p, oid: null });
    else {
      const why = m[2] === 'B' ? tooLarge() : REASONS[m[2]!]!;
      const r = skipped(p, why) as { oid: string; skipped: string };
      out.push({ xy, path: p, oid: r.oid, skipped: r.skipped });
    }
  }
  return out;
}

/**
 * Read the migrations of `insts` (all on `host`) in one SSH round trip: each worktree's commits
 * not on main and its uncommitted files. Throws HostError when the host is not there.
 */
export async function readHostMigrations(
  config: ResolvedConfig,
  host: ResolvedHost,
  insts: readonly ResolvedInstance[],
  layout: Layout,
): Promise<Map<string, HostInstanceRead>> {
  const nonce = randomBytes(12).toString('hex');
  const script = readScript(
    {
      repo: host.repo,
      remote: config.remote,
      mainBranch: config.mainBranch,
      dir: layout.dir,
      insts,
    },
    nonce,
  );
  const res = await hostRun(host, script);
  const secs = sections(res.stdout.toString('utf8'), nonce);
  const ok = (i: number, name: string) => {
    const s = secs.get(`${i}:${name}`);
    return s && s.rc === 0 ? s.text : null;
  };
  return new Map(
    insts.map((inst, i): [string, HostInstanceRead] => {
      const branch = parseRawDiff(ok(i, 'branch') ?? '');
      const files = secs.get(`${i}:files`);
      return [inst.id, { raw: { branch, worktree: files ? parseProbe(files.text, layout) : [] } }];
    }),
  );
}
