import { git } from '../git/run.js';

export type PushResult =
  | { kind: 'ok' }
  | { kind: 'moved'; message: string }
  | { kind: 'refused'; message: string }
  | { kind: 'error'; message: string };

function tail(text: string): string {
  return text.trim().split('\n').filter(Boolean).slice(-4).join(' | ');
}

/** Push `tip` to `<remote>/<main>`: fast-forward only (never forced), hooks run. */
export async function pushTip(
  cwd: string,
  remote: string,
  main: string,
  tip: string,
): Promise<PushResult> {
  const res = await git(['push', '--porcelain', '--', remote, `${tip}:refs/heads/${main}`], {
    cwd,
    allowFail: true,
  });
  if (res.exitCode === 0) return { kind: 'ok' };
  const all = `${res.stdout}\n${res.stderr}`;
  if (/\[rejected\]|\(fetch first\)|\(non-fast-forward\)|stale info/.test(all)) {
    return { kind: 'moved', message: tail(all) };
  }
  const remoteMsg = res.stderr
    .split('\n')
    .filter((l) => l.startsWith('remote: '))
    .map((l) => l.slice(8).trim())
    .filter(Boolean)
    .join(' ');
  const rejected = /\[remote rejected\][^\n]*/.exec(all)?.[0];
  if (rejected) {
    // Quote the hook's own words; git's "(pre-receive hook declined)" only says who refused.
    const why = /\(([^)\n]*)\)/.exec(rejected)?.[1] ?? '';
    const who =
      why === 'pre-receive hook declined'
        ? "the remote's pre-receive hook refused the push"
        : `the remote refused the push${why ? ` (${why})` : ''}`;
    return { kind: 'refused', message: remoteMsg ? `${who}: "${remoteMsg}"` : who };
  }
  // A local pre-push hook that says no: the push never reached the remote.
  if (/failed to push some refs/.test(all) && !/fatal:/.test(all)) {
    return { kind: 'refused', message: `pre-push hook refused: ${tail(res.stderr)}` };
  }
  return { kind: 'error', message: tail(res.stderr || res.stdout) };
}
