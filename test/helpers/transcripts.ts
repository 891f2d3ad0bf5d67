// Installs the real-format transcript fixtures (test/fixtures/transcripts) where Claude Code and
// Codex would have written them for a fleet's worktrees: a scratch CLAUDE_CONFIG_DIR and CODEX_HOME.
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './git-fixture.js';

const TRANSCRIPTS = path.join(REPO_ROOT, 'test', 'fixtures', 'transcripts');

/** Claude Code's project directory name: every non-alphanumeric character becomes '-'. */
const encode = (p: string) => p.replace(/[^A-Za-z0-9]/g, '-');

async function filesUnder(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true, withFileTypes: true });
  return names.filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

function fill(text: string, worktrees: Record<string, string>): string {
  return text.replace(/__WORKTREE:([a-z0-9-]+)__/g, (_, id: string) => {
    const wt = worktrees[id];
    if (!wt) throw new Error(`fixture names instance ${id}, which the test did not give`);
    // Inside JSON strings: escape as JSON would.
    return JSON.stringify(wt).slice(1, -1);
  });
}

export interface AgentHomes {
  claudeConfigDir: string;
  codexHome: string;
  env: Record<string, string>;
}

/**
 * Copy the fixtures into `dir`/claude and `dir`/codex. `worktrees` maps the fixture's instance ids
 * (ps1, ps2, codex1) to the test's worktree paths.
 */
export async function installTranscripts(
  dir: string,
  worktrees: Record<string, string>,
): Promise<AgentHomes> {
  const claudeConfigDir = path.join(dir, 'claude');
  const codexHome = path.join(dir, 'codex');
  for (const id of await readdir(path.join(TRANSCRIPTS, 'claude'))) {
    const wt = worktrees[id];
    if (!wt) continue;
    const src = path.join(TRANSCRIPTS, 'claude', id);
    const dest = path.join(claudeConfigDir, 'projects', encode(wt));
    for (const f of await filesUnder(src)) {
      const out = path.join(dest, path.relative(src, f));
      await mkdir(path.dirname(out), { recursive: true });
      await writeFile(out, fill(await readFile(f, 'utf8'), worktrees));
    }
  }
  const codexSrc = path.join(TRANSCRIPTS, 'codex');
  for (const f of await filesUnder(codexSrc)) {
    const out = path.join(codexHome, 'sessions', path.relative(codexSrc, f));
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, fill(await readFile(f, 'utf8'), worktrees));
  }
  return {
    claudeConfigDir,
    codexHome,
    env: { CLAUDE_CONFIG_DIR: claudeConfigDir, CODEX_HOME: codexHome },
  };
}
