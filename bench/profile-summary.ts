// Summarize one .cpuprofile (e.g. a window profile, see lib/window-profiler.cjs): self time by
// module and the hottest functions. Usage: node --import jiti/register bench/profile-summary.ts F
import { formatSummary, summarizeProfile } from './lib/profile.js';

for (const file of process.argv.slice(2))
  console.log(formatSummary(file, summarizeProfile(file, 30)));
