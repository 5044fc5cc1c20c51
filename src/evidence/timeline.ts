// A run's roster timeline from its verified evidence: the plan's drivers (sorted), each with its tours
// placed in the week from the input forecast (day, times, split parts, depot, input line), the tours
// no driver got, and every audit violation on the tours and drivers it names. Without an input
// forecast (live's packs) the tours come from the plan only: ids and days, no times. No `vscode`.
import {
  type TimelineBlock,
  type TimelineDriver,
  type TimelineFacets,
  type TimelineTour,
  type TimelineViolation,
  tourSpan,
} from '../reports/timeline';
import type { TourInstance } from '../roster/week';
import { isIsoWeek, mondayOfIsoWeek } from '../shared/isoWeek';
import {
  type AuditFinding,
  auditFindings,
  byDriverId,
  depotName,
  planAssignments,
  runTours,
} from './findings';
import type { RunEvidence } from './runEvidence';

/** Most sub-lanes a row is split into; more overlapping tours share the lane that frees first. */
export const MAX_LANES = 4;

/**
 * Puts overlapping tours of a row (sorted by start) on lanes, one above the other, instead of on top
 * of each other: each group of tours that overlap (directly or through each other) gets as many
 * lanes as it needs, at most `maxLanes` (more share the lane that frees first). Tours that overlap
 * nothing keep the whole row. Returns the most lanes a group needed.
 */
export function assignLanes(tours: TimelineTour[], maxLanes = MAX_LANES): number {
  let most = 1;
  let group: TimelineTour[] = [];
  let groupEnd = Number.NEGATIVE_INFINITY;
  const close = () => {
    const laneEnds: number[] = [];
    for (const t of group) {
      const [start, end] = tourSpan(t);
      let lane = laneEnds.findIndex((e) => e <= start);
      if (lane < 0 && laneEnds.length < maxLanes) lane = laneEnds.length;
      if (lane < 0) lane = laneEnds.indexOf(Math.min(...laneEnds));
      laneEnds[lane] = Math.max(laneEnds[lane] ?? 0, end);
      t.lane = lane;
    }
    for (const t of group) {
      if (laneEnds.length > 1) t.lanes = laneEnds.length;
      else {
        delete t.lane;
        delete t.lanes;
      }
    }
    most = Math.max(most, laneEnds.length);
    group = [];
  };
  for (const t of tours) {
    const [start, end] = tourSpan(t);
    if (group.length && start >= groupEnd) close();
    group.push(t);
    groupEnd = group.length === 1 ? end : Math.max(groupEnd, end);
  }
  if (group.length) close();
  return most;
}

function fromInstance(t: TourInstance): TimelineTour {
  return {
    id: t.id,
    day: t.day,
    parts: t.parts.map((p): [number, number] => [p.start, p.end]),
    ...(t.depot ? { depot: depotName(t.depot) } : {}),
    line: t.line,
  };
}

/** plan.json's uncovered tours (the sandbox's plans list them with their day). */
function planUncovered(plan: unknown): { id: string; day: number }[] {
  const list = (plan as { uncovered?: unknown } | null)?.uncovered;
  if (!Array.isArray(list)) return [];
  return list.flatMap((u) => {
    const r = (u ?? {}) as { tour_id?: unknown; day?: unknown };
    const day = Number(r.day);
    return r.tour_id === undefined ? [] : [{ id: String(r.tour_id), day: day >= 1 && day <= 7 ? day : 0 }];
  });
}

/** The filters' choices: days and depots of the tours, and audits with their counts in the run's order. */
export function timelineFacets(
  drivers: readonly TimelineDriver[],
  violations: readonly TimelineViolation[],
  unplaced: readonly number[] = [],
): TimelineFacets {
  const days = new Set<number>();
  const depots = new Set<string>();
  for (const d of drivers)
    for (const t of d.tours) {
      if (t.day >= 1 && t.day <= 7) days.add(t.day);
      if (t.depot) depots.add(t.depot);
    }
  const audits: TimelineFacets['audits'] = [];
  // Only what the timeline shows: a violation it could not place is no use as a filter.
  for (const v of violations.filter((_, i) => !unplaced.includes(i))) {
    const a = audits.find((x) => x.name === v.audit);
    if (a) {
      a.count++;
      if (v.status === 'FAIL') a.status = 'FAIL';
    } else audits.push({ name: v.audit, status: v.status, count: 1 });
  }
  return {
    days: [...days].sort((a, b) => a - b),
    depots: [...depots].sort((a, b) => a.localeCompare(b)),
    audits,
  };
}

export type TimelineEvidence = Pick<RunEvidence, 'runId' | 'forecast' | 'week' | 'plan' | 'audits'> &
  Partial<Pick<RunEvidence, 'error'>> & {
    files?: ReadonlyMap<string, unknown>;
  };

/** The run's timeline block (see src/reports/timeline.ts for what each field means); throws for a
 * run whose evidence holds no plan (an ERROR run), saying why. */
export function buildTimeline(ev: TimelineEvidence): TimelineBlock {
  if (!Array.isArray((ev.plan as { assignments?: unknown } | null)?.assignments)) {
    const error = ev.error;
    throw new Error(
      `${ev.runId} has no plan in its evidence${error?.message ? ` (the run ended in ${error.error_code ?? 'ERROR'}: ${error.message})` : ''}: there is nothing to draw.`,
    );
  }
  const tours = runTours(ev);
  const byId = new Map((tours ?? []).map((t) => [t.id, t]));
  const rows = new Map<string, TimelineDriver>();
  const assigned = new Set<string>();
  for (const a of planAssignments(ev.plan)) {
    let row = rows.get(a.driver_id);
    if (!row) {
      row = { id: a.driver_id, tours: [] };
      rows.set(a.driver_id, row);
    }
    const t = byId.get(a.tour_id);
    // A tour the input does not have (what Coverage reports) is still drawn, on the plan's day.
    row.tours.push(t ? fromInstance(t) : { id: a.tour_id, day: a.day ?? 0 });
    assigned.add(a.tour_id);
  }
  const unassigned: TimelineTour[] = tours
    ? tours.filter((t) => !assigned.has(t.id)).map(fromInstance)
    : planUncovered(ev.plan)
        .filter((u) => !assigned.has(u.id))
        .map((u) => ({ id: u.id, day: u.day }));

  const drivers = [...rows.values()].sort((a, b) => byDriverId(a.id, b.id));
  if (unassigned.length) drivers.unshift({ id: 'Unassigned', unassigned: true, tours: unassigned });

  // Violations: on the tours of the driver they name, else on the driver, else on every row holding
  // the tours they name (a tour given twice, an uncovered tour), else unplaced.
  const findings: AuditFinding[] = auditFindings(ev.audits ?? [], tours);
  const violations: TimelineViolation[] = [];
  const unplaced: number[] = [];
  const add = (list: { v?: number[] }, i: number) => {
    if (!list.v) list.v = [];
    if (!list.v.includes(i)) list.v.push(i);
  };
  findings.forEach((f, i) => {
    violations.push({
      audit: f.audit,
      status: f.status,
      message: f.message,
      ...(f.code ? { code: f.code } : {}),
    });
    const ids = new Set(f.tours.map((t) => t.id));
    const own = f.driver ? rows.get(f.driver) : undefined;
    if (own) {
      const hit = own.tours.filter((t) => ids.has(t.id));
      if (hit.length) for (const t of hit) add(t, i);
      else add(own, i);
      return;
    }
    let placed = false;
    if (ids.size)
      for (const d of drivers)
        for (const t of d.tours)
          if (ids.has(t.id)) {
            add(t, i);
            placed = true;
          }
    if (!placed) unplaced.push(i);
  });

  for (const d of drivers) {
    d.tours.sort((a, b) => tourSpan(a)[0] - tourSpan(b)[0] || byDriverId(a.id, b.id));
    assignLanes(d.tours);
    if (tours && !d.unassigned)
      d.workMinutes = d.tours.reduce((n, t) => n + (t.parts ?? []).reduce((m, [s, e]) => m + (e - s), 0), 0);
  }

  const week = ev.week && isIsoWeek(ev.week) ? ev.week : undefined;
  const planFile = ev.files
    ? [...ev.files.keys()].find((n) => n === 'plan.json' || n.endsWith('/plan.json'))
    : undefined;
  return {
    kind: 'timeline',
    id: 'roster',
    caption: `Roster timeline of ${ev.runId}: ${drivers.filter((d) => !d.unassigned).length} drivers, one row each${unassigned.length ? `, and ${unassigned.length} unassigned tours` : ''}`,
    runId: ev.runId,
    ...(week ? { week, monday: mondayOfIsoWeek(week)!.toISOString().slice(0, 10) } : {}),
    timed: tours !== undefined,
    ...(planFile ? { planFile } : {}),
    drivers,
    violations,
    ...(unplaced.length ? { unplaced } : {}),
    facets: timelineFacets(drivers, violations, unplaced),
  };
}

/** What the command returns and the tests check: counts of what the timeline holds. */
export function timelineSummary(b: TimelineBlock) {
  const drivers = b.drivers.filter((d) => !d.unassigned);
  return {
    runId: b.runId,
    week: b.week,
    timed: b.timed,
    drivers: drivers.length,
    rows: b.drivers.length,
    tours: b.drivers.reduce((n, d) => n + d.tours.length, 0),
    unassigned: b.drivers.find((d) => d.unassigned)?.tours.length ?? 0,
    violations: b.violations.length,
    unplaced: b.unplaced?.length ?? 0,
    audits: b.facets.audits,
  };
}
