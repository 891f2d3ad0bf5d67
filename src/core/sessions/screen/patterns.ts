import stripAnsi from 'strip-ansi';

/**
 * What an agent's screen says about it, for the states no hook reports: trust and login dialogs
 * (no hook fires before a person answers), a dialog dismissed with Esc and an interrupted turn
 * (nothing fires), an API error in an agent without a failure hook. One table per agent kind,
 * tested against screens recorded from the real binaries (test/fixtures/screens/, version in
 * the file name). Pure functions: screen text (ANSI allowed) in, status out.
 */
export type ScreenStatus = 'waiting' | 'idle' | 'working';
export type ScreenAgent = 'claude' | 'codex';

export interface ScreenPattern {
  /** Stable id, e.g. `claude.trust` (logged with the status it set). */
  id: string;
  /** null: a known in-between screen (resuming…) — keep what the hooks said. */
  status: ScreenStatus | null;
  /** What the person sees, in words. */
  what: string;
  /** Tested against the screen's bottom lines (see `bottomLines`); `all` holds every line with
   * text, for the few screens known by their header. */
  matches(bottom: string[], all: string[]): boolean;
  /**
   * Only on a permission dialog: the keys (tmux key names) that approve or deny it, as this agent
   * kind expects them — checked against the real binaries (test/contract/permission.test.ts).
   * Trust, login and hook-review dialogs have none: fleet-tui never answers those.
   */
  answers?: PermissionAnswers;
}

export interface PermissionAnswers {
  approve: readonly string[];
  deny: readonly string[];
}

/** Dialogs and prompts sit at the bottom of the screen: only the last lines that hold text are
 * read, so words in the conversation above (an agent quoting a dialog) do not count. */
const BOTTOM_LINES = 16;

export function bottomLines(screen: string, n = BOTTOM_LINES): string[] {
  const lines = stripAnsi(screen)
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines.filter((l) => l.trim() !== '').slice(-n);
}

const any = (lines: string[], re: RegExp) => lines.some((l) => re.test(l));
const RULE = /^─{20,}/;

/** Claude Code's input box: a `❯` line right below a full-width rule. */
function claudePrompt(lines: string[]): boolean {
  return lines.some((l, i) => i > 0 && /^❯(\s|$)/.test(l) && RULE.test(lines[i - 1]!));
}

const SCREEN_PATTERNS: Readonly<Record<ScreenAgent, readonly ScreenPattern[]>> = {
  claude: [
    {
      id: 'claude.trust',
      status: 'waiting',
      what: 'trust dialog ("Yes, I trust this folder" / "No, exit")',
      matches: (b) => any(b, /Yes, I trust this folder/) && any(b, /No, exit/),
    },
    {
      id: 'claude.api-key',
      status: 'waiting',
      what: 'custom API key question',
      matches: (b) => any(b, /Do you want to use this API key\?/),
    },
    {
      id: 'claude.permission',
      status: 'waiting',
      what: 'permission dialog ("Do you want to proceed?")',
      // "❯ 1. Yes … 3. No · Esc to cancel": the digit picks the option; Esc declines the call.
      answers: { approve: ['1'], deny: ['Escape'] },
      matches: (b) =>
        any(b, /Do you want to (proceed|make this edit|create|allow|run)/) ||
        (any(b, /^\s*❯\s1\. Yes/) && any(b, /Esc to cancel/)),
    },
    {
      id: 'claude.working',
      status: 'working',
      what: 'a turn in progress (footer "esc to interrupt")',
      matches: (b) => any(b, /esc to interrupt/),
    },
    {
      id: 'claude.prompt',
      status: 'idle',
      what: 'the input box, nothing running',
      matches: claudePrompt,
    },
  ],
  codex: [
    {
      id: 'codex.login',
      status: 'waiting',
      what: 'login screen ("Sign in with ChatGPT")',
      matches: (b) => any(b, /Sign in with ChatGPT/) || any(b, /Welcome to Codex/),
    },
    {
      id: 'codex.trust',
      status: 'waiting',
      what: 'trust dialog ("Trust this folder?")',
      matches: (b) => any(b, /Trust this folder\?/) || any(b, /Trust and continue/),
    },
    {
      // Project hooks (<worktree>/.codex/hooks.json) not yet trusted in the user's config.toml.
      id: 'codex.hooks-review',
      status: 'waiting',
      what: '"Hooks need review" dialog',
      matches: (b) => any(b, /Hooks need review/),
    },
    {
      id: 'codex.approval',
      status: 'waiting',
      what: 'approval dialog ("Would you like to run the following command?")',
      // "1. Yes, proceed (y) … 3. No, and tell Codex what to do differently (esc)".
      answers: { approve: ['y'], deny: ['Escape'] },
      matches: (b) =>
        any(b, /Would you like to (run the following command|make the following edits)/) ||
        any(b, /Press enter to confirm or esc to cancel/),
    },
    {
      id: 'codex.working',
      status: 'working',
      what: 'a turn in progress ("Working (… esc to interrupt)")',
      matches: (b) => any(b, /esc to interrupt/),
    },
    {
      // Starting with a prompt on the command line: the composer is drawn under the logo while
      // the header still says "loading".
      id: 'codex.loading',
      status: null,
      what: '"loading" under the OpenAI Codex header',
      matches: (_b, all) => all.slice(0, 4).some((l) => /^\s+loading\s*$/.test(l)),
    },
    {
      // `codex resume <id>` shows the composer under "Resuming session…" for seconds, and then
      // exits 1 when the id has no saved session: not idle yet.
      id: 'codex.resuming',
      status: null,
      what: '"Resuming session…" above the composer',
      matches: (b) => any(b, /Resuming session/),
    },
    {
      id: 'codex.prompt',
      status: 'idle',
      what: 'the composer, nothing running',
      matches: (b) => any(b, /^› /) && any(b, /\? for shortcuts/),
    },
  ],
};

/** The first pattern of `agent`'s table the screen matches, or null (blank, starting, unknown). */
export function matchScreen(agent: ScreenAgent, screen: string): ScreenPattern | null {
  const all = bottomLines(screen, Infinity);
  if (all.length === 0) return null;
  const bottom = all.slice(-BOTTOM_LINES);
  return SCREEN_PATTERNS[agent].find((p) => p.matches(bottom, all)) ?? null;
}

/** Screen text → 'waiting' | 'idle' | 'working', or null when the screen says nothing known. */
export function screenStatus(agent: ScreenAgent, screen: string): ScreenStatus | null {
  return matchScreen(agent, screen)?.status ?? null;
}

/**
 * The keys that answer the permission dialog on this screen, or null when the screen shows no
 * permission dialog (a trust or login dialog, the input box, a blank or unknown screen).
 */
export function permissionAnswers(agent: ScreenAgent, screen: string): PermissionAnswers | null {
  return matchScreen(agent, screen)?.answers ?? null;
}
