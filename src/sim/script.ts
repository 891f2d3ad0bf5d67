/** What the simulated agent talks about: small, plausible coding chores. Never a real agent. */
export const TASKS = [
  'tighten the error message when the config is missing',
  'add a test for the empty-list case',
  'rename the helper so it says what it returns',
  'split the long function into two',
  'remove a stale TODO and the dead branch behind it',
  'make the retry delay configurable',
  'document the new flag in the README',
  'fix the off-by-one in the pagination',
];

export const THOUGHTS = [
  'Let me look at how this is wired first.',
  'The tests cover the happy path only; I will add the edge case.',
  'This change is small; running the suite to be sure.',
  'Found it: the loop stops one item early.',
];

export const TEST_OUTPUT = [
  ' ✓ test/config.test.ts (12 tests) 41ms',
  ' ✓ test/list.test.ts (7 tests) 18ms',
  ' Test Files  2 passed (2)',
  '      Tests  19 passed (19)',
];

export function pick<T>(list: readonly T[], n: number): T {
  return list[Math.abs(n) % list.length]!;
}
