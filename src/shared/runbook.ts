// The SaaS Support Runbook's vocabulary, in one place: error codes with their action, lock/publish
// block codes, severities, tiers. Pure data; imported by the API client, CLI, procedures, the
// language server and the sandbox. No `vscode` here.

export type Severity = 'S0' | 'S1' | 'S2' | 'S3';
export const SEVERITIES: readonly Severity[] = ['S0', 'S1', 'S2', 'S3'];

export type ProcedureId = 'SP-001' | 'SP-002' | 'SP-003' | 'SP-004' | 'SP-005' | 'SP-006';

export interface RunbookErrorInfo {
  code: string;
  description: string;
  severity: Severity;
  action: string;
  /** The procedure an engineer follows when this code shows up. */
  procedure?: ProcedureId;
  /** HTTP status the sandbox answers with, where the contract fixes one. */
  httpStatus?: number;
}

/** The runbook's appendix "Error Code Reference", plus the contract's non-ERR codes. */
export const RUNBOOK_ERRORS: Readonly<Record<string, RunbookErrorInfo>> = {
  ERR_AUTH_001: {
    code: 'ERR_AUTH_001',
    description: 'Invalid API key',
    severity: 'S3',
    action: 'Check credentials',
    httpStatus: 401,
  },
  ERR_AUTH_002: {
    code: 'ERR_AUTH_002',
    description: 'Expired token',
    severity: 'S3',
    action: 'Refresh token',
    httpStatus: 401,
  },
  ERR_SOLVE_001: {
    code: 'ERR_SOLVE_001',
    description: 'Solver timeout',
    severity: 'S2',
    action: 'Retry or split input',
    procedure: 'SP-002',
  },
  ERR_SOLVE_002: {
    code: 'ERR_SOLVE_002',
    description: 'No feasible solution',
    severity: 'S2',
    action: 'Review constraints',
    procedure: 'SP-002',
  },
  ERR_AUDIT_001: {
    code: 'ERR_AUDIT_001',
    description: 'Coverage check failed',
    severity: 'S2',
    action: 'Review input data',
    procedure: 'SP-002',
  },
  ERR_AUDIT_002: {
    code: 'ERR_AUDIT_002',
    description: 'Overlap detected',
    severity: 'S2',
    action: 'Check duplicates',
    procedure: 'SP-002',
  },
  ERR_LOCK_001: {
    code: 'ERR_LOCK_001',
    description: 'Plan already locked',
    severity: 'S3',
    action: 'Use new plan',
    procedure: 'SP-003',
  },
  ERR_LOCK_002: {
    code: 'ERR_LOCK_002',
    description: 'Audit gate failed',
    severity: 'S2',
    action: 'Fix audit issues',
    procedure: 'SP-003',
  },
  ERR_DB_001: {
    code: 'ERR_DB_001',
    description: 'Connection failed',
    severity: 'S1',
    action: 'Check DB status',
    procedure: 'SP-001',
    httpStatus: 503,
  },
  ERR_DB_002: {
    code: 'ERR_DB_002',
    description: 'Transaction timeout',
    severity: 'S2',
    action: 'Retry operation',
    httpStatus: 503,
  },
  PERMISSION_DENIED: {
    code: 'PERMISSION_DENIED',
    description: 'Wrong role for this action',
    severity: 'S3',
    action: 'Check user permissions',
    procedure: 'SP-003',
    httpStatus: 403,
  },
  TENANT_MISMATCH: {
    code: 'TENANT_MISMATCH',
    description: 'Credentials belong to another tenant',
    severity: 'S3',
    action: 'Sign in to the tenant you are working on',
    httpStatus: 403,
  },
  not_found: {
    code: 'not_found',
    description: 'Not found',
    severity: 'S3',
    action: 'Check the id, tenant and site',
    httpStatus: 404,
  },
  validation_error: {
    code: 'validation_error',
    description: 'Request failed validation',
    severity: 'S3',
    action: 'Correct the request fields named in the message',
    httpStatus: 422,
  },
  RATE_LIMIT_EXCEEDED: {
    code: 'RATE_LIMIT_EXCEEDED',
    description: 'Rate limit exceeded',
    severity: 'S3',
    action: 'Wait until the rate limit resets, then retry',
    httpStatus: 429,
  },
};

/** SP-003's "Common Lock Errors" table, plus CONTRACT.md's publish/lock rules (the last three). */
export type LockErrorCode =
  | 'AUDIT_GATE_FAIL'
  | 'ALREADY_LOCKED'
  | 'FREEZE_ACTIVE'
  | 'PERMISSION_DENIED'
  | 'ALREADY_PUBLISHED'
  | 'NOT_PUBLISHED'
  | 'REASON_REQUIRED';

export const LOCK_ERRORS: Readonly<
  Record<LockErrorCode, { cause: string; resolution: string; errCode?: string }>
> = {
  AUDIT_GATE_FAIL: {
    cause: 'Audit check failed',
    resolution: 'Fix audit issues first',
    errCode: 'ERR_LOCK_002',
  },
  ALREADY_LOCKED: { cause: 'Plan already locked', resolution: 'Use new run', errCode: 'ERR_LOCK_001' },
  FREEZE_ACTIVE: { cause: 'Kill switch on', resolution: 'Verify with ops' },
  PERMISSION_DENIED: { cause: 'Wrong role', resolution: 'Check user permissions' },
  ALREADY_PUBLISHED: {
    cause: 'Plan already published',
    resolution: 'Nothing to do; lock it when it is final',
  },
  NOT_PUBLISHED: { cause: 'Plan not published', resolution: 'Publish it first' },
  REASON_REQUIRED: {
    cause: 'Reason missing or too short',
    resolution: 'Give a reason of at least 10 characters (it goes into the audit trail)',
  },
};

export function runbookError(code: string | undefined): RunbookErrorInfo | undefined {
  if (!code) return undefined;
  return RUNBOOK_ERRORS[code];
}

/** Roles as the server names them, with the runbook's tier/title. */
export const ROLES = [
  'ops_readonly',
  'dispatcher',
  'operator_admin',
  'tenant_admin',
  'ops_lead',
  'platform_admin',
] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_TITLES: Readonly<Record<Role, string>> = {
  ops_readonly: 'L1 (read-only)',
  dispatcher: 'L2 Dispatcher',
  operator_admin: 'Operator Admin',
  tenant_admin: 'Tenant Admin',
  ops_lead: 'Ops Lead',
  platform_admin: 'Platform Lead',
};

/** Approver roles for publish/lock (CONTRACT.md). */
export const APPROVER_ROLES: readonly Role[] = ['dispatcher', 'ops_lead', 'platform_admin'];
/** Who may toggle the kill switch, per mode and action (CONTRACT.md "Kill switch"). */
export const KILL_SWITCH_ROLES = {
  drill: ['dispatcher', 'ops_lead', 'platform_admin'] as readonly Role[],
  emergencyDisable: ['ops_lead', 'platform_admin'] as readonly Role[],
  emergencyEnable: ['platform_admin'] as readonly Role[],
};
export const BASELINE_ROLES: readonly Role[] = ['ops_lead', 'platform_admin'];

export const AUDIT_CHECKS = [
  'Coverage',
  'Overlap',
  'Rest',
  'SpanRegular',
  'SpanSplit',
  'Fatigue',
  'Reproducibility',
] as const;
export type AuditCheckName = (typeof AUDIT_CHECKS)[number];

/** The runbook's severity table. */
export const SEVERITY_INFO: Readonly<Record<Severity, { description: string; response: string }>> = {
  S0: { description: 'Complete service outage', response: 'All hands, war room' },
  S1: { description: 'Critical feature broken', response: 'Immediate L3 escalation' },
  S2: { description: 'Major feature degraded', response: 'L2 investigation' },
  S3: { description: 'Minor issue', response: 'Normal queue' },
};

/** The fire drill's limit per toggle (SP-005). */
export const FIRE_DRILL_TARGET_MS = 5000;
