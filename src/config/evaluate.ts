import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { createJiti } from 'jiti';
import { sanitize } from '../text/sanitize.js';
import { ConfigError } from './config-error.js';
import { fleetConfigSchema, type FleetConfigParsed } from './schema.js';
import { semanticProblems, zodProblems } from './validate.js';
import { startWatchdog } from './watchdog.js';

/** Evaluating and reading the config must settle within this: it is code, and code can hang. */
const CONFIG_LOAD_LIMIT_MS = 5000;

/**
 * The module specifier `fleet-tui` inside a config resolves to the running fleet-tui's
 * `defineFleet` module (all a config needs at run time; types are erased). Not the package
 * entry: jiti would transpile all of fleet-tui behind it on every start (seconds on a busy
 * machine, and counted against the config's time limit).
 */
function selfEntry(): string {
  const here = fileURLToPath(import.meta.url);
  return path.join(path.dirname(here), `define${path.extname(here)}`);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n').find((l) => l.trim()) ?? 'unknown error').trim();
}

const loadError = (file: string, err: unknown) =>
  new ConfigError(file, [
    {
      at: '(load)',
      message: `the file could not be loaded: ${firstLine(err)} — fix the error in the file`,
    },
  ]);

const readError = (file: string, err: unknown) =>
  new ConfigError(file, [
    { at: '(validation)', message: `reading the config threw: ${firstLine(err)} — fix the file` },
  ]);

const TOO_SLOW = `the config did not finish loading within ${CONFIG_LOAD_LIMIT_MS / 1000} s (a top-level await that never settles, or a loop that never ends) — fix the file`;

const GUARDED = Symbol.for('fleet-tui.guarded');
type Guarded = { [GUARDED]?: () => unknown };

/**
 * Run `fn` synchronously; V8 stops it once it runs `ms` (node's vm timeout: a native watchdog
 * thread, far cheaper than starting a worker). Throws ERR_SCRIPT_EXECUTION_TIMEOUT then.
 */
function runWithin<T>(fn: () => T, ms: number): T {
  (globalThis as Guarded)[GUARDED] = fn;
  try {
    return vm.runInThisContext(`globalThis[Symbol.for('fleet-tui.guarded')]()`, {
      timeout: Math.max(1, Math.round(ms)),
      displayErrors: false,
    }) as T;
  } finally {
    delete (globalThis as Guarded)[GUARDED];
  }
}

const timedOut = (err: unknown) =>
  (err as { code?: unknown } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT';

function defaultOf(mod: unknown): unknown {
  // A module without a default export is reported by `check`.
  return mod && typeof mod === 'object' && 'default' in mod ? mod.default : undefined;
}

/** Schema check of the default export. Reading it runs the config's getters and Proxy traps. */
function check(raw: unknown, file: string): FleetConfigParsed {
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      {
        at: '(default export)',
        message:
          'the file must `export default defineFleet({...})` or a plain object — add a default export',
      },
    ]);
  }
  try {
    const parsed = fleetConfigSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    throw new ConfigError(file, zodProblems(parsed.error, raw));
  } catch (err) {
    if (err instanceof ConfigError || timedOut(err)) throw err;
    throw readError(file, err);
  }
}

/**
 * Evaluate fleet.config.ts (TypeScript through jiti; every start, since configs may read the
 * environment — only jiti's transpile is cached) and check it against the schema, all within
 * CONFIG_LOAD_LIMIT_MS. Every throw is a ConfigError (exit 2) with one line.
 *
 * The usual config evaluates synchronously: it runs under the vm timeout, which costs nothing
 * measurable. A config with top-level await (or one jiti can only import asynchronously) goes on
 * after any synchronous call returns, so that path is bounded by a watchdog thread that exits the
 * process (see watchdog.ts) — a few ms to start, paid only by such configs.
 */
export async function evaluateConfig(file: string, rootDir: string): Promise<FleetConfigParsed> {
  const deadline = Date.now() + CONFIG_LOAD_LIMIT_MS;
  const jiti = createJiti(import.meta.url, {
    alias: { 'fleet-tui': selfEntry() },
    moduleCache: false,
    fsCache: true,
    interopDefault: true,
  });
  let data: FleetConfigParsed;
  try {
    data = runWithin(() => {
      const mod: unknown = jiti(file);
      return check(defaultOf(mod), file);
    }, deadline - Date.now());
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if (timedOut(err)) throw new ConfigError(file, [{ at: '(load)', message: TOO_SLOW }]);
    // Top-level await (or an ESM-only import): evaluate again, asynchronously, under the watchdog.
    // A syntax error fails the same way there and is reported from there.
    const watchdog = startWatchdog({
      ms: deadline - Date.now(),
      message: `fleet-tui: ${sanitize(file)}: (load): ${TOO_SLOW}`,
    });
    try {
      let mod: unknown;
      try {
        mod = await jiti.import(file);
      } catch (e) {
        throw loadError(file, e);
      }
      data = check(defaultOf(mod), file);
    } finally {
      watchdog.stop();
    }
  }
  let problems;
  try {
    problems = await semanticProblems(data, rootDir);
  } catch (err) {
    throw readError(file, err);
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return data;
}
