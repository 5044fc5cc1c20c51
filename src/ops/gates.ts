// SP-003's checks, made before any server call and re-applied to whatever the server said, so a
// block is always explained in the runbook's terms (AUDIT_GATE_FAIL, ALREADY_LOCKED, FREEZE_ACTIVE,
// PERMISSION_DENIED) whether live answered 200/success:false, 409, 422 or 403.
import { lockCodeFromSignal, SolvereignApiError } from '../api/errors';
import type { PublishLockResponse, RunDetail, RunSummary, SystemStatus } from '../api/schemas';
import { APPROVER_ROLES, LOCK_ERRORS, type LockErrorCode, type Role } from '../shared/runbook';

export type GateAction = 'publish' | 'lock';

export interface GateBlock {
  code: LockErrorCode;
  cause: string;
  resolution: string;
  /** What exactly blocked, in plain words. */
  detail: string;
}

export interface GateInput {
  action: GateAction;
  run: Pick<RunSummary | RunDetail, 'run_id' | 'status' | 'published' | 'locked'> & {
    audit_results?: RunDetail['audit_results'];
    audit_pass_count?: number;
    audit_total?: number;
  };
  status?: Pick<
    SystemStatus,
    'kill_switch_active' | 'publish_enabled' | 'lock_enabled' | 'kill_switch_reason'
  >;
  role?: string;
  overrideWarn?: boolean;
}

export function block(code: LockErrorCode, detail: string): GateBlock {
  return { code, ...LOCK_ERRORS[code], detail };
}

/** The first reason the action cannot go ahead, or undefined when every check passes. */
export function checkGate(input: GateInput): GateBlock | undefined {
  const { action, run, status, role } = input;
  if (role !== undefined && !(APPROVER_ROLES as readonly string[]).includes(role)) {
    return block(
      'PERMISSION_DENIED',
      `role ${role} may not ${action}; approver roles are ${APPROVER_ROLES.join(', ')} (Ops Lead, Platform Lead or a dispatcher)`,
    );
  }
  if (
    status?.kill_switch_active ||
    (action === 'publish' ? status?.publish_enabled : status?.lock_enabled) === false
  ) {
    return block(
      'FREEZE_ACTIVE',
      `the kill switch is active for this site${status?.kill_switch_reason ? ` (${status.kill_switch_reason})` : ''}; ${action} is disabled`,
    );
  }
  if (action === 'lock') {
    if (run.locked) return block('ALREADY_LOCKED', `${run.run_id} is already locked`);
    if (!run.published)
      return block('AUDIT_GATE_FAIL', `${run.run_id} is not published yet; publish before lock`);
    const failing = failingAudits(run);
    if (failing.length) {
      return block(
        'AUDIT_GATE_FAIL',
        `all seven audits must PASS for lock; not passing: ${failing.join(', ')}`,
      );
    }
    if (run.status !== 'PASS' && run.status !== 'WARN') {
      return block('AUDIT_GATE_FAIL', `${run.run_id} has status ${run.status}`);
    }
  } else {
    if (run.locked) return block('ALREADY_LOCKED', `${run.run_id} is locked; use a new run`);
    if (run.status === 'WARN' && !input.overrideWarn) {
      return block(
        'AUDIT_GATE_FAIL',
        `${run.run_id} has status WARN; publishing needs an explicit WARN override`,
      );
    }
    if (run.status !== 'PASS' && run.status !== 'WARN') {
      return block(
        'AUDIT_GATE_FAIL',
        `only PASS runs (or WARN with override) can be published; ${run.run_id} is ${run.status}`,
      );
    }
  }
  return undefined;
}

function failingAudits(run: GateInput['run']): string[] {
  if (run.audit_results)
    return run.audit_results.filter((a) => a.status !== 'PASS').map((a) => `${a.check_name} ${a.status}`);
  if (
    run.audit_total !== undefined &&
    run.audit_pass_count !== undefined &&
    run.audit_pass_count < run.audit_total
  ) {
    return [`${run.audit_total - run.audit_pass_count} of ${run.audit_total} audits`];
  }
  return [];
}

/** What the server's answer means in SP-003's terms: a block, or undefined for success. */
export function interpretPublishLock(
  answer: PublishLockResponse | SolvereignApiError,
): GateBlock | undefined {
  if (answer instanceof SolvereignApiError) {
    const code =
      answer.lockCode ??
      lockCodeFromSignal({
        status: answer.status,
        serverCode: answer.serverCode,
        message: answer.serverMessage,
      });
    if (!code) return undefined;
    return block(code, answer.serverMessage ?? answer.message);
  }
  if (answer.status === 'ALREADY_LOCKED')
    return block('ALREADY_LOCKED', answer.message ?? `${answer.run_id} already locked`);
  if (answer.success) return undefined;
  const code =
    (answer.error_code && answer.error_code in LOCK_ERRORS
      ? (answer.error_code as LockErrorCode)
      : undefined) ??
    lockCodeFromSignal({ publishStatus: answer.status, message: answer.message ?? undefined }) ??
    'AUDIT_GATE_FAIL';
  return block(code, answer.blocked_reason ?? answer.message ?? answer.status);
}

export function isApproverRole(role: string): role is Role {
  return (APPROVER_ROLES as readonly string[]).includes(role);
}
