// The roster engine's CLI commands as pure functions; src/cli wires them to argv and output.
import type { AuditResult } from './types';
import { readPlan, runAudits } from './audits';
import { type ForecastIssueCode, type ForecastTour, parseForecastInput, type Verdict } from './forecast';
import {
  ForecastBlockedError,
  type ForecastGate,
  type ForecastRun,
  type SolveForecastOptions,
  solveForecast,
} from './pipeline';

export interface ForecastCheckLine {
  line: number;
  verdict: Verdict;
  codes: ForecastIssueCode[];
  messages: string[];
  canonical: string | null;
  tour: ForecastTour | null;
}

export interface ForecastCheck {
  verdict: Verdict;
  /** Which form the input was read as: forecast text or the CSV form. */
  format: 'text' | 'csv';
  /** Tours after counts. */
  tours: number;
  input_hash: string;
  duplicates: { canonical: string; lines: number[] }[];
  /** Tour and invalid lines (comments and blank lines are left out). */
  lines: ForecastCheckLine[];
}

/** `solvereign forecast check`: per-line verdicts and codes of a forecast text. */
export function forecastCheck(text: string): ForecastCheck {
  const p = parseForecastInput(text);
  return {
    verdict: p.verdict,
    format: p.format,
    tours: p.tourCount,
    input_hash: p.inputHash,
    duplicates: p.duplicates,
    lines: p.lines
      .filter((l) => l.kind === 'tour' || l.kind === 'invalid')
      .map((l) => ({
        line: l.line,
        verdict: l.verdict,
        codes: l.issues.map((i) => i.code),
        messages: l.issues.map((i) => i.message),
        canonical: l.canonical,
        tour: l.tour,
      })),
  };
}

export type SolveLocalSummary = Omit<ForecastRun, 'plan' | 'solver'> & {
  headcount: number;
  coverage_percent: number;
  runtime_ms: number;
  uncovered: ForecastRun['solver']['uncovered'];
  drivers: ForecastRun['solver']['drivers'];
  assignments: ForecastRun['solver']['assignments'];
};

/** `solve --local` on a FAIL forecast without `dropInvalid`: nothing solved, the failing lines named. */
export interface SolveLocalBlocked {
  status: 'BLOCKED';
  error_code: 'FORECAST_FAIL';
  error_message: string;
  week_id: string;
  forecast: ForecastGate;
}

/**
 * `solvereign solve --local`: solve and audit a forecast (text or CSV) without a server. A FAIL
 * forecast is refused (BLOCKED) unless `dropInvalid` asks to solve the rest.
 */
export function solveLocal(
  text: string,
  options: { week: string; seed?: number } & Omit<SolveForecastOptions, 'week' | 'seed'>,
): SolveLocalSummary | SolveLocalBlocked {
  let run: ForecastRun;
  try {
    run = solveForecast(text, { ...options, seed: options.seed ?? 94 });
  } catch (err) {
    if (!(err instanceof ForecastBlockedError)) throw err;
    return {
      status: 'BLOCKED',
      error_code: 'FORECAST_FAIL',
      error_message: err.message,
      week_id: options.week,
      forecast: err.gate,
    };
  }
  const { plan: _plan, solver, ...rest } = run;
  return {
    ...rest,
    headcount: run.kpis.headcount,
    coverage_percent: run.kpis.coverage_percent,
    runtime_ms: solver.runtime_ms,
    uncovered: solver.uncovered,
    drivers: solver.drivers,
    assignments: solver.assignments,
  };
}

/**
 * `solvereign audit <plan.json>`: the seven audits of a plan file ({tours, assignments,
 * output_hash?, second_hash?}). A plan that cannot be read gives one FAIL result saying why.
 */
export function auditPlan(planJson: unknown): AuditResult[] {
  try {
    const plan = readPlan(planJson);
    const raw = (typeof planJson === 'string' ? JSON.parse(planJson) : planJson) as { second_hash?: unknown };
    return runAudits(plan, typeof raw.second_hash === 'string' ? { second_hash: raw.second_hash } : {});
  } catch (err) {
    return [
      {
        check_name: 'PlanFile',
        status: 'FAIL',
        violation_count: 1,
        details: {
          message: `The plan could not be read: ${(err as Error).message} Expected {"tours":[...],"assignments":[{"driver_id","tour_id"}]}.`,
          violations: [],
        },
      },
    ];
  }
}
