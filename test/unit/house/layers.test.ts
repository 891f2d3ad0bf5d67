import { ESLint, type Linter } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { expect, it } from 'vitest';
import { REPO_ROOT } from '../../helpers/git-fixture.js';

// The layer rules of eslint.config.js, run alone (without type-aware rules, so files need not
// exist): each import that crosses a layer the wrong way is rejected, and only those.
const CASES: Array<[file: string, code: string, rejected: boolean]> = [
  ['src/core/git/x.ts', "import { App } from '../../ui/App.js';", true],
  ['src/core/land/x.ts', "import { render } from 'ink';", true],
  ['src/core/land/x.ts', "import { runTui } from '../../app/run-tui.js';", true],
  ['src/core/land/x.ts', "import { program } from '../../cli/program.js';", true],
  ['src/config/x.ts', "import { HANDLERS } from '../ui/commands/handlers.js';", true],
  ['src/keymap/x.ts', "import { runGit } from '../core/git/run.js';", true],
  ['src/ui/x.ts', "import { FleetStore } from '../core/fleet/store.js';", true],
  ['src/ui/x.ts', "import type { FleetStore } from '../core/fleet/store.js';", false],
  ['src/ui/x.ts', "import { runTui } from '../app/run-tui.js';", true],
  ['src/config/x.ts', "import { COMMANDS } from '../keymap/commands.js';", false],
  ['src/core/land/x.ts', "import { runGit } from '../git/run.js';", false],
  ['src/core/git/x.ts', "import { land } from '../land/land.js';", true],
  ['src/core/git/x.ts', "import { readNeedsSync } from '../state/land-records.js';", false],
  ['src/app/x.ts', "import { App } from '../ui/App.js';", false],
  ['src/core/sessions/x.ts', "import { runSimAgent } from '../../sim/agent.js';", true],
  ['src/sim/x.ts', "import { runGit } from '../core/git/run.js';", false],
  ['src/sim/x.ts', "import { program } from '../cli/program.js';", true],
];

it('lint rejects imports that cross a layer the wrong way, and only those', async () => {
  // A plain-JS config module: imported by path so the type checker does not need its types.
  const configPath = path.join(REPO_ROOT, 'eslint.config.js');
  const { LAYERS } = (await import(configPath)) as { LAYERS: Linter.Config[] };
  const eslint = new ESLint({
    cwd: REPO_ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } },
      ...LAYERS,
    ],
    plugins: { '@typescript-eslint': tseslint.plugin },
  });
  for (const [file, code, rejected] of CASES) {
    const [res] = await eslint.lintText(`${code}\n`, { filePath: path.join(REPO_ROOT, file) });
    const crossings = res!.messages.filter(
      (m) => m.ruleId === '@typescript-eslint/no-restricted-imports',
    );
    expect(
      res!.messages.filter((m) => m.fatal),
      file,
    ).toEqual([]);
    expect(crossings.length > 0, `${file}: ${code}`).toBe(rejected);
  }
});
