// Figure 8: one config load in a fresh process, modules already imported (what a command pays
// for its config when fleet.config.ts is unchanged: read, hash, evaluate, validate, resolve).
// Prints the milliseconds. Usage: node bench/config-load.js <dir of fleet.config.ts>
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const { loadFleetConfig } = await import(path.join(ROOT, 'dist/app/fleet-config.js'));
await import(path.join(ROOT, 'dist/config/evaluate.js'));
await import(path.join(ROOT, 'dist/core/state/fleet-state.js'));
const t0 = performance.now();
await loadFleetConfig({ cwd: process.argv[2] });
process.stdout.write(`${(performance.now() - t0).toFixed(2)}\n`);
