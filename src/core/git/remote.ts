import type { ResolvedConfig } from '../../config/types.js';
import { UsageError } from '../errors.js';
import { git } from './run.js';

/**
 * Commands that fetch or push check first that the configured remote exists in this
 * repository, so a typo in `remote` is one clear line (exit 2) rather than git's fetch error per
 * instance. (Its name was validated with the config: it cannot start with "-".)
 */
export async function requireRemote(config: ResolvedConfig): Promise<void> {
  const res = await git(['remote'], { cwd: config.rootDir, readOnly: true, allowFail: true });
  const remotes = res.stdout.split('\n').filter(Boolean);
  if (res.exitCode === 0 && remotes.includes(config.remote)) return;
  const known = remotes.length > 0 ? `this repository has ${remotes.join(', ')}` : 'it has none';
  throw new UsageError(
    `${config.configPath ?? 'config'}: remote: "${config.remote}" is not a remote of ${config.rootDir} (${known}) — set "remote" to one of them, or add it with "git remote add ${config.remote} URL"`,
  );
}
