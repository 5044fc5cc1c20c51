// Audit event types in words for people: the server's ids (`KILL_SWITCH_DISABLE`) say what was
// toggled, not what it means — disabling publish/lock turns the kill switch ON.
const WORDS: Readonly<Record<string, string>> = {
  KILL_SWITCH_DISABLE: 'kill switch on',
  KILL_SWITCH_ENABLE: 'kill switch off',
  KILL_SWITCH_ACTIVE: 'kill switch on',
  FIRE_DRILL_RECORDED: 'fire drill recorded',
  RUN_CREATED: 'run created',
  RUN_PUBLISHED: 'run published',
  RUN_LOCKED: 'run locked',
  REPAIR_REQUESTED: 'repair requested',
  INCIDENT_CREATED: 'incident created',
  INCIDENT_UPDATED: 'incident updated',
  DRIFT_BASELINE_UPDATED: 'drift baseline updated',
  FREEZE_VIOLATION: 'refused: freeze active',
  BLOCKED_KILL_SWITCH: 'refused: kill switch on',
  BLOCKED_PRE_CHECKS_FAILED: 'refused: audits failed',
  BLOCKED_SHADOW_ONLY: 'refused: shadow mode',
  LOGIN: 'signed in',
  LOGOUT: 'signed out',
  AUTH_FAILED: 'sign-in failed',
};

/** "kill switch on" for `KILL_SWITCH_DISABLE`; an unknown type in lower-case words ("foo bar"). */
export function auditEventWords(eventType: string): string {
  return WORDS[eventType] ?? eventType.toLowerCase().replace(/_/g, ' ');
}
