// Hand-written seed runs in the live shape (until/unless the roster engine solves them): a forecast,
// a plan of assignments, the seven audits with violations naming drivers, tours and days, KPIs.
// Deterministic for a given (tenant, week, scenario).
import type { AuditResult, DriftStatus, RunKpis, RunStatus } from '../api/schemas';
import { AUDIT_CHECKS } from '../shared/runbook';
import { canonicalJson, sha256Hex } from './crypto';
import { seededRandom } from '../shared/random';

export type Scenario =
  | 'pass'
  | 'warn_fatigue'
  | 'warn_headcount'
  | 'fail_overlap'
  | 'blocked_coverage'
  | 'fail_repro'
  | 'error_timeout';

export interface SynthSize {
  /** Tours per day (Mo..So). */
  toursPerDay: readonly number[];
  drivers: number;
}
export const WIEN_SIZE: SynthSize = { toursPerDay: [204, 204, 204, 204, 204, 190, 175], drivers: 145 };
export const SMALL_SIZE: SynthSize = { toursPerDay: [8, 8, 8, 8, 8, 6, 4], drivers: 10 };

export const DAYS = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'] as const;

export interface PlanAssignment {
  driver_id: string;
  day: string;
  tour_id: string;
  start: string;
  end: string;
}

export interface SynthRun {
  forecast: string;
  assignments: PlanAssignment[];
  audits: AuditResult[];
  kpis: RunKpis;
  status: RunStatus;
  input_hash: string;
  output_hash: string | null;
  config_hash: string;
  seed: number;
  error_code?: string;
  error_message?: string;
}

export const SOLVER_CONFIG = {
  engine: 'sandbox-synth',
  max_weekly_hours: 55,
  min_rest_hours: 11,
  max_tours_per_day: 3,
  max_span_regular: 14,
  max_span_split: 16,
};
export const CONFIG_HASH = `sha256:${sha256Hex(canonicalJson(SOLVER_CONFIG))}`;

export function seedFrom(text: string): number {
  return Number.parseInt(sha256Hex(text).slice(0, 8), 16);
}

const WINDOWS: { range: string; start: string; end: string; share: number; depot?: string }[] = [
  { range: '05:30-13:30', start: '05:30', end: '13:30', share: 0.18, depot: 'Nord' },
  { range: '06:00-14:00', start: '06:00', end: '14:00', share: 0.22, depot: 'Sued' },
  { range: '08:00-16:00', start: '08:00', end: '16:00', share: 0.16 },
  { range: '10:00-18:00', start: '10:00', end: '18:00', share: 0.1, depot: 'West' },
  { range: '14:00-22:00', start: '14:00', end: '22:00', share: 0.2, depot: 'Nord' },
  { range: '06:00-10:00 + 15:00-19:00', start: '06:00', end: '19:00', share: 0.08 },
  { range: '22:00-06:00', start: '22:00', end: '06:00', share: 0.06 },
];

const pad = (n: number, w: number) => String(n).padStart(w, '0');
export const driverId = (n: number) => `D-${pad(n, 3)}`;
export const tourId = (n: number) => `T-${pad(n, 4)}`;

function audit(check: string, status: AuditResult['status'], message: string, violations: object[] = []) {
  return { check_name: check, status, violation_count: violations.length, details: { message, violations } };
}

export function runStatusOf(
  audits: readonly AuditResult[],
  drift: DriftStatus | null | undefined,
): RunStatus {
  if (drift === 'BLOCK') return 'BLOCKED';
  if (audits.some((a) => a.status === 'FAIL')) return 'FAIL';
  if (drift === 'WARN' || audits.some((a) => a.status === 'WARN')) return 'WARN';
  return 'PASS';
}

/** Builds one synthetic week. `drift` is decided by the caller from the KPIs (see drift.ts). */
export function synthWeek(opts: {
  tenant: string;
  site: string;
  week: string;
  scenario: Scenario;
  size: SynthSize;
  seed?: number;
}): Omit<SynthRun, 'status'> {
  const seed = opts.seed ?? 94;
  const rand = seededRandom(seedFrom(`${opts.tenant}/${opts.site}/${opts.week}/${opts.scenario}`));
  const lines: string[] = [`# SOLVEREIGN forecast ${opts.tenant}/${opts.site}`, `# Week: ${opts.week}`, ''];
  const assignments: PlanAssignment[] = [];
  let drivers = opts.size.drivers;
  if (opts.scenario === 'warn_headcount') drivers = Math.round(drivers * 1.06);
  else if (opts.size.drivers > 20) drivers += Math.floor(rand() * 5) - 2;
  let tourN = 0;
  let driverCursor = 0;
  const perDayTours: string[][] = [];
  for (let d = 0; d < 7; d++) {
    const dayTotal = opts.size.toursPerDay[d];
    let remaining = dayTotal;
    const dayTours: string[] = [];
    WINDOWS.forEach((w, i) => {
      const count =
        i === WINDOWS.length - 1 ? remaining : Math.min(remaining, Math.round(dayTotal * w.share));
      remaining -= count;
      if (count <= 0) return;
      lines.push(
        `${DAYS[d]} ${w.range}${count > 1 ? ` ${count} Fahrer` : ''}${w.depot ? ` Depot ${w.depot}` : ''}`,
      );
      for (let c = 0; c < count; c++) {
        tourN++;
        const t = tourId(tourN);
        dayTours.push(t);
        assignments.push({
          driver_id: driverId((driverCursor % drivers) + 1),
          day: DAYS[d],
          tour_id: t,
          start: w.start,
          end: w.end,
        });
        driverCursor++;
      }
    });
    perDayTours.push(dayTours);
    lines.push('');
  }
  const forecast = `${lines.join('\n').trimEnd()}\n`;
  const totalTours = tourN;
  const input_hash = `sha256:${sha256Hex(forecast)}`;

  if (opts.scenario === 'error_timeout') {
    return {
      forecast,
      assignments: [],
      audits: [],
      kpis: {
        headcount: null,
        coverage_percent: null,
        fte_ratio: null,
        pt_ratio: null,
        runtime_seconds: 300,
        drift_status: null,
        total_tours: totalTours,
      },
      input_hash,
      output_hash: null,
      config_hash: CONFIG_HASH,
      seed,
      error_code: 'ERR_SOLVE_001',
      error_message: 'Solver timeout after 300 s (limit 300 s); no solution was returned',
    };
  }

  const pickTour = (day: number) => perDayTours[day][Math.floor(rand() * perDayTours[day].length)];
  const pickDriver = () => driverId(1 + Math.floor(rand() * drivers));
  let unassigned: string[] = [];
  if (opts.scenario === 'blocked_coverage') {
    // Sunday night tours nobody may legally take (rest after Saturday late shifts).
    unassigned = perDayTours[6].slice(-Math.max(2, Math.round(totalTours * 0.0145)));
  }
  const plan = assignments.filter((a) => !unassigned.includes(a.tour_id));
  const covered = totalTours - unassigned.length;
  const coverage = Math.round((covered / totalTours) * 10000) / 100;

  const audits: AuditResult[] = [];
  for (const check of AUDIT_CHECKS) {
    switch (check) {
      case 'Coverage':
        audits.push(
          unassigned.length
            ? audit(
                check,
                'FAIL',
                `${unassigned.length} of ${totalTours} tours unassigned (coverage ${coverage} %)`,
                unassigned.map((t) => ({
                  message: `Tour ${t} (So 22:00-06:00) has no driver: no one has 11 h rest before it`,
                  tour_ids: [t],
                  day: 'So',
                })),
              )
            : audit(check, 'PASS', `All ${totalTours} tours assigned exactly once`),
        );
        break;
      case 'Overlap':
        if (opts.scenario === 'fail_overlap') {
          const v = [1, 3, 4].map((day) => {
            const d = pickDriver();
            const t = pickTour(day);
            const dup = `${t}-dup`;
            return {
              message: `Driver ${d} is on ${t} and its duplicate ${dup} at the same time (${DAYS[day]} 06:00-14:00)`,
              driver_id: d,
              tour_ids: [t, dup],
              day: DAYS[day],
            };
          });
          audits.push(
            audit(check, 'FAIL', `${v.length} overlapping assignments (duplicate tours in input)`, v),
          );
        } else audits.push(audit(check, 'PASS', 'No driver is on two tours at once'));
        break;
      case 'Rest':
        audits.push(audit(check, 'PASS', 'Every driver has >= 11 h rest between working days'));
        break;
      case 'SpanRegular':
        audits.push(audit(check, 'PASS', 'Every regular day spans <= 14 h'));
        break;
      case 'SpanSplit':
        audits.push(audit(check, 'PASS', 'Every split-shift day spans <= 16 h'));
        break;
      case 'Fatigue':
        if (opts.scenario === 'warn_fatigue') {
          const v = [2, 4].map((day) => {
            const d = pickDriver();
            return {
              message: `Driver ${d} has three tours on ${DAYS[day]} and three tours on ${DAYS[day + 1]}`,
              driver_id: d,
              tour_ids: [pickTour(day), pickTour(day), pickTour(day)],
              day: DAYS[day],
            };
          });
          audits.push(
            audit(check, 'WARN', `${v.length} triple-tour days followed by another triple-tour day`, v),
          );
        } else audits.push(audit(check, 'PASS', 'No triple-tour day is followed by another triple-tour day'));
        break;
      case 'Reproducibility':
        if (opts.scenario === 'fail_repro') {
          const a = sha256Hex(`${opts.week}/a`);
          const b = sha256Hex(`${opts.week}/b`);
          audits.push(
            audit(check, 'FAIL', `Re-solve with seed ${seed} gave a different output_hash`, [
              {
                message: `output_hash sha256:${a.slice(0, 12)}… != sha256:${b.slice(0, 12)}… on re-solve (seed ${seed}); driver D-017 got T-0412 instead of T-0413 on Mi`,
                driver_id: 'D-017',
                tour_ids: ['T-0412', 'T-0413'],
                day: 'Mi',
              },
            ]),
          );
        } else audits.push(audit(check, 'PASS', `Re-solve with seed ${seed} gave the same output_hash`));
        break;
    }
  }

  const hoursPerTour = 8;
  const perDriver = new Map<string, number>();
  for (const a of plan) perDriver.set(a.driver_id, (perDriver.get(a.driver_id) ?? 0) + hoursPerTour);
  const headcount = perDriver.size;
  // FTE ratio: share of drivers with >= 40 h; the synthetic plan spreads tours evenly, so the
  // ratio is set in the 0.97..1.0 band the Wien baseline expects.
  const fte = opts.size.drivers > 20 ? Math.round((0.97 + rand() * 0.03) * 1000) / 1000 : 1;
  const hours = [...perDriver.values()];
  const kpis: RunKpis = {
    headcount,
    coverage_percent: coverage,
    fte_ratio: fte,
    pt_ratio: Math.round((1 - fte) * 1000) / 1000,
    runtime_seconds: Math.round((opts.size.drivers > 20 ? 22 + rand() * 16 : 1 + rand() * 2) * 10) / 10,
    drift_status: null,
    max_weekly_hours: opts.size.drivers > 20 ? 52 + Math.floor(rand() * 3) : 48,
    avg_weekly_hours: Math.round((hours.reduce((x, y) => x + y, 0) / Math.max(1, hours.length)) * 10) / 10,
    total_tours: totalTours,
    lower_bound: Math.ceil((totalTours * hoursPerTour) / 55),
  };
  const sorted = [...plan].sort((x, y) =>
    x.driver_id === y.driver_id
      ? x.day === y.day
        ? x.tour_id.localeCompare(y.tour_id)
        : DAYS.indexOf(x.day as (typeof DAYS)[number]) - DAYS.indexOf(y.day as (typeof DAYS)[number])
      : x.driver_id.localeCompare(y.driver_id),
  );
  const output_hash = `sha256:${sha256Hex(canonicalJson({ config_hash: CONFIG_HASH, assignments: sorted }))}`;
  return {
    forecast,
    assignments: plan,
    audits,
    kpis,
    input_hash,
    output_hash,
    config_hash: CONFIG_HASH,
    seed,
  };
}
