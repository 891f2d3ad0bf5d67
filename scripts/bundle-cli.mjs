// `npm run build` step 3: the CLI as one script, dist/cold/cli.cjs, for the one-shot commands that
// run on a cold start in scripts and hooks (`status`, `migrations check`; see bin/fleet-tui.js).
// Node loads ~100 modules one by one for `status`: resolving, reading and compiling each cost
// ≈ 50 ms of CPU that one file does not. A *script* (CommonJS, not an ES module) because node 20
// can keep V8's compiled code only of a script (vm.Script `cachedData`; `module.enableCompileCache`
// needs node ≥ 22.1): bin/fleet-tui.js keeps it in dist/cold/v8/ after the first run.
//
// The file is written as one function expression taking what a module would have: `require`,
// the bundle's own URL (each `import.meta.url` is rewritten to the URL of the file it was written
// in, so `define.js`, `package.json` and `prices/` are found as before), `__fleet_import` for the
// dynamic imports left (a script compiled by vm cannot `import()` on node 20 without
// --experimental-vm-modules: the config's data: URL, esbuild, the TUI bundle), and
// `__fleet_loaded`, which receives each module's path as it runs (test/integration/cli-lazy.test.ts
// checks what a command runs through it). Lazily imported modules stay lazy: esbuild turns each
// `import('./x.js')` into a call that runs the module's code only then.
// Its first line is the SHA-256 of the rest: the code cache is named after it (V8 itself checks
// only the source's length).
// The TUI's packages (Ink, React, Yoga) and esbuild stay external: these commands never load them.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const outdir = path.join(dist, 'cold');
const rel = (file) => path.relative(outdir, file).split(path.sep).join('/');

// Emptied: an older build's code cache (dist/cold/v8/) is named for another hash.
await rm(outdir, { recursive: true, force: true });
await mkdir(outdir, { recursive: true });
const result = await build({
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // Relative dynamic imports become lazy requires inside the bundle (what is left is rewritten
  // to __fleet_import below).
  supported: { 'dynamic-import': false },
  entryPoints: [path.join(dist, 'cli/main.js')],
  write: false,
  outfile: path.join(outdir, 'cli.cjs'),
  absWorkingDir: root,
  external: ['esbuild', 'ink', 'react', 'react/*', 'yoga-layout', 'react-devtools-core'],
  banner: {
    js: "(function (exports, require, module, __filename, __dirname, __fleet_url, __fleet_import, __fleet_loaded) {'use strict';",
  },
  footer: { js: '})' },
  plugins: [
    {
      name: 'own-urls',
      setup(b) {
        b.onLoad({ filter: /\.[cm]?js$/ }, async (a) => {
          const text = await readFile(a.path, 'utf8');
          // Appended, not prepended: a statement before it would end a file's 'use strict'.
          const ran = `\n;__fleet_loaded(${JSON.stringify(path.relative(root, a.path).split(path.sep).join('/'))});\n`;
          if (!a.path.startsWith(dist + path.sep)) return { contents: text + ran, loader: 'js' };
          const own = JSON.stringify(rel(a.path));
          const contents = text
            // Expressions only: a quoted 'import.meta.url' (compile.ts names it for esbuild) stays.
            .replace(
              /(?<![\w'"`.])import\.meta\.url(?![\w'"`])/g,
              `new URL(${own}, __fleet_url).href`,
            )
            // import() of anything but a relative path: the bin's import, resolved from this file.
            .replace(/(?<![\w$.'"`])import\((?!\s*['"`]\.\.?\/)/g, `__fleet_import(${own}, `);
          return { contents: contents + ran, loader: 'js', resolveDir: path.dirname(a.path) };
        });
      },
    },
  ],
});
const code = result.outputFiles[0].contents;
const hash = createHash('sha256').update(code).digest('hex');
const tmp = path.join(outdir, `cli.cjs.${process.pid}.tmp`);
await writeFile(tmp, Buffer.concat([Buffer.from(`//${hash}\n`), code]));
await rename(tmp, path.join(outdir, 'cli.cjs'));
