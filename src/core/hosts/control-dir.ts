import { lstatSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FleetError } from '../errors.js';

/**
 * Where the shared SSH connections' control sockets live: a short private directory (a socket
 * path must fit in 108 bytes), one per user, kept across runs so a `status` right after another
 * reuses the connection ControlPersist keeps open. Anyone who can open a control socket can run
 * commands on the host as you, so the directory must be ours, a real directory, mode 0700.
 * FLEET_SSH_CONTROL_DIR overrides it (tests use their own).
 */
export function controlDir(): string {
  const uid = process.getuid?.() ?? 0;
  const base = existsDir('/tmp') ? '/tmp' : os.tmpdir();
  const dir = process.env.FLEET_SSH_CONTROL_DIR || path.join(base, `fleet-ssh-${uid}`);
  try {
    mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new FleetError(
        `cannot create the SSH control directory ${dir}: ${(e as Error).message} — set FLEET_SSH_CONTROL_DIR to a private directory`,
      );
    }
  }
  const st = lstatSync(dir);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new FleetError(
      `the SSH control directory ${dir} is not a private directory of yours (must be a real directory, owned by you, mode 0700) — remove it or set FLEET_SSH_CONTROL_DIR`,
    );
  }
  return dir;
}

function existsDir(p: string): boolean {
  try {
    return lstatSync(p).isDirectory();
  } catch {
    return false;
  }
}
