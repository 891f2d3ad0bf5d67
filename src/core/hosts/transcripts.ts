import type { ResolvedHost } from '../../config/types.js';
import type { HookEvent } from '../sessions/status/hook-events.js';
import { shArgv } from './quote.js';
import { hostRun } from './ssh.js';

/**
 * Which of the events' conversation files exist on the host, in one round trip, so a resume
 * picks only a session the agent can resume there (resuming one without its conversation makes
 * claude exit 1). Events are returned with `transcriptPath` removed when the file is on the host
 * (the id is good), or set to '' when it is not (never a local path that happens to exist).
 */
export async function transcriptsOnHost(
  host: ResolvedHost,
  events: HookEvent[],
): Promise<HookEvent[]> {
  const paths = [
    ...new Set(
      events.flatMap((e) => (typeof e.transcriptPath === 'string' ? [e.transcriptPath] : [])),
    ),
  ]
    .filter((p) => p !== '' && !p.includes('\0') && !p.includes('\n'))
    .slice(-20);
  let found = new Set<string>();
  if (paths.length) {
    const script = 'for f in "$@"; do [ -e "$f" ] && printf "%s\\n" "$f"; done; exit 0';
    const res = await hostRun(host, `sh -c ${shArgv([script, 'fleet-tui', ...paths])}`, {
      uncounted: true,
    });
    found = new Set(res.stdout.toString('utf8').split('\n'));
  }
  return events.map((e) => {
    if (typeof e.transcriptPath !== 'string') return e;
    if (found.has(e.transcriptPath)) {
      const { transcriptPath: _, ...rest } = e;
      return rest;
    }
    return { ...e, transcriptPath: '' };
  });
}
