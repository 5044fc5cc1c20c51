// `solvereign publish|lock <run-id>`: SP-003 with the gates checked before and after the server.
import os from 'node:os';
import type { SolvereignClient } from '../../api/client';
import { SolvereignApiError } from '../../api/errors';
import { checkGate, type GateBlock, interpretPublishLock, isNothingToDo } from '../../ops/gates';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';
import { keyValues, verdictColor } from '../format';

async function cmdPublishLock(
  ctx: CliContext,
  action: 'publish' | 'lock',
  runId: string | undefined,
): Promise<number> {
  if (!runId) throw new UsageError(`${action} needs a run id`);
  const reason = ctx.v.reason;
  const role = ctx.v.role;
  if (reason === undefined)
    throw new UsageError(`${action} needs --reason "…" (it goes into the audit trail)`);
  if (!role) throw new UsageError(`${action} needs --role (dispatcher, ops_lead or platform_admin)`);
  const approver = ctx.v.approver ?? process.env.SOLVEREIGN_USER ?? os.userInfo().username;
  // SP-003 step 1-2: check before calling the server, so a block is explained in the runbook's terms.
  const [run, status] = await Promise.all([clientOf(ctx).getRun(runId), clientOf(ctx).status()]);
  // The gate's order: ALREADY_*, freeze, audits, then role and the (trimmed, >= 10) reason.
  const pre = checkGate({ action, run, status, role, reason, overrideWarn: ctx.v['override-warn'] });
  if (pre) return reportBlock(ctx, action, runId, pre, 'pre-check');
  const trimmedReason = reason.trim();
  let answer: Awaited<ReturnType<SolvereignClient['publish']>> | SolvereignApiError;
  try {
    answer =
      action === 'publish'
        ? await clientOf(ctx).publish(runId, {
            approver_id: approver,
            approver_role: role,
            reason: trimmedReason,
            override_warn: ctx.v['override-warn'] ?? false,
          })
        : await clientOf(ctx).lock(runId, {
            approver_id: approver,
            approver_role: role,
            reason: trimmedReason,
          });
  } catch (e) {
    if (!(e instanceof SolvereignApiError)) throw e;
    answer = e;
  }
  const blocked = interpretPublishLock(answer);
  if (blocked) return reportBlock(ctx, action, runId, blocked, 'server');
  if (answer instanceof SolvereignApiError) throw answer;
  const ok = answer;
  ctx.out({ ok: true, changed: true, ...ok }, () =>
    keyValues([
      ['run', ok.run_id],
      ['status', verdictColor(ok.status)],
      ['audit event', ok.audit_event_id],
      ['evidence hash', ok.evidence_hash],
      ['message', ok.message],
    ]),
  );
  return EXIT.ok;
}

function reportBlock(
  ctx: CliContext,
  action: string,
  runId: string,
  b: GateBlock,
  where: 'pre-check' | 'server',
): number {
  if (isNothingToDo(b.code)) {
    // ALREADY_*: nothing to do — exit 0, said plainly, never reported as a fresh publish/lock.
    ctx.out({ ok: true, changed: false, action, run_id: runId, where, ...b }, () =>
      [`${action} ${runId}: nothing to do — ${b.code} (${b.detail})`, `  ${b.resolution}`].join('\n'),
    );
    return EXIT.ok;
  }
  ctx.out({ ok: false, blocked: true, action, run_id: runId, where, ...b }, () =>
    [
      `${action} ${runId}: BLOCKED ${b.code} (${b.cause})`,
      `  ${b.detail}`,
      `  Resolution (SP-003): ${b.resolution}`,
    ].join('\n'),
  );
  return EXIT.blocked;
}

export const run = (ctx: CliContext, args: string[], name: string) =>
  cmdPublishLock(ctx, name === 'lock' ? 'lock' : 'publish', args[0] ?? ctx.v['run-id']);
