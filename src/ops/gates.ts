// SP-003's checks, made before any server call and re-applied to whatever the server said, so a
// block is always explained in the runbook's terms whether live answered 200/success:false, 409,
// 422 or 403. The one place the CLI and the extension take these rules from (CONTRACT.md, cockpit):
// ALREADY_* first (live answers them even while the kill switch is on), then the freeze (read from
// `kill_switch_active` alone: live leaves `publish_enabled` true), then audits, then role and reason.
import { lockCodeFromSignal, SolvereignApiError } from '../api/errors';
import type { PublishLockResponse, RunDetail, RunSummary, SystemStatus } from '../api/schemas';
import { APPROVER_ROLES, LOCK_ERRORS, type LockErrorCode, type Role } from '../shared/runbook';
import { MIN_REASON_LENGTH } from './reason';

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
  status?: Pick<SystemStatus, 'kill_switch_active' | 'kill_switch_reason'>;
  role?: string;
  /** Checked when given (the CLI has it up front; the extension asks for it after the gate). */
  reason?: string;
  overrideWarn?: boolean;
}

/** The shortest reason accepted, after trimming (publish and lock alike): the one reason rule. */
export { MIN_REASON_LENGTH };

export function block(code: LockErrorCode, detail: string): GateBlock {
  return { code, ...LOCK_ERRORS[code], detail };
}

/** ALREADY_PUBLISHED / ALREADY_LOCKED: nothing to do (CLI exit 0, `changed: false`), not a failure. */
export function isNothingToDo(code: LockErrorCode | undefined): boolean {
  return code === 'ALREADY_PUBLISHED' || code === 'ALREADY_LOCKED';
}

/** The reason rule: trimmed, at least 10 characters. Returns the problem, or undefined when fine. */
export function reasonBlock(action: GateAction, reason: string | undefined): GateBlock | undefined {
  const trimmed = (reason ?? '').trim();
  if (trimmed.length >= MIN_REASON_LENGTH) return undefined;
  return block(
    'REASON_REQUIRED',
    trimmed
      ? `the ${action} reason "${trimmed}" has ${trimmed.length} characters; at least ${MIN_REASON_LENGTH} are needed (spaces at the ends do not count)`
      : `a ${action} reason is required (at least ${MIN_REASON_LENGTH} characters; it goes into the audit trail)`,
  );
}

/** The first reason the action cannot go ahead, or undefined when every check passes. */
export function checkGate(input: GateInput): GateBlock | undefined {
  const { action, run, status, role } = input;
  // 1. Nothing to do.
  if (action === 'publish' && run.published)
    return block('ALREADY_PUBLISHED', `${run.run_id} is already published${run.locked ? ' and locked' : ''}`);
  if (action === 'lock' && run.locked) return block('ALREADY_LOCKED', `${run.run_id} is already locked`);
  // 2. Freeze.
  if (status?.kill_switch_active) {
    return block(
      'FREEZE_ACTIVE',
      `the kill switch is active${status.kill_switch_reason ? ` (${status.kill_switch_reason})` : ''}; ${action} is disabled`,
    );
  }
  // 3. Audits and the run's state.
  if (action === 'lock') {
    if (!run.published)
      return block('NOT_PUBLISHED', `${run.run_id} is not published yet; publish it before lock`);
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
  // 4. Role and reason.
  if (role !== undefined && !isApproverRole(role)) {
    return block(
      'PERMISSION_DENIED',
      `role ${role} may not ${action}; approver roles are ${APPROVER_ROLES.join(', ')} (Ops Lead, Platform Lead or a dispatcher)`,
    );
  }
  if (input.reason !== undefined) return reasonBlock(action, input.reason);
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

/** A live `blocked_reason` (free text) in the runbook's terms; undefined when it names nothing known. */
export function lockCodeFromBlockedReason(text: string | null | undefined): LockErrorCode | undefined {
  if (!text) return undefined;
  // "Approval validation failed: Reason must be at least 10 characters": the reason, not the role.
  if (/\breason\b/i.test(text)) return 'REASON_REQUIRED';
  if (/already published/i.test(text)) return 'ALREADY_PUBLISHED';
  if (/already locked/i.test(text)) return 'ALREADY_LOCKED';
  if (/not (yet )?published|publish(ed)? (it )?first/i.test(text)) return 'NOT_PUBLISHED';
  if (/kill.?switch|freeze|frozen|shadow|site (is )?disabled/i.test(text)) return 'FREEZE_ACTIVE';
  if (/audit|pre.?check|violation/i.test(text)) return 'AUDIT_GATE_FAIL';
  if (/\brole\b|permission|not allowed|unauthori[sz]ed|forbidden/i.test(text)) return 'PERMISSION_DENIED';
  return undefined;
}

/** What the server's answer means in SP-003's terms: a block (ALREADY_* included), or undefined for success. */
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
        fieldErrors: answer.fieldErrors,
      });
    if (!code) return undefined;
    return block(code, answer.serverMessage ?? answer.message);
  }
  if (answer.status === 'ALREADY_LOCKED')
    return block('ALREADY_LOCKED', answer.message ?? `${answer.run_id} already locked`);
  if (answer.status === 'ALREADY_PUBLISHED')
    return block('ALREADY_PUBLISHED', answer.message ?? `${answer.run_id} already published`);
  if (answer.success) return undefined;
  const code =
    (answer.error_code && answer.error_code in LOCK_ERRORS
      ? (answer.error_code as LockErrorCode)
      : undefined) ??
    lockCodeFromBlockedReason(answer.blocked_reason) ??
    lockCodeFromSignal({ publishStatus: answer.status, message: answer.message ?? undefined }) ??
    'AUDIT_GATE_FAIL';
  return block(code, answer.blocked_reason ?? answer.message ?? answer.status);
}

export function isApproverRole(role: string): role is Role {
  return (APPROVER_ROLES as readonly string[]).includes(role);
}

/**
 * Live's publish/lock body needs `approver_id` and `approver_role` although its routes take no
 * credentials. With a session they come from it; without one they must be asked for (and may be
 * remembered per environment) — never guessed. Returns what is still missing.
 */
export function approverToAsk(input: {
  session?: { email?: string | null; role_name?: string | null };
  remembered?: { approver_id?: string; approver_role?: string };
}): { approver_id: boolean; approver_role: boolean } {
  const id = input.session?.email || input.remembered?.approver_id;
  const role = input.session?.role_name || input.remembered?.approver_role;
  return { approver_id: !id, approver_role: !role };
}
