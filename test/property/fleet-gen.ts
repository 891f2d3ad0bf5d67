// fast-check arbitraries for random fleets: what agents do to their branches between lands.
// Plain data (no git here) so fast-check can print and shrink a failing fleet.
import fc from 'fast-check';

export type Encoding = 'utf8' | 'latin1' | 'sjis' | 'eucjp';

export type FileAction =
  /** Text; `shared` picks a file every instance may edit (conflicts), else one of its own. */
  | { t: 'text'; shared: boolean; slot: number; line: number; word: string }
  | { t: 'binary'; slot: number; bytes: number[] }
  /** Remove / rename / chmod the n-th tracked file of the worktree (modulo their number). */
  | { t: 'delete'; pick: number }
  | { t: 'rename'; pick: number }
  | { t: 'chmod'; pick: number }
  | { t: 'symlink'; slot: number; target: number }
  /** A file under an ignored pattern, added with `git add -f` (tracked from now on). */
  | { t: 'forceIgnored'; slot: number; word: string };

export type Op =
  | { t: 'commit'; actions: FileAction[]; enc: Encoding }
  | { t: 'empty'; enc: Encoding }
  /** Merge origin/main (someone pushes first): clean, with a resolved conflict, or with extra content. */
  | { t: 'merge'; kind: 'clean' | 'conflict' | 'extra' }
  | { t: 'ignored'; slot: number; bytes: number[] }
  | { t: 'untracked'; slot: number; word: string }
  /** Uncommitted edit of a tracked file (keeps the worktree from syncing). */
  | { t: 'dirty'; pick: number; word: string };

export interface RoundSpec {
  /** Per instance, in order. */
  ops: Op[][];
  outside: { shared: boolean; word: string } | null;
  /** A pre-receive hook refuses commits whose subject says REFUSE; `refuseIn` marks one. */
  refuseIn: number | null;
  /** Someone pushes to main while the land runs its gate. */
  race: boolean;
}

export interface FleetSpec {
  instances: number;
  /** land.merges */
  merges: 'merge' | 'refuse';
  rounds: RoundSpec[];
}

const word = fc.constantFrom('alpha', 'beta', 'gamma', 'delta', 'omega');
const enc = fc.constantFrom<Encoding>('utf8', 'utf8', 'latin1', 'sjis', 'eucjp');
const bytes = fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 24 });
const slot = fc.nat({ max: 2 });
const pick = fc.nat({ max: 7 });

const action: fc.Arbitrary<FileAction> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('text' as const),
      shared: fc.boolean(),
      slot,
      line: fc.nat({ max: 3 }),
      word,
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('binary' as const), slot, bytes }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('delete' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('rename' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('chmod' as const), pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('symlink' as const), slot, target: pick }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('forceIgnored' as const), slot, word }) },
);

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('commit' as const),
      actions: fc.array(action, { minLength: 1, maxLength: 3 }),
      enc,
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('empty' as const), enc }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('merge' as const),
      kind: fc.constantFrom<'clean' | 'conflict' | 'extra'>('clean', 'conflict', 'extra'),
    }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('ignored' as const), slot, bytes }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('untracked' as const), slot, word }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('dirty' as const), pick, word }) },
);

function round(instances: number): fc.Arbitrary<RoundSpec> {
  return fc.record({
    ops: fc.array(fc.array(op, { maxLength: 4 }), { minLength: instances, maxLength: instances }),
    outside: fc.option(fc.record({ shared: fc.boolean(), word }), { freq: 2 }),
    refuseIn: fc.oneof(
      { weight: 5, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.nat({ max: instances - 1 }) },
    ),
    race: fc.nat({ max: 4 }).map((n) => n === 0),
  });
}

export function fleetArb(maxRounds = 2): fc.Arbitrary<FleetSpec> {
  return fc.integer({ min: 2, max: 3 }).chain((n) =>
    fc.record({
      instances: fc.constant(n),
      merges: fc.constantFrom<'merge' | 'refuse'>('merge', 'merge', 'merge', 'refuse'),
      rounds: fc.array(round(n), { minLength: 1, maxLength: maxRounds }),
    }),
  );
}
