import { z } from 'zod';
import { SUPABASE_MIGRATION_PATTERN } from './migration-pattern.js';

// Each command parses its config once: zod's JIT (it generates a parser per object schema on
// first use) cost more than it saved — the first config parse took 80–110 ms with it and
// 16–67 ms without on the benchmark machine. Set here, where the config is first parsed.
z.config({ jitless: true });

const ID_RE = /^[a-z0-9][a-z0-9-]{0,31}$/;
const BAND_RE = /^[0-9]{6}$/;

const idSchema = z.string().regex(ID_RE, {
  message: 'must match [a-z0-9][a-z0-9-]{0,31} (lower-case letters, digits, dashes)',
});

const patternSchema = z.string().refine(
  (p) => {
    try {
      return new RegExp(p).source.includes('(');
    } catch {
      return false;
    }
  },
  { message: 'must be a valid regular expression with a capture group for the version' },
);

const migrationsSchema = z.strictObject({
  dir: z.string().min(1).default('supabase/migrations'),
  pattern: patternSchema.default(SUPABASE_MIGRATION_PATTERN),
  bandStep: z.number().int().min(1).max(9999).default(500),
  outOfOrder: z.enum(['warn', 'error']).default('warn'),
});

const agentSchema = z.strictObject({
  command: z.string().min(1),
  args: z.array(z.string()).default([]),
  backend: z.enum(['tmux', 'exec']).default('tmux'),
  env: z.record(z.string(), z.string()).optional(),
});

const roleSchema = z.strictObject({
  title: z.string().min(1),
  paths: z.array(z.string().min(1)).default([]),
  prompt: z.string().optional(),
});

/**
 * An SSH host holding instances (issue "A fleet across machines"). `ssh` is what you would type
 * after `ssh`: an alias from your ssh config or `user@host`; `repo` is the absolute path of a
 * clone of the same origin on that host. Both reach a command line, so they are checked strictly.
 */
const hostSchema = z.strictObject({
  ssh: z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.@-]*$/, {
    message:
      'must be an ssh alias or user@host (letters, digits, "_", ".", "@", "-"; not starting with "-")',
  }),
  repo: z
    .string()
    .refine(
      (p) => p.startsWith('/') && ![...p].some((c) => c.charCodeAt(0) < 0x20 || c === '\x7f'),
      {
        message: 'must be the absolute path of the clone on that host (starting with "/")',
      },
    ),
  port: z.number().int().min(1).max(65535).optional(),
  identityFile: z.string().min(1).optional(),
});

const instanceSchema = z.strictObject({
  id: idSchema,
  role: z.string().min(1),
  agent: z.string().min(1),
  band: z.string().regex(BAND_RE, { message: 'must be six digits HHMMSS, e.g. "001000"' }),
  worktree: z.string().min(1).optional(),
  branch: z.string().min(1).optional(),
  /** A name under `hosts`: the worktree and branch live in that host's clone. */
  host: idSchema.optional(),
});

const sessionsSchema = z.strictObject({
  /** Lines of scrollback kept per instance (ring buffer). */
  scrollback: z.number().int().min(100).max(1_000_000).default(5000),
  /** Bytes (UTF-8) of scrollback kept per instance; the oldest lines go first. */
  scrollbackBytes: z
    .number()
    .int()
    .min(64 * 1024)
    .max(1024 * 1024 * 1024)
    .default(4 * 1024 * 1024),
  /** Without hook events, an agent whose output is quiet this long counts as idle. */
  idleAfterMs: z.number().int().min(100).default(5000),
  /** tmux session name; defaults to `fleet-<repository directory name>`. */
  tmuxSession: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .optional(),
});

/** Landing (issue "Never lose work"; later issues add their keys here). */
const landSchema = z.strictObject({
  /**
   * A branch whose merge commits carry content a linear replay loses (a conflict resolution, a
   * file added while merging main): 'merge' lands it as one merge commit on main, 'refuse'
   * leaves it `blocked` with what to run.
   */
  merges: z.enum(['merge', 'refuse']).default('merge'),
  /**
   * Commits that change files outside the instance's role (its `paths` and `sharedPaths`):
   * 'warn' lands them and says so, 'block' leaves the instance `blocked` with those files.
   */
  scope: z.enum(['warn', 'block']).default('warn'),
});

/** Ignored files `down` may delete without asking: build output and caches, by name. */
const DEFAULT_DISPOSABLE = [
  'node_modules',
  '.dart_tool',
  'build',
  'dist',
  '.next',
  'target',
  '__pycache__',
  '.venv',
];

const downSchema = z.strictObject({
  /** A name matches any path component; a name with "/" matches that path and what is under it. */
  disposable: z.array(z.string().min(1)).default(() => [...DEFAULT_DISPOSABLE]),
});

const keysSchema = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const fleetConfigSchema = z.strictObject({
  remote: z.string().min(1).default('origin'),
  mainBranch: z.string().min(1).default('main'),
  worktreeRoot: z.string().min(1).default('.claude/worktrees'),
  down: downSchema.default(() => downSchema.parse({})),
  migrations: migrationsSchema.default(() => migrationsSchema.parse({})),
  agents: z.record(z.string(), agentSchema).default({}),
  roles: z.record(idSchema, roleSchema),
  /** Globs (picomatch) every role may touch besides its own `paths`: lockfiles, shared docs. */
  sharedPaths: z.array(z.string().min(1)).default([]),
  instances: z.array(instanceSchema).min(1, { message: 'needs at least one instance' }),
  hosts: z.record(idSchema, hostSchema).default({}),
  keys: keysSchema.default({}),
  sessions: sessionsSchema.default(() => sessionsSchema.parse({})),
  land: landSchema.default(() => landSchema.parse({})),
});

/** What a user writes in fleet.config.ts (defaults optional). */
export type FleetConfigInput = z.input<typeof fleetConfigSchema>;
/** The parsed config with zod defaults filled in. */
export type FleetConfigParsed = z.output<typeof fleetConfigSchema>;
export type AgentSpec = z.output<typeof agentSchema>;
export type RoleSpec = z.output<typeof roleSchema>;
export type LandSpec = z.output<typeof landSchema>;
