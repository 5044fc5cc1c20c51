// One solve for the sandbox, with progress callbacks: forecast text -> roster engine -> the pieces a
// dispatcher run needs. Runs in a worker thread (solve-worker.ts) or, without one, in-process.
import type { AuditResult, RunKpis } from '../api/schemas';
import {
  computeKpis,
  expandWeek,
  parseForecastInput,
  runAudits,
  type SolveOptions,
  solve,
} from '../roster/index';
import type { SolvedWeek } from './runs';

export interface SolveInput {
  forecast: string;
  week: string;
  seed: number;
  /** Extra engine options (generated bad weeks: duplicatePolicy, nondeterministic; site rules). */
  options?: Omit<SolveOptions, 'seed'>;
  timeLimitMs?: number;
}

export type SolveProgress = (phase: string, percent: number) => void;

const withPrefix = (h: string | null | undefined) =>
  h ? (h.startsWith('sha256:') ? h : `sha256:${h}`) : null;

export function runSolve(input: SolveInput, progress: SolveProgress = () => {}): SolvedWeek {
  progress('parsing', 5);
  // FAIL lines never reach here unless the request asked to drop them: they carry no tours.
  const parsed = parseForecastInput(input.forecast);
  progress('expanding', 10);
  const { tours } = expandWeek(parsed.tours, input.week);
  const options: SolveOptions = { ...input.options, seed: input.seed, timeLimitMs: input.timeLimitMs };
  progress('solving', 15);
  const result = solve(tours, options);
  progress('auditing', 60);
  const plan = { tours, assignments: result.assignments, output_hash: result.output_hash };
  const timedOut = result.error_code === 'ERR_SOLVE_001';
  const audits: AuditResult[] = timedOut
    ? []
    : runAudits(
        plan,
        {
          resolve: () => {
            progress('reproducibility', 70);
            return solve(tours, options).output_hash;
          },
        },
        result.config.rules,
      );
  progress('kpis', 95);
  const kpis = computeKpis(plan, {
    runtime_ms: result.runtime_ms,
    lower_bound: result.lower_bound.value,
    rules: result.config.rules,
  });
  const runKpis: RunKpis = timedOut
    ? {
        headcount: null,
        coverage_percent: null,
        fte_ratio: null,
        pt_ratio: null,
        runtime_seconds: kpis.runtime_seconds,
      }
    : kpis;
  return {
    forecast: input.forecast,
    plan: timedOut
      ? null
      : {
          week_id: input.week,
          seed: input.seed,
          solver: result.config.solver,
          output_hash: result.output_hash,
          assignments: result.assignments,
          drivers: result.drivers,
          uncovered: result.uncovered,
        },
    audits,
    kpis: runKpis,
    input_hash: withPrefix(parsed.inputHash)!,
    output_hash: timedOut ? null : withPrefix(result.output_hash),
    config_hash: withPrefix(result.config_hash)!,
    seed: input.seed,
    error_code: timedOut ? 'ERR_SOLVE_001' : undefined,
    error_message: timedOut ? (result.error_message ?? 'Solver timeout') : undefined,
  };
}
