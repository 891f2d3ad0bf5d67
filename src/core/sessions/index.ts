// Agent sessions: the public surface other layers use.
export type { Session } from './types.js';
export { SessionManager, type SessionManagerOptions } from './manager.js';
export { readAgentStates } from './status/read-states.js';
export { LineSplitter } from './output/line-splitter.js';
export { AgentEventParser } from './parsers/events.js';
export { eventFilePath } from './status/event-file.js';
