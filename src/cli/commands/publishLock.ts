// `solvereign publish|lock <run-id>`: SP-003's definition (src/procedures/flows/sp003.ts) on the
// shared engine, answers from flags; this module only maps the procedure's result onto the
// command's documented `--json` shape and exit codes, so the rules live in one place.
import type { PublishLockResponse } from '../../api/schemas';
import { block, type GateBlock, isNothingToDo } from '../../ops/gates';
import type { ProcedureResult } from '../../procedures/runner';
import { type CliContext, EXIT, UsageError } from '../context';
import { keyValues, verdictColor } from '../format';
import { runDefinition } from './procedure';

type Action = 'publish' | 'lock';

async function cmdPublishLock(ctx: CliContext, action: Action, runId: string | undefined): Promise<number> {
  if (!runId) throw new UsageError(`${action} needs a run id`);
  const reason = ctx.v.reason;
  if (reason === undefined)
    throw new UsageError(`${action} needs --reason "…" (it goes into the audit trail)`);
  if (!ctx.v.role) throw new UsageError(`${action} needs --role (dispatcher, ops_lead or platform_admin)`);
  const flows = await import('../../procedures/flows/sp003');
  const def = action === 'publish' ? flows.sp003Publish : flows.sp003Lock;
  // The command itself is the confirmation (as it always was): no --yes needed here.
  const { result } = await runDefinition(ctx, def, runId, {
    reason,
    overrideWarn: ctx.v['override-warn'] === true,
    confirm: true,
  });
  return report(ctx, action, runId, result);
}

/** The procedure's result as the command's documented output (docs/cli.md) and exit code. */
export function report(ctx: CliContext, action: Action, runId: string, r: ProcedureResult): number {
  const response = r.response as PublishLockResponse | undefined;
  const b = r.block as (GateBlock & { source?: 'pre-check' | 'server' }) | undefined;
  if (r.result === 'BLOCKED' && b) {
    const { source, ...gate } = b;
    return reportBlock(ctx, action, runId, gate, source ?? 'pre-check');
  }
  if (r.result === 'ALREADY_PUBLISHED' || r.result === 'ALREADY_LOCKED') {
    const detail =
      response?.message ?? `${runId} is already ${r.result === 'ALREADY_PUBLISHED' ? 'published' : 'locked'}`;
    return reportBlock(ctx, action, runId, block(r.result, detail), response ? 'server' : 'pre-check');
  }
  if ((r.result === 'PUBLISHED' || r.result === 'LOCKED') && response) {
    ctx.out({ ok: true, changed: true, ...response }, () =>
      keyValues([
        ['run', response.run_id],
        ['status', verdictColor(response.status)],
        ['audit event', response.audit_event_id],
        ['evidence hash', response.evidence_hash],
        ['message', response.message],
      ]),
    );
    return EXIT.ok;
  }
  if (r.result === 'UNVERIFIED' && response) {
    // The server said yes but reading the run back does not show it: never reported as done.
    const detail = r.summary.join(' ');
    ctx.out(
      { ok: false, changed: null, unverified: true, ...response, detail },
      () => `${action} ${runId}: UNVERIFIED — ${detail}`,
    );
    return EXIT.failed;
  }
  const where = r.error ? `${r.error.step}: ${r.error.message}` : `ended ${r.result}`;
  throw new Error(`${action} ${runId} (SP-003) ${where}`);
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
