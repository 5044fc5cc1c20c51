// `solvereign list-runs`: a page of runs, optionally filtered by status.
import { RUN_STATUSES, type RunStatus } from '../../api/schemas';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';
import { table, verdictColor } from '../format';

async function cmdListRuns(ctx: CliContext): Promise<number> {
  const status = ctx.v.status?.toUpperCase();
  if (status && !(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')}`);
  }
  const limit = ctx.v.limit ? Number(ctx.v.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit must be 1..100');
  const r = await clientOf(ctx).listRuns({
    limit,
    status: status as RunStatus | undefined,
    offset: ctx.v.offset ? Number(ctx.v.offset) : undefined,
  });
  ctx.out(r, () =>
    [
      table(
        r.runs.map((x) => ({
          run_id: x.run_id,
          week: x.week_id,
          status: verdictColor(x.status),
          audits: `${x.audit_pass_count}/${x.audit_total}`,
          headcount: x.headcount,
          coverage:
            x.coverage_percent === null || x.coverage_percent === undefined ? null : `${x.coverage_percent}%`,
          drift: x.kpi_drift_status,
          published: x.published,
          locked: x.locked,
        })),
      ),
      `${r.runs.length} of ${r.total} runs`,
    ].join('\n'),
  );
  return EXIT.ok;
}

export const run = (ctx: CliContext) => cmdListRuns(ctx);
