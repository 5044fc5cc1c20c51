// `solvereign list-runs`: a page of runs, optionally filtered by status.
import { pagesWithOffset } from '../../api/capabilities';
import { describeValue, droppedNote } from '../../api/lenient';
import { DRIFT_STATUSES, RUN_STATUSES, type RunStatus } from '../../api/schemas';
import { clientOf } from '../client';
import { type CliContext, EXIT, UsageError } from '../context';
import { table, verdictColor } from '../format';
import { notOffered } from '../notOffered';

/** The API's largest page (`limit=1..100`). */
const MAX_RUNS_PAGE = 100;

async function cmdListRuns(ctx: CliContext): Promise<number> {
  const status = ctx.v.status?.toUpperCase();
  if (status && !(RUN_STATUSES as readonly string[]).includes(status)) {
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')}`);
  }
  const limit = ctx.v.limit ? Number(ctx.v.limit) : 20;
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw new UsageError('--limit must be 1..100');
  const offset = ctx.v.offset ? Number(ctx.v.offset) : 0;
  if (!Number.isInteger(offset) || offset < 0) throw new UsageError('--offset must be a whole number >= 0');
  const client = clientOf(ctx);
  // Live has no offset (it silently answers page 1) and its `total` is the page size: ask first.
  // undefined: the site has at most one run (or no answer): then the page itself says what there is.
  if (offset > 0 && (await pagesWithOffset(client)) === false) {
    const want = offset + limit;
    return ctx.notOffered(
      notOffered(
        'offsetPaging',
        want <= MAX_RUNS_PAGE
          ? `solvereign list-runs --limit ${want}${status ? ` --status ${status}` : ''} (the newest ${want} runs; yours are the last ${limit})`
          : undefined,
      ),
    );
  }
  const r = await client.listRuns({
    limit,
    status: status as RunStatus | undefined,
    offset: offset || undefined,
  });
  const note = droppedNote(r.dropped);
  if (note) ctx.io.stderr.write(`solvereign: ${note}\n`);
  // A total larger than the page is a site total; a full page whose total is its size may be live's
  // page-size total: then whether more runs exist is found out, not assumed.
  const full = r.runs.length === limit && r.total === r.runs.length;
  const totalKnown = !full || (await pagesWithOffset(client)) === true;
  const counted = totalKnown
    ? `${r.runs.length} of ${r.total} runs`
    : `the newest ${r.runs.length} runs (this server does not say how many there are${
        limit < MAX_RUNS_PAGE
          ? `; raise --limit, up to ${MAX_RUNS_PAGE}, for older ones`
          : '; older runs are out of reach over its API'
      })`;
  ctx.out({ ...r, total_known: totalKnown }, () =>
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
          drift: describeValue(DRIFT_STATUSES, x.kpi_drift_status),
          published: x.published,
          locked: x.locked,
        })),
      ),
      counted,
    ].join('\n'),
  );
  return EXIT.ok;
}

export const run = (ctx: CliContext) => cmdListRuns(ctx);
