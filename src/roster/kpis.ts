// Run KPIs from any plan: headcount, coverage, full-time/part-time shares, weekly hours.
import type { PlanKpis } from './types';
import type { Plan } from './audits';
import { DEFAULT_RULES, type RosterRules } from './rules';

export interface RosterKpis extends PlanKpis {
  pt_count: number;
  covered_tours: number;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Minutes between consecutive tours of one driver on one working day (the changeovers), in driver
 * and time order. A split tour's own break is not a changeover.
 */
export function changeoverGaps(plan: Plan): number[] {
  const byId = new Map(plan.tours.map((t) => [t.id, t]));
  const days = new Map<string, { start: number; end: number }[]>();
  for (const a of plan.assignments) {
    const t = byId.get(a.tour_id);
    if (!t) continue;
    const key = `${a.driver_id}\u0000${t.day}`;
    const list = days.get(key);
    if (list) list.push(t);
    else days.set(key, [t]);
  }
  const gaps: number[] = [];
  for (const list of days.values()) {
    list.sort((a, b) => a.start - b.start);
    for (let i = 1; i < list.length; i++) gaps.push(list[i]!.start - list[i - 1]!.end);
  }
  return gaps;
}

/** Changeovers per band: 0, 1-29, 30-59, 60-239, >= 240 min (negative gaps count as 0). */
export function changeoverHistogram(gaps: readonly number[]): Record<string, number> {
  const h: Record<string, number> = { '0': 0, '1-29': 0, '30-59': 0, '60-239': 0, '>=240': 0 };
  for (const g of gaps) {
    const band = g <= 0 ? '0' : g < 30 ? '1-29' : g < 60 ? '30-59' : g < 240 ? '60-239' : '>=240';
    h[band]!++;
  }
  return h;
}

/** KPIs of a plan; `lower_bound` and `runtime_ms` come from the solver when there is one. */
export function computeKpis(
  plan: Plan,
  options: { runtime_ms?: number; lower_bound?: number; rules?: RosterRules } = {},
): RosterKpis {
  const rules = options.rules ?? DEFAULT_RULES;
  const work = new Map(plan.tours.map((t) => [t.id, t.workMinutes]));
  const perDriver = new Map<string, number>();
  const covered = new Set<string>();
  for (const a of plan.assignments) {
    const w = work.get(a.tour_id);
    if (w === undefined) continue;
    covered.add(a.tour_id);
    perDriver.set(a.driver_id, (perDriver.get(a.driver_id) ?? 0) + w);
  }
  const minutes = [...perDriver.values()];
  const headcount = minutes.length;
  const ft = minutes.filter((m) => m >= rules.fullTimeMinutes).length;
  const total = plan.tours.length;
  const gaps = changeoverGaps(plan);
  const kpis: RosterKpis = {
    headcount,
    coverage_percent: total ? round((100 * covered.size) / total, 2) : 100,
    fte_ratio: headcount ? round(ft / headcount, 4) : 0,
    pt_ratio: headcount ? round((headcount - ft) / headcount, 4) : 0,
    pt_count: headcount - ft,
    runtime_seconds: options.runtime_ms !== undefined ? round(options.runtime_ms / 1000, 3) : null,
    max_weekly_hours: headcount ? round(Math.max(...minutes) / 60, 2) : 0,
    avg_weekly_hours: headcount ? round(minutes.reduce((a, b) => a + b, 0) / headcount / 60, 2) : 0,
    total_tours: total,
    covered_tours: covered.size,
    avg_changeover_minutes: gaps.length ? round(gaps.reduce((a, b) => a + b, 0) / gaps.length, 1) : null,
    min_changeover_minutes: gaps.length ? Math.min(...gaps) : null,
  };
  if (options.lower_bound !== undefined) kpis.lower_bound = options.lower_bound;
  return kpis;
}
