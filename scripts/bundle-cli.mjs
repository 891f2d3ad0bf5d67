// `npm run build` step 3: the CLI as a few ES module files, dist/cold/main.js and its chunks (one
// per lazily loaded command), for the one-shot commands that run on a cold start in scripts and
// hooks (`status`, `migrations check`; see bin/fleet-tui.js). Node loads ~100 modules one by
// one for `status`: resolving, reading and compiling each cost ≈ 50 ms of CPU that a few files
// do not. Everything under dist/ stays as it is: the files that find siblings or package files
// through `import.meta.url` (the config's `define.js`, `package.json`, `prices/`) still find them,
// because each such `import.meta.url` is rewritten to the URL of the file it was written in.
// The TUI's packages (Ink, React, Yoga) and esbuild stay external: these commands never load them.
import { build } from 'esbuild';
import { nodeEsm } from './esbuild-node.mjs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const dist = path.join(root, 'dist');
const outdir = path.join(dist, 'cold');

const result = await build({
  ...nodeEsm,
  entryPoints: { main: path.join(dist, 'cli/main.js') },
  outdir,
  absWorkingDir: root,
  splitting: true,
  external: ['esbuild', 'ink', 'react', 'react/*', 'yoga-layout', 'react-devtools-core'],
  metafile: true,
  plugins: [
    {
      name: 'own-import-meta-url',
      setup(b) {
        b.onLoad({ filter: /\.js$/ }, async (a) => {
          if (!a.path.startsWith(dist + path.sep)) return undefined;
          const text = await readFile(a.path, 'utf8');
          if (!text.includes('import.meta.url')) return { contents: text, loader: 'js' };
          const rel = path.relative(outdir, a.path).split(path.sep).join('/');
          // Expressions only: a quoted 'import.meta.url' (compile.ts names it for esbuild) stays.
          const contents = text.replace(
            /(?<![\w'"`.])import\.meta\.url(?![\w'"`])/g,
            `new URL(${JSON.stringify(rel)}, import.meta.url).href`,
          );
          return { contents, loader: 'js', resolveDir: path.dirname(a.path) };
        });
      },
    },
  ],
});

// Which modules each output file holds (test/integration/cli-lazy.test.ts checks what a command
// loads through it).
const held = Object.fromEntries(
  Object.entries(result.metafile.outputs).map(([out, o]) => [
    path.basename(out),
    Object.keys(o.inputs).map((i) =>
      path.relative(root, path.resolve(root, i)).split(path.sep).join('/'),
    ),
  ]),
);
await writeFile(path.join(dist, 'cold.modules.json'), `${JSON.stringify(held)}\n`);
