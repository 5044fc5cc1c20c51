// KPI drift: the runbook's verdict against the site's baseline plus the live kpi_drift detector's
// score over recent runs, and baseline updates.
import * as S from '../../api/schemas';
import { BASELINE_ROLES } from '../../shared/runbook';
import {
  type DetectorSample,
  type DriftBaseline,
  detectorScore,
  runbookMetrics,
  runbookVerdict,
} from '../drift';
import { json, notFound, type Reply, validate } from '../http';
import type { RunRecord } from '../store';
import { audit, checkReason, type Ctx, DISPATCHER, type Route } from './context';

function driftSample(run: RunRecord): DetectorSample {
  return {
    total_drivers: run.headcount ?? null,
    coverage_pct: run.coverage_percent ?? null,
    fte_ratio: run.kpis.fte_ratio ?? null,
    max_weekly_hours: run.kpis.max_weekly_hours ?? null,
    audit_pass_rate: run.audit_results.length ? run.audit_pass_count / run.audit_total : null,
  };
}

function baselineOf(ctx: Ctx): {
  data: DriftBaseline & Record<string, unknown>;
  updated_at: string | null;
  updated_by: string | null;
} {
  return (
    ctx.app.store.baseline(ctx.tenant, ctx.site) ?? {
      data: { baseline_date: null, roster_kpis: {} },
      updated_at: null,
      updated_by: null,
    }
  );
}

function driftReport(ctx: Ctx, runId: string | null): S.DriftReport & Record<string, unknown> {
  const { store } = ctx.app;
  const baseline = baselineOf(ctx);
  let run: RunRecord | undefined;
  if (runId) {
    run = store.run(ctx.tenant, ctx.site, runId);
    if (!run) throw notFound(`Run '${runId}' not found for site ${ctx.site}`);
  } else run = store.latestSolvedRun(ctx.tenant, ctx.site);
  const metrics = runbookMetrics(baseline.data, {
    headcount: run?.headcount,
    coverage_percent: run?.coverage_percent,
    fte_ratio: run?.kpis.fte_ratio,
  });
  const history = run ? store.runsBefore(ctx.tenant, ctx.site, run.timestamp, 8) : [];
  const detector = run
    ? detectorScore(driftSample(run), history.map(driftSample))
    : { score: 0, level: 'OK' as const, metrics: [], history_size: 0 };
  return {
    tenant_code: ctx.tenant,
    site_code: ctx.site,
    run_id: run?.run_id ?? null,
    baseline_date: baseline.data.baseline_date ?? null,
    verdict: runbookVerdict(metrics),
    metrics,
    score: detector.score,
    level: detector.level,
    detector: {
      label: 'live kpi_drift detector',
      history_size: detector.history_size,
      metrics: detector.metrics,
    },
  };
}

const BASELINE_ALIASES: Record<string, string> = {
  headcount: 'total_drivers',
  drivers: 'total_drivers',
  coverage_percent: 'coverage',
  coverage_pct: 'coverage',
  fte: 'fte_ratio',
};

function putBaseline(ctx: Ctx): Reply {
  const body = validate(S.BaselineUpdate, ctx.body);
  checkReason(body.reason);
  const current = baselineOf(ctx).data;
  const before = JSON.parse(JSON.stringify(current.roster_kpis ?? {}));
  const kpis: Record<string, S.BaselineBand> = { ...(current.roster_kpis as Record<string, S.BaselineBand>) };
  for (const [rawKey, value] of Object.entries(body.values)) {
    const key = BASELINE_ALIASES[rawKey] ?? rawKey;
    const scale = (n: number | undefined) => (n !== undefined && key === 'coverage' && n > 1 ? n / 100 : n);
    if (typeof value === 'number') kpis[key] = { ...kpis[key], expected: scale(value) };
    else {
      const band: S.BaselineBand = { ...kpis[key] };
      if (value.expected !== undefined) band.expected = scale(value.expected);
      if (value.min !== undefined) band.min = scale(value.min);
      if (value.max !== undefined) band.max = scale(value.max);
      if (value.unit !== undefined) band.unit = value.unit;
      if (value.description !== undefined) band.description = value.description;
      kpis[key] = band;
    }
  }
  const at = ctx.app.now().toISOString();
  const next = { ...current, roster_kpis: kpis, baseline_date: at.slice(0, 10) };
  ctx.app.store.putBaseline(ctx.tenant, ctx.site, next, at, ctx.principal!.email);
  audit(ctx, 'DRIFT_BASELINE_UPDATED', 'baseline_update', body.reason, { before, after: kpis });
  return json(200, { ...driftReport(ctx, null), baseline: next });
}

export const driftRoutes = (): Route[] => [
  {
    method: 'GET',
    path: `${DISPATCHER}/drift`,
    scope: 'site',
    handler: (ctx) => json(200, driftReport(ctx, ctx.query.get('run_id') || null)),
  },
  {
    method: 'PUT',
    path: `${DISPATCHER}/drift/baseline`,
    scope: 'site',
    roles: BASELINE_ROLES,
    handler: putBaseline,
  },
];
