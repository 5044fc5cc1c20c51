// Asynchronous solves: `POST /api/v1/runs` checks the forecast and queues the solve (202), the run
// is read back at `GET /api/v1/runs/{id}`, and `GET /api/v1/runs/{id}/stream` sends its progress
// as Server-Sent Events (progress, complete, error, heartbeat).
import * as S from '../../api/schemas';
import { gateForecast, parseForecastInput } from '../../roster/index';
import { ApiError, json, notFound, type Reply, validate, validationError } from '../http';
import type { RunMeta } from '../runs';
import type { SolveQueue } from '../solver';
import { detailOf } from '../store';
import { invalidIsoWeekMessage, isIsoWeek } from '../../shared/isoWeek';
import { dateStamp } from '../time';
import { type Ctx, type Route, WRITERS } from './context';

function finalEvent(run: S.RunDetail): S.SolveEvent {
  if (run.status === 'ERROR') {
    return {
      type: 'error',
      run_id: run.run_id,
      error_code: run.error_code ?? 'ERR_SOLVE_001',
      message: run.error_message ?? 'Solver error',
    };
  }
  return { type: 'complete', run_id: run.run_id, status: run.status };
}

function stream(queue: SolveQueue, ctx: Ctx): Reply {
  const { store } = ctx.app;
  const run = store.run(ctx.tenant, ctx.site, ctx.params.run_id);
  if (!run) throw notFound(`Run '${ctx.params.run_id}' not found for site ${ctx.site}`);
  const { res, req } = ctx;
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  const nl = queue.sseLineEnd;
  const write = (e: S.SolveEvent) => res.write(`event: ${e.type}${nl}data: ${JSON.stringify(e)}${nl}${nl}`);
  const job = queue.job(`${ctx.tenant}/${ctx.site}/${run.run_id}`);
  if (!job || job.done || run.status !== 'PENDING') {
    const fresh = store.run(ctx.tenant, ctx.site, run.run_id)!;
    write(
      fresh.status === 'PENDING'
        ? {
            type: 'error',
            run_id: run.run_id,
            error_code: 'ERR_SOLVE_001',
            message: 'Solve is no longer running',
          }
        : finalEvent(fresh),
    );
    res.end();
    return { status: 200, streamed: true };
  }
  write(job.last);
  const heartbeat = setInterval(() => write({ type: 'heartbeat', run_id: run.run_id }), queue.heartbeatMs);
  const cleanup = () => {
    clearInterval(heartbeat);
    job.listeners.delete(listener);
    ctx.app.streams.delete(res);
  };
  const listener = (e: S.SolveEvent) => {
    write(e);
    if (e.type === 'complete' || e.type === 'error') {
      cleanup();
      res.end();
    }
  };
  job.listeners.add(listener);
  ctx.app.streams.add(res);
  req.on('close', cleanup);
  return { status: 200, streamed: true };
}

export function solveRoutes(queue: SolveQueue): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/v1/runs',
      scope: 'site',
      roles: WRITERS,
      handler: (ctx) => {
        const body = validate(S.CreateRunRequest, ctx.body);
        if (!isIsoWeek(body.week))
          throw validationError([{ field: 'week', message: invalidIsoWeekMessage(body.week) }]);
        const parsed = parseForecastInput(body.forecast);
        const gate = gateForecast(parsed, body.drop_invalid === true);
        if (gate.blocked) {
          const bad = gate.failed_lines;
          throw new ApiError(
            422,
            'validation_error',
            `forecast: ${bad.length} line(s) FAIL (${bad
              .slice(0, 5)
              .map((l) => `line ${l.line}: ${l.codes.join(', ')}`)
              .join('; ')}); fix them, or send drop_invalid: true to solve the rest`,
            {
              fields: [{ field: 'forecast', message: 'lines with FAIL codes' }],
              lines: bad.map((l) => ({ line: l.line, codes: l.codes, messages: l.messages })),
            },
          );
        }
        if (parsed.tourCount === 0) {
          throw validationError([{ field: 'forecast', message: 'contains no tour lines' }]);
        }
        if (parsed.tourCount > queue.maxToursPerRequest) {
          throw validationError([
            {
              field: 'forecast',
              message: `asks for ${parsed.tourCount} tours; at most ${queue.maxToursPerRequest} per request (split it by site or week)`,
            },
          ]);
        }
        const seed = body.seed ?? 94;
        if (!Number.isInteger(seed) || seed < 0)
          throw validationError([{ field: 'seed', message: 'must be an integer >= 0' }]);
        const minPause = body.min_pause_minutes ?? queue.minPauseMinutes(ctx.tenant, ctx.site);
        if (!Number.isInteger(minPause) || minPause < 0 || minPause > 240)
          throw validationError([
            { field: 'min_pause_minutes', message: 'must be an integer from 0 to 240' },
          ]);
        if (queue.queuedFor(ctx.tenant) >= queue.maxQueuedPerTenant) {
          const wait = queue.retryAfterSeconds(ctx.tenant);
          throw new ApiError(
            429,
            'RATE_LIMIT_EXCEEDED',
            `${queue.maxQueuedPerTenant} solves of tenant ${ctx.tenant} are already waiting; retry in ${wait} s`,
            { queued: queue.queuedFor(ctx.tenant), limit: queue.maxQueuedPerTenant },
            { 'Retry-After': String(wait) },
          );
        }
        const { store } = ctx.app;
        const now = ctx.app.now();
        const runId = store.nextRunId(dateStamp(now));
        const meta: RunMeta = {
          run_id: runId,
          tenant_code: ctx.tenant,
          site_code: ctx.site,
          week_id: body.week,
          timestamp: now.toISOString(),
          notes: body.notes ?? null,
        };
        store.insertRun({
          ...meta,
          notes: meta.notes ?? null,
          status: 'PENDING',
          headcount: null,
          coverage_percent: null,
          audit_pass_count: 0,
          audit_total: 7,
          evidence_path: null,
          kpi_drift_status: null,
          published: false,
          published_at: null,
          published_by: null,
          locked: false,
          locked_at: null,
          locked_by: null,
          error_code: null,
          error_message: null,
          audit_results: [],
          kpis: {},
          input_hash: `sha256:${parsed.inputHash}`,
          output_hash: null,
          evidence_hash: null,
          artifact_uri: null,
          seed,
        });
        const p = ctx.principal!;
        store.audit({
          event_type: 'RUN_CREATED',
          user_email: p.email,
          role_name: p.role_name,
          action: 'create_run',
          reason: body.notes ?? null,
          tenant_code: ctx.tenant,
          site_code: ctx.site,
          created_at: now.toISOString(),
          request_id: ctx.requestId,
          details: {
            run_id: runId,
            week: body.week,
            seed,
            tours: parsed.tourCount,
            input_hash: parsed.inputHash,
            format: parsed.format,
            min_pause_minutes: minPause,
            ...(gate.dropped ? { dropped: gate.dropped } : {}),
          },
        });
        queue.enqueue(meta, {
          forecast: body.forecast,
          week: body.week,
          seed,
          options: { rules: { minPauseMinutes: minPause } },
        });
        return json(202, {
          run_id: runId,
          status: 'PENDING',
          stream_url: `/api/v1/runs/${runId}/stream`,
          ...(gate.dropped ? { dropped: gate.dropped } : {}),
        } satisfies S.CreateRunResponse);
      },
    },
    {
      method: 'GET',
      path: '/api/v1/runs/:run_id',
      scope: 'site',
      handler: (ctx) => {
        const run = ctx.app.store.run(ctx.tenant, ctx.site, ctx.params.run_id);
        if (!run) throw notFound(`Run '${ctx.params.run_id}' not found for site ${ctx.site}`);
        return json(200, detailOf(run));
      },
    },
    {
      method: 'GET',
      path: '/api/v1/runs/:run_id/stream',
      scope: 'site',
      handler: (ctx) => stream(queue, ctx),
    },
  ];
}
