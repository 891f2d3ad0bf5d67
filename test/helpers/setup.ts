// Runs in every test worker before any test: isolate git (and everything else that reads
// $HOME) from the developer's own configuration, and fix the author so SHAs are stable.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const base = mkdtempSync(path.join(os.tmpdir(), 'fleet-test-env-'));
const home = path.join(base, 'home');
mkdirSync(home, { recursive: true });
const gitconfig = path.join(base, 'gitconfig');
writeFileSync(
  gitconfig,
  [
    '[user]',
    '\tname = Fleet Test',
    '\temail = fleet-test@example.invalid',
    '[init]',
    '\tdefaultBranch = main',
    '[commit]',
    '\tgpgsign = false',
    '[advice]',
    '\tdetachedHead = false',
    '',
  ].join('\n'),
);

// Tests run the same whether or not the developer runs them inside tmux (attach switches the
// client there instead of attaching; tests that want that set $TMUX themselves).
delete process.env.TMUX;
delete process.env.TMUX_PANE;
Object.assign(process.env, {
  HOME: home,
  XDG_CONFIG_HOME: path.join(home, '.config'),
  GIT_CONFIG_GLOBAL: gitconfig,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Fleet Test',
  GIT_AUTHOR_EMAIL: 'fleet-test@example.invalid',
  GIT_COMMITTER_NAME: 'Fleet Test',
  GIT_COMMITTER_EMAIL: 'fleet-test@example.invalid',
  GIT_TERMINAL_PROMPT: '0',
  TZ: 'UTC',
});
