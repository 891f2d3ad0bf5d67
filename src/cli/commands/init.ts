import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CONFIG_NAMES } from '../../config/load.js';
import { UsageError } from '../../core/errors.js';
import { findRepo } from '../../core/git/repo.js';
import { out } from '../output.js';

const STARTER_CONFIG = `import { defineFleet } from 'fleet-tui';

// fleet-tui config: one entry per agent instance. Every key is documented in the README
// ("Config reference"); \`fleet-tui config\` prints this file with all defaults filled in.
export default defineFleet({
  // remote: 'origin',               // where main lives
  // mainBranch: 'main',
  // worktreeRoot: '.claude/worktrees', // instance worktrees: <worktreeRoot>/instance-<id>

  // Migration guard: files <dir>/<version>_<name>.sql; each instance owns a band of
  // HHMMSS timestamps starting at its \`band\`, in steps of \`bandStep\`.
  // migrations: { dir: 'supabase/migrations', bandStep: 500, outOfOrder: 'warn' },

  // Agent kinds. \`claude\` and \`codex\` are built in; declare others (or override them) here.
  // Args may use {instance} {role} {worktree} {rolePrompt}.
  // agents: { aider: { command: 'aider', args: ['--message', '{rolePrompt}'], backend: 'tmux' } },

  // Roles: what each instance owns. \`paths\` are globs; \`prompt\` is handed to the agent.
  roles: {
    app: { title: 'App UI', paths: ['lib/**', 'src/ui/**'], prompt: 'You own the app UI.' },
    backend: { title: 'Backend + migrations', paths: ['supabase/**'], prompt: 'You own the backend.' },
  },

  // Instances: id, role, agent kind and the start of its migration band (HHMMSS).
  // worktree defaults to <worktreeRoot>/instance-<id>; branch to <agent>/<id>-wip.
  instances: [
    { id: 'ps1', role: 'app', agent: 'claude', band: '001000' },
    { id: 'ps2', role: 'backend', agent: 'claude', band: '010000' },
  ],
});
`;

export function registerInit(program: Command): void {
  program
    .command('init')
    .description('write a commented starter fleet.config.ts in the current repository')
    .action(async () => {
      const repo = await findRepo(process.cwd());
      const dir = repo?.mainWorktree ?? repo?.topLevel ?? process.cwd();
      const existing = CONFIG_NAMES.map((n) => path.join(dir, n)).find((f) => existsSync(f));
      if (existing) {
        throw new UsageError(
          `${existing} already exists — edit it, or remove it first to start over`,
        );
      }
      const file = path.join(dir, 'fleet.config.ts');
      await writeFile(file, STARTER_CONFIG, { flag: 'wx' });
      out(`wrote ${file}`);
      out('next: edit roles and instances, then run "fleet-tui up" to create the worktrees');
    });
}
