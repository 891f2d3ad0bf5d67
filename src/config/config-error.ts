import { UsageError } from '../core/errors.js';
import type { ConfigProblem } from './validate.js';

/** Problems found in one config file: exit 2, one line per problem naming the file and key. */
export class ConfigError extends UsageError {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(problems.map((p) => `${file}: ${p.at}: ${p.message}`).join('\n'));
    this.name = 'ConfigError';
  }
}
