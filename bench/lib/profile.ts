// `--profile`: where fleet-tui spends its CPU in a measured run. Summarizes a V8 .cpuprofile
// (node --cpu-prof) by self time per module (a package, a dist/ file, node internals, GC).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function moduleOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const dist = /\/dist\/(.*)$/.exec(url);
  if (dist) return `fleet-tui ${dist[1]}`;
  if (url.startsWith('node:')) return url.replace(/^node:internal\/(\w+).*/, 'node:$1');
  return path.basename(url);
}

export interface ProfileSummary {
  totalMs: number;
  /** [module, self ms] sorted by self time. */
  modules: Array<[string, number]>;
  /** [function at module:line, self ms]. */
  functions: Array<[string, number]>;
}

export function summarizeProfile(file: string, top = 12): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const selfUs = new Map<number, number>();
  p.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  const modules = new Map<string, number>();
  const functions = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    const ms = (selfUs.get(n.id) ?? 0) / 1000;
    if (!ms || n.callFrame.functionName === '(idle)') continue;
    total += ms;
    const mod = moduleOf(n.callFrame.url, n.callFrame.functionName);
    modules.set(mod, (modules.get(mod) ?? 0) + ms);
    const fn = `${n.callFrame.functionName || '(anonymous)'} ${mod}:${n.callFrame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + ms);
  }
  const sorted = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, v]): [string, number] => [k, Math.round(v)]);
  return { totalMs: Math.round(total), modules: sorted(modules), functions: sorted(functions) };
}

/** The newest profile node wrote into `dir` (one per process exit). */
export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .sort();
  return files.length ? path.join(dir, files.at(-1)!) : undefined;
}

export function formatSummary(title: string, s: ProfileSummary): string {
  const share = (ms: number) => `${((ms / s.totalMs) * 100).toFixed(0)}%`;
  return [
    `${title}: ${s.totalMs} ms of CPU sampled`,
    ...s.modules.map(([k, v]) => `  ${share(v).padStart(4)}  ${k}`),
    '  hottest functions:',
    ...s.functions.slice(0, 8).map(([k, v]) => `  ${share(v).padStart(4)}  ${k}`),
  ].join('\n');
}
