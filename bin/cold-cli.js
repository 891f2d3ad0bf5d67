// Runs the bundled CLI (dist/cold/cli.cjs, scripts/bundle-cli.mjs) with V8's compiled code kept
// between runs: node 20 has no compile cache for modules (`module.enableCompileCache` is ≥ 22.1),
// but a vm.Script takes `cachedData`. The code is kept per command (what one command compiled
// is not what another runs) and per bundle (named after the hash on the bundle's first line:
// V8 itself checks only the source's length), node version and architecture, in dist/cold/v8/.
// A cache V8 rejects (another V8, other flags) is rewritten; where dist/ is not writable there
// is simply no cache.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** @type {vm.Script | undefined} */
let script;
let cacheFile = '';
/** Whether V8 took a cache, and whether that was only the one of an error run (`.partial`). */
let used = /** @type {'none' | 'partial' | 'full'} */ ('none');

/**
 * The bundle's exports, its code compiled from `cache` when V8 accepts it.
 * @param {URL} url
 * @param {string} command
 * @returns {{ main: (argv: string[]) => Promise<number> }}
 */
export function loadColdCli(url, command) {
  const file = fileURLToPath(url);
  const source = readFileSync(file, 'utf8');
  const hash = /^\/\/([0-9a-f]{16})/.exec(source)?.[1];
  /** @type {Buffer | undefined} */
  let cachedData;
  /** @type {'none' | 'partial' | 'full'} */
  let kind = 'none';
  if (hash) {
    cacheFile = fileURLToPath(
      new URL(`v8/${command}-${hash}-${process.version}-${process.arch}.bin`, url),
    );
    for (const [k, f] of /** @type {const} */ ([
      ['full', cacheFile],
      ['partial', `${cacheFile}.partial`],
    ])) {
      try {
        cachedData = readFileSync(f);
        kind = k;
        break;
      } catch {
        // None yet.
      }
    }
  }
  script = new vm.Script(source, { filename: file, cachedData });
  used = hash === undefined ? 'full' : script.cachedDataRejected === true ? 'none' : kind;
  /** @type {string[]} */
  const loaded = [];
  // What the command ran, module by module (test/integration/cli-lazy.test.ts reads it).
  Object.defineProperty(globalThis, Symbol.for('fleet-tui.cold-modules'), { value: loaded });
  const module = { exports: {} };
  // The bundle's value is the function expression scripts/bundle-cli.mjs wrote.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment -- vm returns any
  const run = /** @type {(...a: unknown[]) => void} */ (script.runInThisContext());
  run(
    module.exports,
    createRequire(url),
    module,
    file,
    fileURLToPath(new URL('.', url)),
    url.href,
    /** @param {string} from @param {string} spec */
    (from, spec) => import(/^\.\.?\//.test(spec) ? new URL(spec, new URL(from, url)).href : spec),
    /** @param {string} m */
    (m) => loaded.push(m),
  );
  return /** @type {{ main: (argv: string[]) => Promise<number> }} */ (module.exports);
}

/**
 * After the command ran: keep the code V8 compiled for it (all the functions it called), unless
 * V8 took a full cache. A usage or config error (exit 2) compiled little of the command: its
 * code is kept only where there is none, as `.partial`, which the next run that gets past the
 * error replaces with a full one (a cache V8 accepts is otherwise never rewritten, so every
 * later run would compile the rest again).
 * @param {number} exitCode
 */
export function keepCompiledCode(exitCode) {
  if (!script || used === 'full' || (exitCode === 2 && used === 'partial')) return;
  const target = exitCode === 2 ? `${cacheFile}.partial` : cacheFile;
  used = 'full';
  try {
    const data = script.createCachedData();
    mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, target);
  } catch {
    // Not writable (an installed package owned by another user): no cache, same behaviour.
  }
}
