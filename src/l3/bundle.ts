// The L3 workspace's implementation, loaded on first use (dist/l3.js).
export type { AuditTestOutcome } from './auditTests';
export { L3Workspace } from './workspace';
