// Agent sessions: the public surface other layers use.
export type { AgentState, AgentStatus, Session, SessionEvent } from './types.js';
export { SessionManager, defaultTmuxSession, type SessionManagerOptions } from './manager.js';
export { readAgentStates } from './status/read-states.js';
export { RingBuffer } from './output/ring-buffer.js';
export { LineSplitter } from './output/line-splitter.js';
export { cleanLine } from './output/ansi.js';
export { AgentEventParser } from './parsers/events.js';
export { eventFilePath } from './status/event-file.js';
