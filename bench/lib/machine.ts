// What the figures were measured on: every entry of results.json carries this.
import { execFileSync } from 'node:child_process';
import os from 'node:os';

export interface Machine {
  nproc: number;
  memoryMb: number;
  cpu: string;
  kernel: string;
  node: string;
  git: string;
  tmux: string;
  /** 1-minute load average when the run started: these machines are shared. */
  loadAvg: number;
}

function version(cmd: string, args: string[]): string {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return 'missing';
  }
}

export function machine(): Machine {
  return {
    nproc: Number(version('nproc', [])) || os.availableParallelism(),
    memoryMb: Math.round(os.totalmem() / 2 ** 20),
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    kernel: os.release(),
    node: process.version,
    git: version('git', ['--version']).replace(/^git version /, ''),
    tmux: version('tmux', ['-V']).replace(/^tmux /, ''),
    loadAvg: Number(os.loadavg()[0]!.toFixed(1)),
  };
}
