import { readFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';

/** A config compiled to one JavaScript module, and the local files it was built from. */
export interface CompiledConfig {
  /** `cjs` evaluates synchronously (under the vm timeout); `esm` is for top-level await. */
  format: 'cjs' | 'esm';
  code: string;
  /** Absolute paths of every local file bundled in (the config and what it imports). */
  inputs: string[];
}

const LOADERS = {
  '.ts': 'ts',
  '.mts': 'ts',
  '.cts': 'ts',
  '.tsx': 'tsx',
  '.js': 'js',
  '.mjs': 'js',
  '.cjs': 'js',
  '.jsx': 'jsx',
} as const;

/**
 * `import.meta.url`, `__dirname` and `__filename` name the file they are written in, as they do
 * when node runs it (what Vite does when it bundles `vite.config.ts`).
 */
const INJECTED = {
  'import.meta.url': '__fleet_import_meta_url',
  'import.meta.filename': '__fleet_filename',
  'import.meta.dirname': '__fleet_dirname',
  __filename: '__fleet_filename',
  __dirname: '__fleet_dirname',
};

function localFiles(): Plugin {
  return {
    name: 'fleet-config-local-files',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
        const source = await readFile(args.path, 'utf8');
        const file = JSON.stringify(args.path);
        const prelude =
          `const __fleet_filename = ${file}, __fleet_dirname = ${JSON.stringify(path.dirname(args.path))}, ` +
          `__fleet_import_meta_url = ${JSON.stringify(pathToFileURL(args.path).href)};`;
        const loader = LOADERS[path.extname(args.path) as keyof typeof LOADERS] ?? 'ts';
        // The prelude stays on the first line, so error positions keep their line numbers.
        return { contents: `${prelude}${source}`, loader };
      });
    },
  };
}

const BUILTINS = new Set(builtinModules);

/**
 * ESM output is imported from a data: URL, where a bare specifier cannot be resolved: each
 * package the config imports is resolved from the config's own directory, to an absolute URL.
 */
function absolutePackages(configFile: string, defineEntry: string): Plugin {
  const require = createRequire(configFile);
  return {
    name: 'fleet-config-absolute-packages',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path === 'fleet-tui') return { path: defineEntry };
        if (args.path.startsWith('node:') || BUILTINS.has(args.path)) {
          return { path: args.path, external: true };
        }
        try {
          return { path: pathToFileURL(require.resolve(args.path)).href, external: true };
        } catch {
          // Left as written: importing it fails, and that is reported as a load error.
          return { path: args.path, external: true };
        }
      });
    },
  };
}

const TLA = /top-level await/i;

/**
 * Bundle the config and the local files it imports into one module with esbuild; packages stay
 * imports. `fleet-tui` resolves to `defineEntry` (the identity `defineFleet`, all a config needs at
 * run time). CommonJS first (evaluated synchronously, so the vm timeout bounds it); a config with
 * top-level await gets ESM. Throws esbuild's error for a file that does not compile.
 */
export async function compileConfig(
  file: string,
  defineEntry: string,
  prefer: 'cjs' | 'esm' = 'cjs',
): Promise<CompiledConfig> {
  const esbuild = await import('esbuild');
  const build = (format: 'cjs' | 'esm') =>
    esbuild.build({
      entryPoints: [file],
      bundle: true,
      write: false,
      format,
      platform: 'node',
      target: `node${process.versions.node.split('.')[0]}`,
      packages: format === 'cjs' ? 'external' : undefined,
      alias: { 'fleet-tui': defineEntry },
      define: INJECTED,
      plugins:
        format === 'cjs' ? [localFiles()] : [absolutePackages(file, defineEntry), localFiles()],
      metafile: true,
      logLevel: 'silent',
      sourcemap: false,
    });
  let format = prefer;
  let result;
  try {
    result = await build(format);
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string }> }).errors ?? [];
    if (format === 'esm' || !errors.some((e) => TLA.test(e.text))) throw err;
    format = 'esm';
    result = await build('esm');
  }
  const cwd = process.cwd();
  const inputs = Object.keys(result.metafile.inputs).map((p) => path.resolve(cwd, p));
  return { format, code: result.outputFiles[0]!.text, inputs };
}
