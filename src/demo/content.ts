/**
 * What the demo repository holds: a small app shaped like the article's project (Flutter UI,
 * Supabase Edge Functions and migrations, docs, blog), plus the work each simulated instance
 * has already committed when the demo opens.
 */
export function initialFiles(day: string): Record<string, string> {
  return {
    '.gitignore': '.claude/worktrees/\nnode_modules/\n',
    'README.md':
      '# demo-app\n\nA sandbox built by `fleet-tui demo`. Everything here is simulated.\n',
    'pubspec.yaml': 'name: demo_app\nversion: 1.0.0\n',
    'lib/main.dart': "void main() => print('demo');\n",
    'supabase/functions/hello/index.ts': "Deno.serve(() => new Response('hello'));\n",
    'supabase/migrations/20261101000000_init.sql': 'create table profiles (id uuid primary key);\n',
    [`supabase/migrations/${day}000000_seed.sql`]:
      'insert into profiles values (gen_random_uuid());\n',
    'docs/ROADMAP.md': '# Roadmap\n\n- ship the fleet\n',
    'blog/README.md': '# Blog\n',
    'content/ai-university/README.md': '# AI University\n',
    'data/competitors/companies.csv': 'name,url\n',
    'pipelines/horse-racing/README.md': '# Horse racing AI\n',
    '.github/workflows/ci.yml': 'name: ci\non: push\njobs: {}\n',
    'scripts/sync.sh': '#!/bin/sh\necho sync\n',
  };
}

export interface SeedCommit {
  files: Record<string, string>;
  message: string;
}

/**
 * Work already committed per instance. `win` and `codex1` both rewrite the roadmap's first item,
 * so push-all shows a conflict (codex1 replays after win); `ps3` commits a migration in its band.
 */
export function seedCommits(id: string, band: string, day: string): SeedCommit[] {
  switch (id) {
    case 'win':
      return [
        {
          files: { 'docs/ROADMAP.md': '# Roadmap\n\n- ship the fleet (docs first)\n' },
          message: 'docs: roadmap leads with docs',
        },
      ];
    case 'codex1':
      return [
        {
          files: { 'docs/ROADMAP.md': '# Roadmap\n\n- ship the fleet (research first)\n' },
          message: 'research: roadmap leads with research',
        },
      ];
    case 'ps3':
      return [
        {
          files: {
            [`supabase/migrations/${day}${band}_ai_university_lessons.sql`]:
              'create table lessons (id serial primary key, title text);\n',
          },
          message: 'ai-university: lessons table',
        },
      ];
    default:
      return [
        {
          files: { [`work/${id}/notes.md`]: `# ${id}\n\nfirst pass\n` },
          message: `${id}: first pass`,
        },
        {
          files: { [`work/${id}/notes.md`]: `# ${id}\n\nfirst pass\nsecond pass\n` },
          message: `${id}: second pass`,
        },
      ];
  }
}
