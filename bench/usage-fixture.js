// A month of Claude Code transcripts for a fleet of 12 (30 files per instance, 300 calls each,
// ~400 bytes of text per message) — the input of the usage benches.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveConfig } from '../dist/config/resolve.js';
import { fleetConfigSchema } from '../dist/config/schema.js';
import { encodeProjectDir } from '../dist/core/insight/claude-transcripts.js';

/**
 * Writes the month below `dir/claude`. `at(day, k)` is call k's time on day 0–29 (`day` 29 is
 * the newest); `mtime(day)`, when given, sets each file's modification time.
 */
export function monthOfTranscripts(dir, at, mtime) {
  const ids = Array.from({ length: 12 }, (_, i) => `ps${i + 1}`);
  const cfg = resolveConfig(
    fleetConfigSchema.parse({
      roles: { r: { title: 'R' } },
      instances: ids.map((id, i) => ({
        id,
        role: 'r',
        agent: 'claude',
        band: String(100000 + i * 1000),
      })),
    }),
    path.join(dir, 'repo'),
    null,
  );
  const claude = path.join(dir, 'claude');
  const pad = 'x'.repeat(400);
  let bytes = 0;
  const files = new Map();
  for (const inst of cfg.instances) {
    const proj = path.join(claude, 'projects', encodeProjectDir(inst.worktreePath));
    mkdirSync(proj, { recursive: true });
    for (let day = 0; day < 30; day++) {
      const sid = `${inst.id}-day-${day + 1}`;
      const out = [];
      for (let k = 0; k < 300; k++)
        out.push(
          JSON.stringify({
            type: 'assistant',
            sessionId: sid,
            requestId: `req_${sid}_${k}`,
            timestamp: at(day, k).toISOString(),
            message: {
              id: `msg_${sid}_${k}`,
              model: 'claude-sonnet-4-5-20250929',
              content: [{ type: 'text', text: pad }],
              usage: {
                input_tokens: 10,
                output_tokens: 200,
                cache_creation_input_tokens: 500,
                cache_read_input_tokens: 20000,
              },
            },
          }),
          JSON.stringify({ type: 'user', sessionId: sid, message: { role: 'user', content: pad } }),
        );
      const text = `${out.join('\n')}\n`;
      bytes += text.length;
      const f = path.join(proj, `${sid}.jsonl`);
      writeFileSync(f, text);
      files.set(sid, f);
      const m = mtime?.(day);
      if (m) utimesSync(f, m, m);
    }
  }
  return { cfg, claude, bytes, files };
}
