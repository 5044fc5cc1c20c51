// Forecast text -> week -> solve -> audits -> KPIs: one call for the CLI's local solve and the sandbox.
import type { AuditResult } from './types';
import { type Plan, runAudits } from './audits';
import { type ForecastIssueCode, type ParsedForecast, parseForecast, type Verdict } from './forecast';
import { computeKpis, type RosterKpis } from './kpis';
import { type SolveOptions, type SolveResult, solve } from './solver';
import { expandWeek, type TourInstance } from './week';

export interface SolveForecastOptions extends SolveOptions {
  /** ISO week, e.g. 2026-W03. */
  week: string;
  /** Re-solve once to check Reproducibility (default true; it doubles the solve time). */
  checkReproducibility?: boolean;
}

export interface ForecastRun {
  /** PASS/WARN/FAIL from the audits; ERROR when the solver hit its time limit. */
  status: 'PASS' | 'WARN' | 'FAIL' | 'ERROR';
  error_code: string | null;
  error_message: string | null;
  week_id: string;
  seed: number;
  input_hash: string;
  output_hash: string;
  config_hash: string;
  forecast: {
    verdict: Verdict;
    tour_lines: number;
    failed_lines: { line: number; codes: ForecastIssueCode[] }[];
    duplicates: ParsedForecast['duplicates'];
  };
  kpis: RosterKpis;
  lower_bound: SolveResult['lower_bound'];
  audit_results: AuditResult[];
  audit_pass_count: number;
  audit_total: number;
  plan: Plan & { tours: TourInstance[] };
  solver: SolveResult;
}

/** Parses, expands, solves, audits. Throws RangeError only for a malformed week id. */
export function solveForecast(text: string, options: SolveForecastOptions): ForecastRun {
  const parsed = parseForecast(text);
  const { tours } = expandWeek(parsed.tours, options.week);
  const result = solve(tours, options);
  const plan = { tours, assignments: result.assignments, output_hash: result.output_hash };
  const check = options.checkReproducibility ?? true;
  const audits = runAudits(
    plan,
    check ? { resolve: () => solve(tours, options).output_hash } : {},
    result.config.rules,
  );
  const kpis = computeKpis(plan, {
    runtime_ms: result.runtime_ms,
    lower_bound: result.lower_bound.value,
    rules: result.config.rules,
  });
  const worst = audits.some((a) => a.status === 'FAIL')
    ? 'FAIL'
    : audits.some((a) => a.status === 'WARN')
      ? 'WARN'
      : 'PASS';
  return {
    status: result.error_code === 'ERR_SOLVE_001' ? 'ERROR' : worst,
    error_code: result.error_code,
    error_message: result.error_message,
    week_id: options.week,
    seed: result.config.seed,
    input_hash: parsed.inputHash,
    output_hash: result.output_hash,
    config_hash: result.config_hash,
    forecast: {
      verdict: parsed.verdict,
      tour_lines: parsed.tours.length,
      failed_lines: parsed.lines
        .filter((l) => l.verdict === 'FAIL')
        .map((l) => ({ line: l.line, codes: l.issues.map((i) => i.code) })),
      duplicates: parsed.duplicates,
    },
    kpis,
    lower_bound: result.lower_bound,
    audit_results: audits,
    audit_pass_count: audits.filter((a) => a.status === 'PASS').length,
    audit_total: audits.length,
    plan,
    solver: result,
  };
}
