// The keys of a `status --json` row, in order: a contract scripts outside this repository read,
// stated once for every test that checks it.
export const STATUS_ROW_KEYS = [
  'id',
  'role',
  'agent',
  'worktree',
  'branch',
  'exists',
  'head',
  'ahead',
  'behind',
  'dirty',
  'operation',
  'needsSync',
  'lastCommit',
  'landedToday',
  // Issue 18: null for a local instance.
  'host',
  'agentState',
  'scope',
  'usageToday',
];
