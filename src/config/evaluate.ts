import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { createRequire } from 'node:module';
import { sanitize } from '../text/sanitize.js';
import { compiledConfig } from './compile-cache.js';
import { compileConfig } from './compile.js';
import { ConfigError } from './config-error.js';
import type { FleetConfigParsed } from './schema.js';
import { semanticProblems, zodProblems } from './validate.js';
import { readValidated, storeValidated, validatedEntry } from './validated-cache.js';
import { startWatchdog } from './watchdog.js';

/** Evaluating and reading the config must settle within this: it is code, and code can hang. */
const CONFIG_LOAD_LIMIT_MS = 5000;

/**
 * The module specifier `fleet-tui` inside a config resolves to the running fleet-tui's
 * `defineFleet` module (all a config needs at run time; types are erased), bundled into the
 * compiled config. Not the package entry: that would bundle all of fleet-tui behind it.
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

function requireObject(raw: unknown, file: string): void {
  if (raw === undefined || raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, [
      {
        at: '(default export)',
        message:
          'the file must `export default defineFleet({...})` or a plain object — add a default export',
      },
    ]);
  }
}

/**
 * Schema check of the default export. Reading it runs the config's getters and Proxy traps,
 * so it runs within what is left of the load time. A result that is plain data and was checked
 * before comes from validated-cache.ts without loading zod.
 */
async function check(raw: unknown, file: string, deadline: number): Promise<FleetConfigParsed> {
  requireObject(raw, file);
  const entry = validatedEntry(file, raw);
  const kept = entry ? readValidated(entry) : null;
  if (kept) return kept;
  const loading = Date.now();
  const { fleetConfigSchema } = await import('./schema.js');
  // Loading zod is fleet-tui's time, not the config's: it does not count.
  const end = deadline + (Date.now() - loading);
  let data: FleetConfigParsed;
  try {
    data = runWithin(() => {
      const parsed = fleetConfigSchema.safeParse(raw);
      if (parsed.success) return parsed.data;
      throw new ConfigError(file, zodProblems(parsed.error, raw));
    }, end - Date.now());
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    if (timedOut(err)) throw new ConfigError(file, [{ at: '(load)', message: TOO_SLOW }]);
    throw readError(file, err);
  }
  if (entry) await storeValidated(entry, data);
  return data;
}

/** esbuild's first error, as one line with its position. */
function compileProblem(file: string, err: unknown): ConfigError {
  const first = (err as { errors?: CompileMessage[] }).errors?.[0];
  if (!first) return loadError(file, err);
  const at = first.location
    ? ` (line ${first.location.line}, column ${first.location.column + 1})`
    : '';
  return loadError(file, new Error(`${first.text}${at}`));
}
interface CompileMessage {
  text: string;
  location: { line: number; column: number } | null;
}

/** Errors of a CommonJS evaluation that ESM evaluation would not raise. */
const NEEDS_ESM = new Set(['ERR_REQUIRE_ASYNC_MODULE', 'ERR_REQUIRE_ESM']);
const needsEsm = (err: unknown) => NEEDS_ESM.has(String((err as { code?: unknown })?.code));

/** The compiled CommonJS module's exports, evaluated synchronously. */
function prepareCjs(code: string, file: string): () => unknown {
  const wrapper = vm.runInThisContext(`(function (exports, require, module) {${code}\n})`, {
    filename: file,
  }) as (exports: unknown, require: NodeJS.Require, module: { exports: unknown }) => void;
  return () => {
    const module = { exports: {} as unknown };
    wrapper.call(module.exports, module.exports, createRequire(file), module);
    return module.exports;
  };
}

/** Each ESM evaluation gets its own URL: the loader would otherwise return the first one's module. */
let esmLoads = 0;
function importEsm(code: string): Promise<unknown> {
  const body = `${code}\n// fleet-tui load ${process.pid}.${++esmLoads}\n`;
  return import(`data:text/javascript;base64,${Buffer.from(body).toString('base64')}`);
}

/**
 * Evaluate fleet.config.ts and check it against the schema, all within CONFIG_LOAD_LIMIT_MS.
 * Compiling (esbuild: the config and its local imports into one module) is cached per content
 * (compile-cache.ts); evaluating runs on every start, since configs may read the environment.
 * Every throw is a ConfigError (exit 2) with one line.
 *
 * The usual config compiles to CommonJS and evaluates synchronously: it runs under the vm
 * timeout, which costs nothing measurable. A config with top-level await (or one that requires an
 * ES module with top-level await) is imported as ESM and goes on after any synchronous call
 * returns, so that path is bounded by a watchdog thread that exits the process (see
 * watchdog.ts) — a few ms to start, paid only by such configs.
 */
export async function evaluateConfig(file: string, rootDir: string): Promise<FleetConfigParsed> {
  let compiled;
  try {
    compiled = await compiledConfig(file, selfEntry());
  } catch (err) {
    throw compileProblem(file, err);
  }
  // The limit bounds the config's own code, so its clock starts once esbuild is done: compiling
  // took most of the 5 s on a loaded machine and a plain config was reported as never settling.
  const deadline = Date.now() + CONFIG_LOAD_LIMIT_MS;
  let data: FleetConfigParsed | null = null;
  let code = compiled.format === 'esm' ? compiled.code : null;
  if (compiled.format === 'cjs') {
    const run = prepareCjs(compiled.code, file);
    let raw: unknown;
    let ran = false;
    try {
      raw = runWithin(() => defaultOf(run()), deadline - Date.now());
      ran = true;
    } catch (err) {
      if (timedOut(err)) throw new ConfigError(file, [{ at: '(load)', message: TOO_SLOW }]);
      if (!needsEsm(err)) throw loadError(file, err);
      try {
        code = (await compileConfig(file, selfEntry(), 'esm')).code;
      } catch (e) {
        throw compileProblem(file, e);
      }
    }
    if (ran) data = await check(raw, file, deadline);
  }
  if (!data) data = await evaluateEsm(code!, file, deadline);
  let problems;
  try {
    problems = await semanticProblems(data, rootDir);
  } catch (err) {
    throw readError(file, err);
  }
  if (problems.length > 0) throw new ConfigError(file, problems);
  return data;
}

/** Import the ESM build under the watchdog (top-level await may never settle). */
async function evaluateEsm(
  code: string,
  file: string,
  deadline: number,
): Promise<FleetConfigParsed> {
  const watchdog = startWatchdog({
    ms: deadline - Date.now(),
    message: `fleet-tui: ${sanitize(file)}: (load): ${TOO_SLOW}`,
  });
  try {
    let mod: unknown;
    try {
      mod = await importEsm(code);
    } catch (e) {
      throw loadError(file, e);
    }
    return await check(defaultOf(mod), file, deadline);
  } finally {
    watchdog.stop();
  }
}
