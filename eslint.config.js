import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

/**
 * A layer's forbidden imports, as typescript-eslint's no-restricted-imports patterns.
 * @param {string} files
 * @param {Array<{ regex: string, message: string, allowTypeImports?: boolean }>} patterns
 */
function layer(files, patterns) {
  return {
    files: [files],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns }] },
  };
}

// The layers of ARCHITECTURE.md, kept by lint rather than by habit: `eslint <file>` alone
// rejects an import that crosses one the wrong way (test/unit/house/layers.test.ts checks them).
export const LAYERS = [
  layer('src/core/**', [
    {
      regex: '(^|/)(ui|app|cli|demo|sim)/',
      message: 'core/ never imports ui, app, cli, demo or sim',
    },
    { regex: '^(react|ink)(/|$)', message: 'core/ never imports React or Ink' },
  ]),
  // Git is the bottom of core: land, migrations and sessions use it, never the reverse.
  layer('src/core/git/**', [
    {
      regex: '(^|/)(ui|app|cli|demo|sim)/',
      message: 'core/ never imports ui, app, cli, demo or sim',
    },
    {
      regex: '(^|/)(land|migrations|sessions|fleet)/',
      message: 'core/git never imports land, migrations, sessions or fleet',
    },
  ]),
  layer('src/config/**', [
    { regex: '(^|/)(ui|app|cli)/', message: 'config/ never imports ui, app or cli' },
  ]),
  // The simulated agent is a program of its own (it runs the CLI, as a person would): it uses
  // core's parsers, hook events and git runner; nothing but the CLI's hidden command runs it.
  layer('src/sim/**', [
    {
      regex: '(^|/)(ui|app|cli|demo)/',
      message: 'sim/ (the simulated agent) never imports ui, app, cli or demo',
    },
    { regex: '^(react|ink)(/|$)', message: 'sim/ never imports React or Ink' },
  ]),
  layer('src/keymap/**', [
    {
      regex: '(^|/)(ui|app|cli|core)/',
      message: 'keymap/ is pure data: it imports no other layer',
    },
  ]),
  layer('src/text/**', [
    {
      regex: '(^|/)(ui|app|cli|core|config|keymap|demo|sim)/',
      message: 'text/ (the one sanitizer) is a leaf every layer may use: it imports no other layer',
    },
  ]),
  layer('src/ui/**', [
    {
      regex: '(^|/)core/',
      allowTypeImports: true,
      message: 'ui/ imports core types only: services reach it through FleetContext',
    },
    { regex: '(^|/)(app|cli)/', message: 'ui/ never imports app or cli' },
  ]),
];

// Strings reach the terminal through the one sanitizer: src/ui/text.tsx wraps Ink's Text.
const INK_TEXT_ONLY_IN_TEXT_TSX = {
  selector: "ImportDeclaration[source.value='ink'] > ImportSpecifier[imported.name='Text']",
  message:
    'Import Text from src/ui/text.tsx: it shows control characters instead of sending them to the terminal.',
};

// ARCHITECTURE.md: git runs in one module (LC_ALL=C, no optional locks for reads, observers).
export const GIT_ONLY_IN_RUNNER = {
  selector:
    "CallExpression[callee.name=/^(execa|execaSync|spawn|spawnSync|execFile|execFileSync)$/][arguments.0.value='git']",
  message: 'Run git through src/core/git/run.ts (git, gitOut, gitBytes), the one place git runs.',
};

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bench/results.json'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: {
          allowDefaultProject: ['*.js', 'bin/*.js', 'bench/*.js', 'scripts/*.mjs'],
          // Nine such files today (scripts/bundle-ui.mjs made it more than the default eight).
          maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 12,
        },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // Stray console output corrupts Ink frames; the CLI writes through process.stdout on purpose.
      'no-console': 'error',
    },
  },
  ...LAYERS,
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/ui/text.tsx', 'src/core/git/run.ts'],
    rules: { 'no-restricted-syntax': ['error', INK_TEXT_ONLY_IN_TEXT_TSX, GIT_ONLY_IN_RUNNER] },
  },
  {
    files: ['src/ui/text.tsx'],
    rules: { 'no-restricted-syntax': ['error', GIT_ONLY_IN_RUNNER] },
  },
  {
    files: ['test/**', 'bench/**', 'scripts/**'],
    rules: {
      'no-console': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);
