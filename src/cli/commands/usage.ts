import type { Command } from 'commander';
import {
  UsageReader,
  currentBlock,
  dayRange,
  fleetEntries,
  summarizeUsage,
  todayRange,
  type UsageRow,
} from '../../core/insight/index.js';
import { loadFleetConfig } from '../context.js';
import { err, out, printJson } from '../output.js';

const usd = (n: number) => n.toFixed(2);
const tok = (n: number) =>
  n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e4 ? `${Math.round(n / 1e3)}k` : String(n);
const hm = (d: Date) => d.toTimeString().slice(0, 5);

function line(r: UsageRow, today: number): string {
  return [
    r.id.padEnd(10),
    r.agent.padEnd(7),
    usd(r.costUsd).padStart(9),
    tok(r.inputTokens).padStart(7),
    tok(r.outputTokens).padStart(7),
    tok(r.cacheCreationTokens).padStart(7),
    tok(r.cacheReadTokens).padStart(7),
    String(r.sessions).padStart(8),
    usd(today).padStart(9),
  ].join(' ');
}

export function registerUsage(program: Command): void {
  program
    .command('usage')
    .description("tokens and cost per instance from the agents' own transcripts (Claude, Codex)")
    .option('--json', 'print JSON')
    .option('--since <day>', 'first day, YYYY-MM-DD (default: the first of this month)')
    .option('--until <day>', 'last day, YYYY-MM-DD (default: today)')
    .option('--prices <file>', 'a LiteLLM price table instead of the shipped snapshot')
    .action(
      async (
        opts: { json?: boolean; since?: string; until?: string; prices?: string },
        cmd: Command,
      ) => {
        const range = dayRange(opts);
        const cfg = await loadFleetConfig(cmd);
        const usage = await new UsageReader(cfg, { pricesFile: opts.prices }).read();
        const { instances, total } = summarizeUsage(cfg, usage, range);
        if (opts.json) {
          printJson({ since: range.since, until: range.until, instances, total });
          return;
        }
        const today = summarizeUsage(cfg, usage, todayRange());
        out(`usage ${range.since} … ${range.until} (USD, tokens)`);
        out('instance   agent     cost    input  output  cache+  cache→ sessions    today');
        instances.forEach((r, i) => out(line(r, today.instances[i]?.costUsd ?? 0)));
        out(line(total, today.total.costUsd));
        const block = currentBlock(fleetEntries(usage));
        if (block) {
          const tokens =
            block.inputTokens +
            block.outputTokens +
            block.cacheCreationTokens +
            block.cacheReadTokens;
          const left = Math.max(0, Math.round((block.end.getTime() - Date.now()) / 60000));
          out(
            `5-hour window: ${hm(block.start)}–${hm(block.end)}, $${usd(block.costUsd)}, ${tok(tokens)} tokens, ${Math.floor(left / 60)}h ${left % 60}m left`,
          );
        } else out('5-hour window: none open (no call in the last 5 hours)');
        if (usage.unpriced.size > 0)
          err(
            `fleet-tui: warning: no price for ${[...usage.unpriced].map((m) => JSON.stringify(m)).join(', ')}; counted as 0 USD (give --prices FILE)`,
          );
      },
    );
}
