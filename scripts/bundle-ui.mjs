// `npm run build` step 2: the TUI (dist/app/run-tui.js with React, Ink, Yoga and the UI) as one
// ES module, dist/app/run-tui.bundle.js. Loading ~740 modules one by one cost most of the TUI's
// start-up (≈ 1.1 s of 1.3 s to the first frame); one file parses in a fraction of that.
// React's production build only: a person who sets NODE_ENV to anything else gets the
// unbundled modules (see app/open-tui.ts). Ink's React DevTools bridge (development only) and
// its `ws` dependency are left out.
import { build } from 'esbuild';
import { nodeEsm } from './esbuild-node.mjs';
import path from 'node:path';

const root = path.join(import.meta.dirname, '..');
const empty = { contents: 'export default {};', loader: 'js' };

await build({
  ...nodeEsm,
  entryPoints: [path.join(root, 'dist/app/run-tui.js')],
  outfile: path.join(root, 'dist/app/run-tui.bundle.js'),
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [
    {
      name: 'no-devtools',
      setup(b) {
        b.onResolve(
          { filter: /^react-devtools-core$|(^|\/)devtools(-window-polyfill)?\.js$/ },
          (a) =>
            a.importer.includes(`${path.sep}ink${path.sep}`) || a.path === 'react-devtools-core'
              ? { path: a.path, namespace: 'empty' }
              : undefined,
        );
        b.onLoad({ filter: /.*/, namespace: 'empty' }, () => empty);
      },
    },
  ],
});
