/**
 * The one tmux invocation that creates an instance's window (or the fleet's session with its
 * first window) and sets it up before the agent can run: remain-on-exit (its exit status is
 * kept), the @fleet_instance tag (adoption), no renames, and the pane's size. Every word is ours:
 * instance ids are validated and the launcher path ends in `.sh` (launcher.ts).
 */
export function newWindowArgv(
  o: {
    session: string;
    exists: boolean;
    instance: string;
    cols: number;
    rows: number;
    format: string;
  },
  launcherArgv: string[],
): string[] {
  const size = ['-x', String(o.cols), '-y', String(o.rows)];
  const target = `=${o.session}:=${o.instance}`;
  const setWindow = (name: string, value: string) => [
    ';',
    'set-option',
    '-w',
    '-t',
    target,
    name,
    value,
  ];
  const create = o.exists
    ? [
        // A new window takes the session's default-size when no client sizes it: the pane's.
        'set-option',
        '-t',
        // `=name:` — set-option reads its target as a pane: a bare `=name` is not found.
        `=${o.session}:`,
        'default-size',
        `${o.cols}x${o.rows}`,
        ';',
        'new-window',
        '-d',
        '-t',
        `=${o.session}:`,
        '-n',
        o.instance,
      ]
    : ['new-session', '-d', '-s', o.session, '-n', o.instance, ...size];
  return [
    ...create,
    '-P',
    '-F',
    o.format,
    '--',
    ...launcherArgv,
    ...setWindow('remain-on-exit', 'on'),
    ...setWindow('@fleet_instance', o.instance),
    ...setWindow('allow-rename', 'off'),
    // Sized (and window-size manual) in the same invocation, before the agent reads its size;
    // an attached client then no longer resizes it behind the pane's back.
    ';',
    'resize-window',
    '-t',
    target,
    ...size,
  ];
}
