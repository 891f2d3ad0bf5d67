// Preloaded into fleet-tui (`node --import`) by `BENCH_WINDOW_PROFILE=<dir> npm run bench`:
// a CPU profile (and a sampled allocation profile, and the GC pauses) of only the window the
// bench measures, not of start-up. The bench sends SIGUSR2 when a window starts and again when
// it ends; each window is written to <dir>/window-<n>.cpuprofile / .heapprofile / .gc.json.
// Read a CPU profile in Chrome DevTools, or summarized by bench/lib/profile.ts (summarizeProfile).
// Never loaded in a measured run's figures that are reported (it costs a little CPU).
import inspector from 'node:inspector';
import fs from 'node:fs';
import path from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';

const dir = process.env.BENCH_WINDOW_PROFILE;
// Sampling interval (µs): the sampler's signals slow the process's own syscalls (the frame
// writes), so a short interval shows them larger than they are; 1000 (V8's default) by default.
const US = Number(process.env.BENCH_WINDOW_PROFILE_US) || 1000;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  const post = (method, params) =>
    new Promise((resolve, reject) =>
      session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res))),
    );
  let running = false;
  let n = 0;
  let gc = null;
  const obs = new PerformanceObserver((list) => {
    if (!gc) return;
    for (const e of list.getEntries()) {
      const kind = e.detail?.kind ?? 0;
      gc.count[kind] = (gc.count[kind] ?? 0) + 1;
      gc.ms[kind] = (gc.ms[kind] ?? 0) + e.duration;
    }
  });
  obs.observe({ entryTypes: ['gc'] });
  process.on('SIGUSR2', () => {
    if (!running) {
      running = true;
      gc = { count: {}, ms: {}, startedAt: Date.now() };
      void post('Profiler.enable')
        .then(() => post('Profiler.setSamplingInterval', { interval: US }))
        .then(() => post('Profiler.start'))
        .then(() => post('HeapProfiler.enable'))
        .then(() =>
          post('HeapProfiler.startSampling', {
            samplingInterval: 4096,
            includeObjectsCollectedByMajorGC: true,
            includeObjectsCollectedByMinorGC: true,
          }),
        );
      return;
    }
    running = false;
    n++;
    const base = path.join(dir, `window-${n}`);
    const g = gc;
    gc = null;
    g.endedAt = Date.now();
    g.memory = process.memoryUsage();
    fs.writeFileSync(`${base}.gc.json`, JSON.stringify(g, null, 1));
    void post('Profiler.stop')
      .then((r) => fs.writeFileSync(`${base}.cpuprofile`, JSON.stringify(r.profile)))
      .then(() => post('HeapProfiler.stopSampling'))
      .then((r) => fs.writeFileSync(`${base}.heapprofile`, JSON.stringify(r.profile)));
  });
}
