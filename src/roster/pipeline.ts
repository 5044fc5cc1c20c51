// Forecast text -> week -> solve -> audits -> KPIs: one call for the CLI's local solve and the sandbox.
import type { AuditResult } from './types';
import { type Plan, runAudits } from './audits';
import { type ForecastIssueCode, type ParsedForecast, parseForecastInput, type Verdict } from './forecast';
import { computeKpis, type RosterKpis } from './kpis';
import { type SolveOptions, type SolveResult, solve } from './solver';
import { expandWeek, type TourInstance } from './week';

export interface SolveForecastOptions extends SolveOptions {
  /** ISO week, e.g. 2026-W03. */
  week: string;
  /** Solve the valid lines of a FAIL forecast; the dropped lines and tours are reported. */
  dropInvalid?: boolean;
  /** Re-solve once to check Reproducibility (default true; it doubles the solve time). */
  checkReproducibility?: boolean;
}

/** A forecast line that FAILs, as the refusal and the dropped-lines report name it. */
export interface FailedForecastLine {
  line: number;
  codes: ForecastIssueCode[];
  messages: string[];
  /** Tours the line asked for. */
  tours: number;
}

/** What the gate in front of the solver decided: a FAIL forecast is refused unless dropping is asked. */
export interface ForecastGate {
  verdict: Verdict;
  /** True when the forecast FAILs and dropping was not asked: nothing may be solved. */
  blocked: boolean;
  failed_lines: FailedForecastLine[];
  /** Lines and tours left out of the solve (only with dropInvalid). */
  dropped: { lines: number[]; tours: number } | null;
}

/** The rule every solve entry applies: FAIL lines refuse the solve, or are dropped and counted. */
export function gateForecast(parsed: ParsedForecast, dropInvalid = false): ForecastGate {
  const failed_lines = parsed.lines
    .filter((l) => l.verdict === 'FAIL')
    .map((l) => ({
      line: l.line,
      codes: l.issues.filter((i) => i.severity === 'FAIL').map((i) => i.code),
      messages: l.issues.filter((i) => i.severity === 'FAIL').map((i) => i.message),
      tours: l.count ?? 1,
    }));
  const failing = failed_lines.length > 0;
  return {
    verdict: parsed.verdict,
    blocked: failing && !dropInvalid,
    failed_lines,
    dropped:
      failing && dropInvalid
        ? { lines: failed_lines.map((l) => l.line), tours: failed_lines.reduce((a, l) => a + l.tours, 0) }
        : null,
  };
}

/** Thrown by solveForecast for a FAIL forecast without dropInvalid; carries the failing lines. */
export class ForecastBlockedError extends Error {
  constructor(readonly gate: ForecastGate) {
    const n = gate.failed_lines.length;
    super(
      `The forecast FAILs on ${n} line${n === 1 ? '' : 's'} (${gate.failed_lines
        .slice(0, 5)
        .map((l) => `line ${l.line}: ${l.codes.join(', ')}`)
        .join('; ')}${n > 5 ? '; ...' : ''}); fix them, or drop them explicitly to solve the rest.`,
    );
    this.name = 'ForecastBlockedError';
  }
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
    format: 'text' | 'csv';
    tour_lines: number;
    failed_lines: { line: number; codes: ForecastIssueCode[] }[];
    duplicates: ParsedForecast['duplicates'];
    /** Lines and tours left out because they FAIL (only when dropping was asked). */
    dropped: ForecastGate['dropped'];
  };
  kpis: RosterKpis;
  lower_bound: SolveResult['lower_bound'];
  audit_results: AuditResult[];
  audit_pass_count: number;
  audit_total: number;
  plan: Plan & { tours: TourInstance[] };
  solver: SolveResult;
}

/**
 * Parses (text or CSV), expands, solves, audits. Throws RangeError for a week that does not exist and
 * ForecastBlockedError for a FAIL forecast unless `dropInvalid` is set.
 */
export function solveForecast(text: string, options: SolveForecastOptions): ForecastRun {
  const parsed = parseForecastInput(text);
  const gate = gateForecast(parsed, options.dropInvalid);
  if (gate.blocked) throw new ForecastBlockedError(gate);
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
      format: parsed.format,
      dropped: gate.dropped,
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
