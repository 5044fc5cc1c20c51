// The publish and lock gates: approver checks, kill-switch and shadow-mode freeze, audit gates, and
// the answers the contract gives for each (blocked answers are HTTP 200 with success false).
import * as S from '../../api/schemas';
import { APPROVER_ROLES, AUDIT_CHECKS } from '../../shared/runbook';
import { ApiError, forbidden, json, type Reply, validate, validationError } from '../http';
import type { RunRecord } from '../store';
import { aeId, audit, checkReason, type Ctx, DISPATCHER, type Route, runOf, siteOf } from './context';

/** The approver checks shared by publish and lock. */
function approverCheck(ctx: Ctx, body: { approver_id: string; approver_role: string }): void {
  const p = ctx.principal!;
  if (!(APPROVER_ROLES as readonly string[]).includes(body.approver_role)) {
    throw validationError([
      {
        field: 'approver_role',
        message: `must be one of ${APPROVER_ROLES.join(', ')} (got '${body.approver_role}')`,
      },
    ]);
  }
  if (body.approver_role !== p.role_name) {
    throw forbidden(`approver_role '${body.approver_role}' does not match your role '${p.role_name}'`, {
      error_code: 'PERMISSION_DENIED',
    });
  }
}

function gateBlock(
  run: RunRecord,
  status: (typeof S.PUBLISH_LOCK_STATUSES)[number],
  errorCode: string,
  reason: string,
  message: string,
): S.PublishLockResponse {
  return {
    success: false,
    run_id: run.run_id,
    status,
    audit_event_id: null,
    evidence_hash: run.evidence_hash ?? null,
    message,
    blocked_reason: reason,
    error_code: errorCode,
  };
}

function freezeBlock(ctx: Ctx, run: RunRecord, what: 'publish' | 'lock'): S.PublishLockResponse | undefined {
  const site = siteOf(ctx);
  if (site.kill_switch_active === 1) {
    audit(ctx, 'FREEZE_VIOLATION', what, site.kill_switch_reason, {
      run_id: run.run_id,
      kill_switch_mode: site.kill_switch_mode,
    });
    return gateBlock(
      run,
      'BLOCKED_KILL_SWITCH',
      'FREEZE_ACTIVE',
      `Kill switch active for site ${ctx.site}: ${site.kill_switch_reason ?? ''}`.trim(),
      `Cannot ${what}: publish and lock are disabled for site ${ctx.site}`,
    );
  }
  if (site.shadow_mode_only === 1) {
    return gateBlock(
      run,
      'BLOCKED_SHADOW_ONLY',
      'FREEZE_ACTIVE',
      `Site ${ctx.site} runs in shadow mode only`,
      `Cannot ${what} in shadow mode`,
    );
  }
  return undefined;
}

/** A successful publish/lock answer (HTTP 200): done now (with its audit event) or already done. */
function publishLockDone(
  run: RunRecord,
  status: 'PUBLISHED' | 'LOCKED' | 'ALREADY_PUBLISHED' | 'ALREADY_LOCKED',
  message: string,
  {
    auditEventId = null,
    errorCode = null,
  }: { auditEventId?: string | null; errorCode?: 'ALREADY_LOCKED' | null } = {},
): Reply {
  return json(200, {
    success: true,
    run_id: run.run_id,
    status,
    audit_event_id: auditEventId,
    evidence_hash: run.evidence_hash,
    message,
    blocked_reason: null,
    error_code: errorCode,
  } satisfies S.PublishLockResponse);
}

/** Why publishing this run cannot go ahead (or that it is already done); undefined to go ahead. */
function publishPrecondition(run: RunRecord, body: S.PublishRequest): Reply | undefined {
  if (run.published) {
    return publishLockDone(
      run,
      'ALREADY_PUBLISHED',
      `Run ${run.run_id} was already published by ${run.published_by} at ${run.published_at}`,
    );
  }
  if (run.status === 'WARN' && !body.override_warn) {
    throw new ApiError(409, 'ERR_LOCK_002', 'Cannot publish run with status: WARN without override_warn', {
      error_code: 'AUDIT_GATE_FAIL',
      run_status: run.status,
    });
  }
  if (run.status !== 'PASS' && run.status !== 'WARN') {
    throw new ApiError(409, 'ERR_LOCK_002', `Cannot publish run with status: ${run.status}`, {
      error_code: 'AUDIT_GATE_FAIL',
      run_status: run.status,
      failed_audits: run.audit_results.filter((a) => a.status !== 'PASS').map((a) => a.check_name),
    });
  }
  return undefined;
}

/** Why locking this run cannot go ahead (or that it is already done); undefined to go ahead. */
function lockPrecondition(run: RunRecord): Reply | undefined {
  if (run.locked) {
    return publishLockDone(
      run,
      'ALREADY_LOCKED',
      `Run ${run.run_id} is already locked (by ${run.locked_by} at ${run.locked_at}); use a new run`,
      { errorCode: 'ALREADY_LOCKED' },
    );
  }
  const failed = AUDIT_CHECKS.filter(
    (c) => run.audit_results.find((a) => a.check_name === c)?.status !== 'PASS',
  );
  const preChecksFailed = (reason: string, message: string) =>
    json(200, gateBlock(run, 'BLOCKED_PRE_CHECKS_FAILED', 'AUDIT_GATE_FAIL', reason, message));
  if (failed.length) {
    return preChecksFailed(
      `Audits not PASS: ${failed.join(', ')}`,
      'All seven audits must PASS before a run can be locked',
    );
  }
  if (!run.published) {
    return preChecksFailed(
      'Run is not published; publish it before locking',
      'Only a published run can be locked',
    );
  }
  return undefined;
}

type GateRequest = { what: 'publish'; body: S.PublishRequest } | { what: 'lock'; body: S.LockRequest };

/**
 * Publish and lock: the request and approver checks, the freeze, the action's own preconditions,
 * then the state change and its audit event in one transaction.
 */
function publishOrLock(ctx: Ctx, what: 'publish' | 'lock'): Reply {
  const request: GateRequest =
    what === 'publish'
      ? { what, body: validate(S.PublishRequest, ctx.body) }
      : { what, body: validate(S.LockRequest, ctx.body) };
  const { body } = request;
  checkReason(body.reason);
  approverCheck(ctx, body);
  const run = runOf(ctx);
  const blocked = freezeBlock(ctx, run, what);
  if (blocked) return json(200, blocked);
  const refused = request.what === 'publish' ? publishPrecondition(run, request.body) : lockPrecondition(run);
  if (refused) return refused;
  const { store } = ctx.app;
  const at = ctx.app.now().toISOString();
  const by = ctx.principal!.email;
  const approver = { run_id: run.run_id, approver_id: body.approver_id, approver_role: body.approver_role };
  let id = 0;
  store.db.transaction(() => {
    if (request.what === 'publish') {
      store.markPublished(ctx.tenant, ctx.site, run.run_id, at, by);
      id = audit(ctx, 'RUN_PUBLISHED', 'publish', body.reason, {
        ...approver,
        override_warn: request.body.override_warn === true,
        run_status: run.status,
        evidence_hash: run.evidence_hash,
      });
    } else {
      store.markLocked(ctx.tenant, ctx.site, run.run_id, at, by);
      id = audit(ctx, 'RUN_LOCKED', 'lock', body.reason, { ...approver, evidence_hash: run.evidence_hash });
    }
  })();
  const done = what === 'publish' ? 'PUBLISHED' : 'LOCKED';
  return publishLockDone(run, done, `Run ${run.run_id} ${done.toLowerCase()} by ${by}`, {
    auditEventId: aeId(id),
  });
}

export const gatesRoutes = (): Route[] => [
  {
    method: 'POST',
    path: `${DISPATCHER}/runs/:run_id/publish`,
    scope: 'site',
    roles: APPROVER_ROLES,
    handler: (ctx) => publishOrLock(ctx, 'publish'),
  },
  {
    method: 'POST',
    path: `${DISPATCHER}/runs/:run_id/lock`,
    scope: 'site',
    roles: APPROVER_ROLES,
    handler: (ctx) => publishOrLock(ctx, 'lock'),
  },
];
