import { defineFleet } from 'fleet-tui';

// The worked example: the article's fleet of ten agents. Eight Claude Code instances and two
// Codex CLI instances, each with a locked role, its own worktree and a band of migration
// timestamps (ps3 owns 001000, 001500, 002000, …; win owns 010000, 010500, …).
export default defineFleet({
  remote: 'origin',
  mainBranch: 'main',
  worktreeRoot: '.claude/worktrees',
  migrations: { dir: 'supabase/migrations', bandStep: 500, outOfOrder: 'warn' },

  roles: {
    'flutter-ef': {
      title: 'Flutter UI + Edge Functions',
      paths: ['lib/**', 'supabase/functions/**', 'pubspec.yaml'],
      prompt: 'You own the Flutter UI (lib/) and the Supabase Edge Functions. Stay inside them.',
    },
    docs: {
      title: 'Docs + video pipeline',
      paths: ['docs/**', 'video/**', 'scripts/video/**'],
      prompt: 'You own the docs and the video pipeline.',
    },
    health: {
      title: 'Workflow health monitoring',
      paths: ['.github/workflows/**', 'scripts/health/**'],
      prompt: 'You watch the CI workflows and fix what breaks in them.',
    },
    blog: {
      title: 'Blog dispatch (dev.to/Qiita)',
      paths: ['blog/**', 'scripts/blog/**'],
      prompt: 'You write and dispatch blog posts to dev.to and Qiita.',
    },
    'ai-university': {
      title: 'AI University content',
      paths: ['content/ai-university/**', 'supabase/migrations/**'],
      prompt: 'You own the AI University content and its tables.',
    },
    competitors: {
      title: '172-company competitor data',
      paths: ['data/competitors/**', 'scripts/competitors/**', 'supabase/migrations/**'],
      prompt: 'You maintain the competitor data set of 172 companies.',
    },
    'ef-auth': {
      title: 'EF integration + auth guard',
      paths: [
        'supabase/functions/_shared/**',
        'supabase/functions/auth-*/**',
        'supabase/migrations/**',
      ],
      prompt: 'You own Edge Function integration and the auth guard.',
    },
    'horse-racing': {
      title: 'Horse racing AI pipeline',
      paths: ['pipelines/horse-racing/**', 'supabase/migrations/**'],
      prompt: 'You own the horse racing AI pipeline.',
    },
    research: {
      title: 'Cross-cutting research + fix PRs',
      paths: ['**'],
      prompt: 'You research cross-cutting problems and send small fix commits.',
    },
    ops: {
      title: 'CI/sync/ops assist',
      paths: ['.github/**', 'scripts/**', 'package.json'],
      prompt: 'You assist with CI, syncing and operations.',
    },
  },

  instances: [
    { id: 'vscode', role: 'flutter-ef', agent: 'claude', band: '000000' },
    { id: 'win', role: 'docs', agent: 'claude', band: '010000' },
    { id: 'ps1', role: 'health', agent: 'claude', band: '007000' },
    { id: 'ps2', role: 'blog', agent: 'claude', band: '003000' },
    { id: 'ps3', role: 'ai-university', agent: 'claude', band: '001000' },
    { id: 'ps4', role: 'competitors', agent: 'claude', band: '004000' },
    { id: 'ps5', role: 'ef-auth', agent: 'claude', band: '005000' },
    { id: 'ps6', role: 'horse-racing', agent: 'claude', band: '006000' },
    { id: 'codex1', role: 'research', agent: 'codex', band: '020000' },
    { id: 'codex2', role: 'ops', agent: 'codex', band: '030000' },
  ],
});
