import { appendFile, mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { git, gitOut } from '../core/git/run.js';
import { FLEET_BIN } from '../core/sessions/launch.js';

/** The simulated agent's real effects on its worktree: file edits, commits, migrations. */
export class SimWorkspace {
  constructor(
    readonly cwd: string,
    private readonly instance: string,
    private readonly migrationsDir: string,
  ) {}

  get logFile(): string {
    return path.join('work', this.instance, 'log.md');
  }

  async edit(line: string): Promise<void> {
    const file = path.join(this.cwd, this.logFile);
    await mkdir(path.dirname(file), { recursive: true });
    await appendFile(file, `- ${line}\n`);
  }

  /** Commit everything the agent changed; returns the short sha or an error line. */
  async commit(files: string[], message: string): Promise<{ ok: boolean; text: string }> {
    try {
      await git(['add', '--', ...files], { cwd: this.cwd });
      const res = await git(['commit', '-q', '-m', message], { cwd: this.cwd, allowFail: true });
      if (res.exitCode !== 0)
        return {
          ok: false,
          text: (res.stderr || res.stdout).trim().split('\n')[0] ?? 'commit failed',
        };
      return {
        ok: true,
        text: `[${await gitOut(['rev-parse', '--short', 'HEAD'], { cwd: this.cwd, readOnly: true })}] ${message}`,
      };
    } catch (e) {
      return { ok: false, text: (e as Error).message.split('\n')[0] ?? 'commit failed' };
    }
  }

  /** A migration in this instance's band, created the way a person would: `fleet-tui migrations new`. */
  async newMigration(name: string): Promise<{ ok: boolean; text: string; file: string | null }> {
    const res = await execa(
      process.execPath,
      [FLEET_BIN, 'migrations', 'new', this.instance, name, '--json'],
      {
        cwd: this.cwd,
        reject: false,
      },
    );
    if (res.exitCode !== 0)
      return { ok: false, text: String(res.stderr).split('\n')[0] ?? 'failed', file: null };
    try {
      const { path: file } = JSON.parse(String(res.stdout)) as { path: string };
      const rel = path.relative(this.cwd, path.resolve(this.cwd, file));
      await appendFile(
        path.join(this.cwd, rel),
        `-- ${name}, written by fleet-tui sim-agent (simulated)\n`,
      );
      return { ok: true, text: `created ${rel}`, file: rel };
    } catch (e) {
      return { ok: false, text: (e as Error).message, file: null };
    }
  }

  /**
   * Write a migration whose version collides with another instance's: the newest version found
   * on another branch and not in this worktree (else the newest in this worktree, i.e. main's).
   */
  async collidingMigration(): Promise<string> {
    const versionOf = (name: string) => /^(\d+)_.*\.sql$/.exec(name)?.[1] ?? null;
    const dir = path.join(this.cwd, this.migrationsDir);
    const own = new Set(
      (await readdir(dir).catch(() => [] as string[]))
        .map(versionOf)
        .filter((v): v is string => !!v),
    );
    const head = await gitOut(['rev-parse', '--abbrev-ref', 'HEAD'], {
      cwd: this.cwd,
      readOnly: true,
    }).catch(() => '');
    const branches = (
      await gitOut(['for-each-ref', '--format=%(refname:short)', 'refs/heads'], {
        cwd: this.cwd,
        readOnly: true,
      })
    )
      .split('\n')
      .filter((b) => b && b !== head);
    const theirs: string[] = [];
    for (const b of branches) {
      const names = await gitOut(['ls-tree', '--name-only', b, '--', `${this.migrationsDir}/`], {
        cwd: this.cwd,
        readOnly: true,
      });
      for (const n of names.split('\n')) {
        const v = versionOf(path.basename(n));
        if (v && !own.has(v)) theirs.push(v);
      }
    }
    const version = theirs.sort().pop() ?? [...own].sort().pop() ?? '20260101000000';
    const rel = path.posix.join(
      this.migrationsDir,
      `${version}_${this.instance.replace(/-/g, '_')}_sim_notes.sql`,
    );
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(this.cwd, rel),
      `-- written by fleet-tui sim-agent (${this.instance}), a simulated agent\ncreate table ${this.instance.replace(/-/g, '_')}_notes (id serial primary key);\n`,
    );
    return rel;
  }
}
