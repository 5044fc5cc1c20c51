// Fetching what each report needs from SOLVEREIGN. No `vscode`: the same loaders could serve the CLI.
import type { SolvereignClient } from '../api/client';
import { SolvereignApiError } from '../api/errors';
import type { RunDetail } from '../api/schemas';
import { diffForecasts, findDuplicates } from '../procedures/analysis';
import { shiftIsoWeek } from '../procedures/flows/common';
import { detectSymptoms, packContents } from '../procedures/flows/sp002';
import { readZip } from '../shared/zip';
import { type AuditReportInput, pickPreviousRun } from './audit';
import { DEFAULT_TREND_RUNS, type DriftReportInput, type TrendPoint, trendPoint } from './drift';
import type { FireDrillReportInput } from './fireDrills';
import type { InvestigationInput } from './investigation';
import type { Tone } from './model';

export interface LoadContext {
  client: SolvereignClient;
  source?: string;
  signal?: AbortSignal;
  now?: () => Date;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** An [ops] endpoint the server lacks becomes a notice with the manual fallback instead of a failure. */
export function problemFor(e: unknown, what: string): { title: string; text: string; tone: Tone } {
  if (e instanceof SolvereignApiError && e.kind === 'unsupported')
    return {
      title: `This server does not offer ${what}`,
      text: e.fallback ? `Instead: ${e.fallback}.` : e.message,
      tone: 'info',
    };
  return { title: `Could not load ${what}`, text: message(e), tone: 'fail' };
}

export async function loadAuditInput(ctx: LoadContext, runId: string): Promise<AuditReportInput> {
  const o = { signal: ctx.signal };
  const run = await ctx.client.getRun(runId, o);
  const [prev, checksums] = await Promise.all([
    (async (): Promise<{ previous?: RunDetail; previousNote?: string }> => {
      try {
        const list = await ctx.client.listRuns({ limit: 100 }, o);
        const pick = pickPreviousRun(list.runs, run);
        if (!pick.run) return { previousNote: pick.note };
        return { previous: await ctx.client.getRun(pick.run.run_id, o), previousNote: pick.note };
      } catch (e) {
        return { previousNote: `The previous week's run could not be loaded: ${message(e)}` };
      }
    })(),
    (async (): Promise<AuditReportInput['checksums']> => {
      try {
        return (await ctx.client.evidenceChecksums(runId, o)).checksums;
      } catch (e) {
        return { error: message(e) };
      }
    })(),
  ]);
  return {
    run,
    ...prev,
    checksums,
    generatedAt: (ctx.now?.() ?? new Date()).toISOString(),
    source: ctx.source,
  };
}

/** A run's input forecast and manifest from its evidence pack. */
async function loadForecast(
  ctx: LoadContext,
  runId: string,
): Promise<{ forecast?: string; manifest?: Record<string, unknown> }> {
  return packContents(readZip((await ctx.client.evidence(runId, { signal: ctx.signal })).zip));
}

/** What SP-002's analysis steps gather for a run, for the investigation panel (no re-solve). */
export async function loadInvestigationInput(ctx: LoadContext, runId: string): Promise<InvestigationInput> {
  const o = { signal: ctx.signal };
  const run = await ctx.client.getRun(runId, o);
  const input: InvestigationInput = {
    run,
    generatedAt: (ctx.now?.() ?? new Date()).toISOString(),
    source: ctx.source,
  };
  try {
    Object.assign(input, await loadForecast(ctx, runId));
  } catch (e) {
    input.evidenceProblem = message(e);
  }
  const symptoms = detectSymptoms(run).map((s) => s.id);
  if (symptoms.includes('overlap') && input.forecast !== undefined)
    input.duplicates = findDuplicates(input.forecast);
  if (symptoms.includes('coverage')) {
    // The same previous run SP-002 compares with: the previous ISO week's, a PASS one first.
    try {
      const prevWeek = shiftIsoWeek(run.week_id, -1);
      const { runs } = await ctx.client.listRuns({ limit: 100 }, o);
      const candidates = runs.filter((r) => r.week_id === prevWeek && r.run_id !== run.run_id);
      input.previous = candidates.find((r) => r.status === 'PASS') ?? candidates[0];
      if (!input.previous) input.previousNote = `No run for the previous week ${prevWeek ?? '?'}.`;
      else if (input.forecast === undefined)
        input.previousNote = `Not compared: ${input.evidenceProblem ?? 'this run has no input in its evidence pack'}.`;
      else {
        const prev = await loadForecast(ctx, input.previous.run_id);
        if (prev.forecast === undefined)
          input.previousNote = `${input.previous.run_id} has no input in its evidence pack.`;
        else input.diff = diffForecasts(prev.forecast, input.forecast);
      }
    } catch (e) {
      input.previousNote = `The previous week's input could not be loaded: ${message(e)}`;
    }
  }
  return input;
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export async function loadDriftInput(
  ctx: LoadContext,
  runId: string | undefined,
  trendRuns = DEFAULT_TREND_RUNS,
): Promise<DriftReportInput> {
  const o = { signal: ctx.signal };
  const input: DriftReportInput = {
    runId,
    trend: [],
    generatedAt: (ctx.now?.() ?? new Date()).toISOString(),
    source: ctx.source,
  };
  const [drift, trend] = await Promise.allSettled([
    ctx.client.drift(runId, o),
    (async () => {
      // Runs up to (and including) the report's run; ERROR runs have no KPIs.
      const list = await ctx.client.listRuns({ limit: 100 }, o);
      let runs = list.runs.filter((r) => r.status !== 'ERROR');
      const anchor = runId ? runs.find((r) => r.run_id === runId) : undefined;
      if (anchor) runs = runs.filter((r) => r.timestamp <= anchor.timestamp);
      runs = runs.sort((a, b) => b.timestamp.localeCompare(a.timestamp)).slice(0, Math.max(1, trendRuns));
      let problem: string | undefined;
      const points = await mapLimit(runs, 4, async (r): Promise<TrendPoint> => {
        try {
          return trendPoint(await ctx.client.getRun(r.run_id, o));
        } catch (e) {
          problem = `Some runs' KPIs could not be loaded (${message(e)}); their FTE ratio is missing.`;
          return trendPoint(r);
        }
      });
      return { points: points.reverse(), problem };
    })(),
  ]);
  if (drift.status === 'fulfilled') input.drift = drift.value;
  else input.driftProblem = problemFor(drift.reason, 'the KPI drift check');
  if (trend.status === 'fulfilled') {
    input.trend = trend.value.points;
    input.trendProblem = trend.value.problem;
  } else input.trendProblem = `The run history could not be loaded: ${message(trend.reason)}`;
  // Nothing at all to show: that is an error for the panel (with Retry), not an empty report.
  if (drift.status === 'rejected' && trend.status === 'rejected') throw drift.reason;
  return input;
}

export async function loadFireDrillInput(ctx: LoadContext): Promise<FireDrillReportInput> {
  const base = {
    site: `${ctx.client.tenant}/${ctx.client.site}`,
    generatedAt: (ctx.now?.() ?? new Date()).toISOString(),
    source: ctx.source,
  };
  try {
    const list = await ctx.client.fireDrills({ signal: ctx.signal });
    return { ...base, drills: list.drills };
  } catch (e) {
    if (e instanceof SolvereignApiError && e.kind === 'unsupported')
      return { ...base, problem: problemFor(e, 'fire-drill history') };
    throw e;
  }
}
