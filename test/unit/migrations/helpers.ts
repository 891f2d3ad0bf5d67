import path from 'node:path';
import {
  buildMainView,
  compilePattern,
  parseName,
  type BadNameEntry,
  type EditEntry,
  type FleetModel,
  type InstanceView,
  type MigrationEntry,
  type Where,
} from '../../../src/core/migrations/model.js';
import { makeSuggester, type ReportSettings } from '../../../src/core/migrations/report.js';
import type { RuleContext } from '../../../src/core/migrations/rules/index.js';

const DIR = 'supabase/migrations';
const RE = compilePattern('^([0-9]+)_(.*)\\.sql$');

export function mig(
  file: string,
  where: Where,
  instance: string | null = null,
  oid = 'o1',
): MigrationEntry {
  const parsed = parseName(file, RE);
  if (!parsed) throw new Error(`not a migration name: ${file}`);
  return { instance, where, path: path.posix.join(DIR, file), file, oid, ...parsed };
}

export function bad(file: string, where: Where, instance: string | null = null): BadNameEntry {
  return { instance, where, path: path.posix.join(DIR, file), file };
}

export function inst(
  id: string | null,
  band: string | null,
  parts: Partial<InstanceView> = {},
): InstanceView {
  return { id, band, added: [], edits: [], badNames: [], ...parts };
}

export function edit(
  file: string,
  instance: string,
  change: EditEntry['change'],
  where: EditEntry['where'] = 'branch',
): EditEntry {
  return { instance, where, path: path.posix.join(DIR, file), change };
}

export function model(
  main: MigrationEntry[],
  instances: InstanceView[],
  mainBad: BadNameEntry[] = [],
): FleetModel {
  return { main: buildMainView(main, mainBad), instances };
}

const BANDS = { ps1: '001000', ps2: '002000', ps3: '010000' };

export function ctx(m: FleetModel, over: Partial<ReportSettings> = {}): RuleContext {
  const s: ReportSettings = {
    outOfOrder: 'warn',
    bandStep: 500,
    bands: BANDS,
    pattern: '^([0-9]+)_(.*)\\.sql$',
    mainRef: 'origin/main',
    day: '20261123',
    ...over,
  };
  return {
    outOfOrder: s.outOfOrder,
    bands: s.bands,
    pattern: s.pattern,
    mainRef: s.mainRef,
    suggest: makeSuggester(m, s),
  };
}
