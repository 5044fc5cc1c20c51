// Audits as tests: a forecast is solved locally — by the built-in engine, or by an external solver
// command an L3 engineer is fixing — and the plan is audited with the seven audits. The external
// protocol (docs/l3.md): the command gets the path of a tours JSON file as its last argument and
// writes a plan JSON to stdout; a non-zero exit, a timeout or output that is not a plan is an
// ExternalSolverError that says which. Pure Node, no `vscode`.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runAudits } from '../roster/audits';
import { configHash, outputHash } from '../roster/hash';
import { computeKpis, type RosterKpis } from '../roster/kpis';
import { ForecastBlockedError, gateForecast, solveForecast } from '../roster/pipeline';
import { declaredWeek, parseForecastInput } from '../roster/forecast';
import { DEFAULT_RULES, type RosterRules } from '../roster/rules';
import { DEFAULT_SEED } from '../roster/solver';
import type { AuditResult } from '../roster/types';
import { expandWeek, type TourInstance } from '../roster/week';
import { isIsoWeek } from '../shared/isoWeek';
import { type AuditFinding, auditFindings } from './findings';

export const TOURS_FORMAT = 'solvereign-tours/1';

/** The tours file an external solver reads (docs/l3.md "Tours file"). */
export interface ToursFile {
  format: typeof TOURS_FORMAT;
  week_id: string;
  seed: number;
  rules: {
    max_weekly_minutes: number;
    min_rest_minutes: number;
    max_tours_per_day: number;
    max_span_regular_minutes: number;
    max_span_split_minutes: number;
    split_break_minutes: number;
    min_pause_minutes: number;
  };
  tours: {
    id: string;
    line: number;
    day: number;
    date: string;
    /** Absolute minutes from Monday 00:00 of the week. */
    start: number;
    end: number;
    parts: { start: number; end: number }[];
    split: boolean;
    work_minutes: number;
    depot: string | null;
  }[];
}

export function toursFile(
  week: string,
  seed: number,
  tours: readonly TourInstance[],
  rules: RosterRules,
): ToursFile {
  return {
    format: TOURS_FORMAT,
    week_id: week,
    seed,
    rules: {
      max_weekly_minutes: rules.maxWeeklyMinutes,
      min_rest_minutes: rules.minRestMinutes,
      max_tours_per_day: rules.maxToursPerDay,
      max_span_regular_minutes: rules.maxSpanRegularMinutes,
      max_span_split_minutes: rules.maxSpanSplitMinutes,
      split_break_minutes: rules.splitBreakMinutes,
      min_pause_minutes: rules.minPauseMinutes,
    },
    tours: tours.map((t) => ({
      id: t.id,
      line: t.line,
      day: t.day,
      date: t.date,
      start: t.start,
      end: t.end,
      parts: t.parts.map((p) => ({ start: p.start, end: p.end })),
      split: t.split,
      work_minutes: t.workMinutes,
      depot: t.depot,
    })),
  };
}

export type ExternalSolverStage = 'start' | 'exit' | 'timeout' | 'output';

export class ExternalSolverError extends Error {
  override readonly name = 'ExternalSolverError';
  constructor(
    readonly stage: ExternalSolverStage,
    message: string,
    readonly stderr = '',
  ) {
    super(message);
  }
}

/** The external solver's stdout as a plan: `{assignments: [{driver_id, tour_id}], output_hash?}`. */
export function parseExternalPlan(
  stdout: string,
  tours: readonly TourInstance[],
): { assignments: { driver_id: string; tour_id: string; day: number }[]; output_hash?: string } {
  let data: unknown;
  try {
    data = JSON.parse(stdout);
  } catch (e) {
    const head = stdout.trim().slice(0, 80);
    throw new ExternalSolverError(
      'output',
      `The external solver's output is not JSON (${(e as Error).message})${head ? `: it starts "${head}"` : ': it printed nothing'}. It must print a plan JSON to stdout (docs/l3.md).`,
    );
  }
  const list = (data as { assignments?: unknown } | null)?.assignments;
  if (!data || typeof data !== 'object' || !Array.isArray(list))
    throw new ExternalSolverError(
      'output',
      'The external solver printed JSON without an "assignments" array; a plan is {"assignments": [{"driver_id", "tour_id"}]} (docs/l3.md).',
    );
  const dayOf = new Map(tours.map((t) => [t.id, t.day]));
  const assignments = list.map((a, i) => {
    const r = (a ?? {}) as Record<string, unknown>;
    if (typeof r.driver_id !== 'string' && typeof r.driver_id !== 'number')
      throw new ExternalSolverError('output', `Assignment ${i + 1} of the external plan has no driver_id.`);
    if (typeof r.tour_id !== 'string')
      throw new ExternalSolverError('output', `Assignment ${i + 1} of the external plan has no tour_id.`);
    return {
      driver_id: String(r.driver_id),
      tour_id: r.tour_id,
      day: dayOf.get(r.tour_id) ?? (Number(r.day) || 0),
    };
  });
  const hash = (data as { output_hash?: unknown }).output_hash;
  return { assignments, ...(typeof hash === 'string' ? { output_hash: hash } : {}) };
}

export interface ExternalSolver {
  command: string;
  /** Arguments before the tours file's path. */
  args?: readonly string[];
  cwd?: string;
  /** Default 60 s. */
  timeoutMs?: number;
}

/** Runs the command on a tours file; resolves with its stdout, rejects with an ExternalSolverError. */
export async function runExternalSolver(
  solver: ExternalSolver,
  file: ToursFile,
  o: { signal?: AbortSignal } = {},
): Promise<{ stdout: string; stderr: string; ms: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'solvereign-l3-'));
  const toursPath = path.join(dir, 'tours.json');
  await writeFile(toursPath, JSON.stringify(file));
  const started = Date.now();
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(solver.command, [...(solver.args ?? []), toursPath], {
        cwd: solver.cwd,
        shell: false,
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let errBytes = 0;
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => {
        // Keep the last 64 KB of stderr: enough to show what went wrong.
        err.push(b);
        errBytes += b.length;
        while (errBytes > 65536 && err.length > 1) errBytes -= err.shift()!.length;
      });
      const stderr = () => Buffer.concat(err).toString('utf8');
      let settled = false;
      const done = (f: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        o.signal?.removeEventListener('abort', onAbort);
        f();
      };
      const timeoutMs = solver.timeoutMs ?? 60_000;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        done(() =>
          reject(
            new ExternalSolverError(
              'timeout',
              `The external solver did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped.`,
              stderr(),
            ),
          ),
        );
      }, timeoutMs);
      const onAbort = () => {
        child.kill('SIGKILL');
        done(() => reject(new ExternalSolverError('exit', 'The run was cancelled.', stderr())));
      };
      o.signal?.addEventListener('abort', onAbort);
      child.on('error', (e) =>
        done(() =>
          reject(
            new ExternalSolverError(
              'start',
              `The external solver "${solver.command}" could not be started: ${e.message}. Check solvereign.l3.externalSolver.command.`,
            ),
          ),
        ),
      );
      child.on('close', (code, signal) =>
        done(() => {
          if (code === 0) {
            resolve({
              stdout: Buffer.concat(out).toString('utf8'),
              stderr: stderr(),
              ms: Date.now() - started,
            });
            return;
          }
          const tail = stderr().trim().split('\n').slice(-3).join(' / ');
          reject(
            new ExternalSolverError(
              'exit',
              `The external solver exited with ${signal ? `signal ${signal}` : `code ${code}`}${tail ? `: ${tail}` : ''}.`,
              stderr(),
            ),
          );
        }),
      );
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface LocalAuditOptions {
  week: string;
  seed?: number;
  rules?: Partial<RosterRules>;
  /** Solve with this command instead of the built-in engine. */
  external?: ExternalSolver;
  /** Re-solve once for the Reproducibility audit (default true). */
  checkReproducibility?: boolean;
  signal?: AbortSignal;
}

export interface LocalAuditResult {
  solver: 'built-in' | 'external';
  week: string;
  tours: TourInstance[];
  assignments: { driver_id: string; tour_id: string; day: number }[];
  audits: AuditResult[];
  kpis: RosterKpis;
  output_hash: string;
  findings: AuditFinding[];
  /** Solve (and re-solve) time in ms. */
  ms: number;
  stderr?: string;
}

/**
 * Solves and audits a forecast. Throws ForecastBlockedError for a FAIL forecast (nothing is solved),
 * RangeError for a week that does not exist, ExternalSolverError when the external command fails.
 */
export async function runLocalAudits(text: string, options: LocalAuditOptions): Promise<LocalAuditResult> {
  if (!isIsoWeek(options.week)) throw new RangeError(`${options.week} is not an ISO week (e.g. 2026-W03).`);
  const seed = options.seed ?? DEFAULT_SEED;
  const started = Date.now();
  if (!options.external) {
    const run = solveForecast(text, {
      week: options.week,
      seed,
      ...(options.rules ? { rules: options.rules } : {}),
      checkReproducibility: options.checkReproducibility ?? true,
    });
    return {
      solver: 'built-in',
      week: options.week,
      tours: run.plan.tours,
      assignments: run.solver.assignments,
      audits: run.audit_results,
      kpis: run.kpis,
      output_hash: run.output_hash,
      findings: auditFindings(run.audit_results, run.plan.tours),
      ms: Date.now() - started,
    };
  }
  const parsed = parseForecastInput(text);
  const gate = gateForecast(parsed);
  if (gate.blocked) throw new ForecastBlockedError(gate);
  const rules: RosterRules = { ...DEFAULT_RULES, ...options.rules };
  const { tours } = expandWeek(parsed.tours, options.week);
  const file = toursFile(options.week, seed, tours, rules);
  const first = await runExternalSolver(options.external, file, { signal: options.signal });
  const plan = parseExternalPlan(first.stdout, tours);
  // The hash is ours, over what the command assigned: a solver cannot claim reproducibility.
  const cfg = configHash({ solver: `external:${options.external.command}`, seed, rules });
  const hash = outputHash(cfg, plan.assignments);
  let second: string | undefined;
  let stderr = first.stderr;
  if (options.checkReproducibility ?? true) {
    const again = await runExternalSolver(options.external, file, { signal: options.signal });
    second = outputHash(cfg, parseExternalPlan(again.stdout, tours).assignments);
    stderr += again.stderr;
  }
  const auditPlan = { tours, assignments: plan.assignments, output_hash: hash };
  const audits = runAudits(auditPlan, second !== undefined ? { second_hash: second } : {}, rules);
  const kpis = computeKpis(auditPlan, { runtime_ms: first.ms, rules });
  return {
    solver: 'external',
    week: options.week,
    tours,
    assignments: plan.assignments,
    audits,
    kpis,
    output_hash: hash,
    findings: auditFindings(audits, tours),
    ms: Date.now() - started,
    ...(stderr ? { stderr } : {}),
  };
}

/** The week a workspace forecast declares (`# Week: 2026-W03`), if any. */
export function weekFromForecast(text: string): string | undefined {
  return declaredWeek(parseForecastInput(text).lines) ?? undefined;
}
