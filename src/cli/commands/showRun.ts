// `solvereign show-run <id>` (alias `audit --run-id <id>`): a run with its seven audits.
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';
import { describeValue } from '../../api/lenient';
import { AUDIT_STATUSES, DRIFT_STATUSES, RUN_STATUSES } from '../../api/schemas';
import { auditDetailsText, keyValues, table, verdictColor } from '../format';

async function cmdShowRun(ctx: CliContext, runId: string | undefined): Promise<number> {
  if (!runId) throw new UsageError('show-run needs a run id');
  const r = await clientOf(ctx).getRun(runId);
  ctx.out(r, () =>
    [
      keyValues([
        ['run', r.run_id],
        ['week', r.week_id],
        ['status', verdictColor(describeValue(RUN_STATUSES, r.status) ?? r.status)],
        ['timestamp', r.timestamp],
        ['headcount', r.kpis.headcount],
        ['coverage %', r.kpis.coverage_percent],
        ['fte ratio', r.kpis.fte_ratio],
        ['pt ratio', r.kpis.pt_ratio],
        ['runtime s', r.kpis.runtime_seconds],
        ['drift', describeValue(DRIFT_STATUSES, r.kpis.drift_status ?? r.kpi_drift_status)],
        ['published', r.published ? `yes (${r.published_by ?? '?'} ${r.published_at ?? ''})` : 'no'],
        ['locked', r.locked ? `yes (${r.locked_by ?? '?'} ${r.locked_at ?? ''})` : 'no'],
        ['input hash', r.input_hash],
        ['output hash', r.output_hash],
        ['evidence hash', r.evidence_hash],
        ...(r.error_code
          ? ([['error', `${r.error_code} ${r.error_message ?? ''}`]] as [string, unknown][])
          : []),
      ]),
      '',
      table(
        r.audit_results.map((a) => ({
          check: a.check_name,
          status: verdictColor(describeValue(AUDIT_STATUSES, a.status) ?? a.status),
          violations: a.violation_count,
          details: auditDetailsText(a),
        })),
      ),
    ].join('\n'),
  );
  return r.status === 'FAIL' || r.status === 'ERROR' ? EXIT.failed : EXIT.ok;
}

/** Also used by `solve` to show the run it created. */
export { cmdShowRun as showRun };

export const run = (ctx: CliContext, args: string[], name: string) =>
  cmdShowRun(ctx, name === 'audit' ? (ctx.v['run-id'] ?? args[0]) : args[0]);
