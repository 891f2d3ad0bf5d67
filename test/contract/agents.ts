// Where the contract suite finds the real agent CLIs: the cache scripts/install-agents.mjs fills,
// at the versions pinned in scripts/agent-versions.json. Nothing here downloads anything.
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/git-fixture.js';

export type AgentKind = 'claude' | 'codex';

interface Pin {
  package: string;
  version: string;
  bin: string;
}

export const AGENT_PINS = JSON.parse(
  readFileSync(path.join(REPO_ROOT, 'scripts', 'agent-versions.json'), 'utf8'),
) as Record<AgentKind, Pin>;

/** The cache directory. The test setup points HOME at a scratch dir, so the person's own home
 * comes from the password database (as the install script, which runs outside vitest, sees it). */
function agentsCache(): string {
  return (
    process.env.FLEET_AGENTS_CACHE ??
    path.join(os.userInfo().homedir, '.cache', 'fleet-tui', 'agents')
  );
}

/** Absolute path of the installed, pinned binary, or null. */
export function agentBin(kind: AgentKind): string | null {
  const pin = AGENT_PINS[kind];
  const dir = path.join(agentsCache(), `${pin.package.replace('/', '+')}@${pin.version}`);
  const bin = path.join(dir, 'node_modules', '.bin', pin.bin);
  const manifest = path.join(dir, 'node_modules', ...pin.package.split('/'), 'package.json');
  if (!existsSync(bin) || !existsSync(manifest)) return null;
  try {
    const v = (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version;
    return v === pin.version ? bin : null;
  } catch {
    return null;
  }
}

/**
 * Why the contract tests of `kind` cannot run here, or null when they can. Missing agents are
 * skipped loudly (a warning on stderr and "SKIPPED" in the suite's name), never passed silently;
 * FLEET_CONTRACT=require turns a missing agent into a failure, FLEET_CONTRACT=skip skips on purpose.
 */
const reasons = new Map<AgentKind, string | null>();
export function contractSkipReason(kind: AgentKind): string | null {
  if (reasons.has(kind)) return reasons.get(kind)!;
  const reason = skipReason(kind);
  reasons.set(kind, reason);
  return reason;
}

function skipReason(kind: AgentKind): string | null {
  const pin = AGENT_PINS[kind];
  if (process.env.FLEET_CONTRACT === 'skip') return 'FLEET_CONTRACT=skip';
  if (agentBin(kind)) return null;
  const reason = `${pin.package}@${pin.version} is not installed in ${agentsCache()} — run "node scripts/install-agents.mjs"`;
  if (process.env.FLEET_CONTRACT === 'require') throw new Error(`contract suite: ${reason}`);
  process.stderr.write(`\n*** CONTRACT SUITE SKIPPED for ${kind}: ${reason} ***\n\n`);
  return reason;
}

/** A describe title that says, in the test report, that the block was skipped and why. */
export function contractTitle(kind: AgentKind, title: string): string {
  const reason = contractSkipReason(kind);
  const pin = AGENT_PINS[kind];
  return reason
    ? `${title} [SKIPPED: ${reason}]`
    : `${title} (${pin.package}@${pin.version}, real binary)`;
}
