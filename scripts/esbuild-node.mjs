// The TUI bundle's (bundle-ui.mjs) esbuild options: an ES module for node 20 (bundle-cli.mjs
// writes a script instead, for its code cache),
// whitespace and syntax minified (no renaming, so stack traces keep their names).
export const nodeEsm = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // CommonJS packages inside an ES module bundle still call require (node: built-ins).
  banner: {
    js: "import { createRequire as __fleetRequire } from 'node:module'; const require = __fleetRequire(import.meta.url);",
  },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
};
