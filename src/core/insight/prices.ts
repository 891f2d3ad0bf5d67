import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors.js';

/**
 * Model prices in LiteLLM's `model_prices_and_context_window.json` format (USD per token). The
 * snapshot shipped with fleet-tui is dated in its file name; `--prices FILE` takes a newer copy of
 * LiteLLM's whole table (or any subset) instead. There is no network at run time.
 */
export interface ModelPrice {
  input_cost_per_token?: number;
  output_cost_per_token?: number;
  cache_creation_input_token_cost?: number;
  cache_read_input_token_cost?: number;
  input_cost_per_token_above_200k_tokens?: number;
  output_cost_per_token_above_200k_tokens?: number;
  cache_creation_input_token_cost_above_200k_tokens?: number;
  cache_read_input_token_cost_above_200k_tokens?: number;
  provider_specific_entry?: { fast?: number };
}

export type PriceTable = Map<string, ModelPrice>;

/** The shipped snapshot: `prices/` sits two levels above both `src/core/insight` and `dist/core/insight`. */
const PRICE_SNAPSHOT = 'litellm-2026-05-17.json';
const snapshotUrl = new URL(`../../../prices/${PRICE_SNAPSHOT}`, import.meta.url);

const PRICE_KEYS = [
  'input_cost_per_token',
  'output_cost_per_token',
  'cache_creation_input_token_cost',
  'cache_read_input_token_cost',
  'input_cost_per_token_above_200k_tokens',
  'output_cost_per_token_above_200k_tokens',
  'cache_creation_input_token_cost_above_200k_tokens',
  'cache_read_input_token_cost_above_200k_tokens',
] as const;

/** Keep the entries that carry prices, as ccusage does (LiteLLM's `sample_spec` and the like drop out). */
export function parsePriceTable(json: unknown): PriceTable {
  const table: PriceTable = new Map();
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return table;
  for (const [model, raw] of Object.entries(json as Record<string, unknown>)) {
    if (typeof raw !== 'object' || raw === null) continue;
    const r = raw as Record<string, unknown>;
    const price: ModelPrice = {};
    let valid = true;
    for (const k of PRICE_KEYS) {
      if (r[k] === undefined) continue;
      if (typeof r[k] !== 'number' || !Number.isFinite(r[k])) valid = false;
      else price[k] = r[k];
    }
    const fast = (r.provider_specific_entry as { fast?: unknown } | undefined)?.fast;
    if (typeof fast === 'number') price.provider_specific_entry = { fast };
    if (valid) table.set(model, price);
  }
  return table;
}

/** The shipped snapshot, or `file` (a LiteLLM price table) when given. Bad file → FleetError. */
export function loadPrices(file?: string): PriceTable {
  const where = file ?? fileURLToPath(snapshotUrl);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(where, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new UsageError(
      `--prices ${where}: cannot read it as JSON (${why}); give a copy of LiteLLM's model_prices_and_context_window.json`,
    );
  }
  const table = parsePriceTable(json);
  if (file && table.size === 0)
    throw new UsageError(
      `--prices ${file}: no model prices in it; expected LiteLLM's format {"model": {"input_cost_per_token": …}}`,
    );
  return table;
}

/** Prefixes ccusage tries before its fuzzy match (its Claude and Codex lists together). */
const PREFIXES = [
  'anthropic/',
  'claude-3-5-',
  'claude-3-',
  'claude-',
  'openai/',
  'azure/',
  'openrouter/openai/',
];

/** ccusage's lookup: exact name, then with a provider prefix, then either name containing the other. */
export function findPrice(table: PriceTable, model: string): ModelPrice | null {
  for (const candidate of [model, ...PREFIXES.map((p) => `${p}${model}`)]) {
    const p = table.get(candidate);
    if (p) return p;
  }
  const lower = model.toLowerCase();
  for (const [key, p] of table) {
    const k = key.toLowerCase();
    if (k.includes(lower) || lower.includes(k)) return p;
  }
  return null;
}

export interface TokenCounts {
  input: number;
  output: number;
  cacheCreation: number;
  cacheRead: number;
}

const TIER = 200_000;

function tiered(tokens: number, base?: number, above?: number): number {
  if (tokens <= 0) return 0;
  if (tokens > TIER && above !== undefined)
    return (tokens - TIER) * above + (base !== undefined ? TIER * base : 0);
  return base !== undefined ? tokens * base : 0;
}

/** Claude's cost as ccusage computes it: each kind of token priced on its own, 200k tiers, fast mode. */
export function claudeCost(t: TokenCounts, p: ModelPrice, speed?: string): number {
  const cost =
    tiered(t.input, p.input_cost_per_token, p.input_cost_per_token_above_200k_tokens) +
    tiered(t.output, p.output_cost_per_token, p.output_cost_per_token_above_200k_tokens) +
    tiered(
      t.cacheCreation,
      p.cache_creation_input_token_cost,
      p.cache_creation_input_token_cost_above_200k_tokens,
    ) +
    tiered(
      t.cacheRead,
      p.cache_read_input_token_cost,
      p.cache_read_input_token_cost_above_200k_tokens,
    );
  return cost * (speed === 'fast' ? (p.provider_specific_entry?.fast ?? 1) : 1);
}

/** Codex names ccusage prices as another model when the table has no price for them. */
const CODEX_ALIASES = new Map([
  ['gpt-5-codex', 'gpt-5'],
  ['gpt-5.3-codex', 'gpt-5.2-codex'],
]);

function hasPrice(p: ModelPrice | null): p is ModelPrice {
  return (
    !!p &&
    ((p.input_cost_per_token ?? 0) > 0 ||
      (p.output_cost_per_token ?? 0) > 0 ||
      (p.cache_read_input_token_cost ?? 0) > 0)
  );
}

export function findCodexPrice(table: PriceTable, model: string): ModelPrice | null {
  const direct = findPrice(table, model);
  const alias = CODEX_ALIASES.get(model);
  if (alias && !hasPrice(direct)) {
    const a = findPrice(table, alias);
    if (hasPrice(a)) return a;
  }
  return direct;
}

/**
 * Codex's cost as @ccusage/codex computes it: `input` here is already the uncached part; cached
 * input at the cache-read price (the input price when the table has none), no tiers.
 */
export function codexCost(t: TokenCounts, p: ModelPrice): number {
  const inPrice = p.input_cost_per_token ?? 0;
  return (
    t.input * inPrice +
    t.cacheRead * (p.cache_read_input_token_cost ?? inPrice) +
    t.output * (p.output_cost_per_token ?? 0)
  );
}
