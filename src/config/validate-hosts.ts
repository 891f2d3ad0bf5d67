import type { FleetConfigParsed } from './schema.js';
import type { ConfigProblem } from './validate.js';

/** Instances naming a host that is not declared under `hosts`. */
export function hostProblems(cfg: FleetConfigParsed): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const known = Object.keys(cfg.hosts);
  cfg.instances.forEach((inst, i) => {
    if (inst.host === undefined || inst.host in cfg.hosts) return;
    problems.push({
      at: `instances[${i}].host`,
      message: `unknown host "${inst.host}" — declare it under hosts or use one of: ${known.join(', ') || 'none declared'}`,
    });
  });
  return problems;
}
