// The seven audits of CONTRACT.md on ANY plan (tours + driver->tour assignments), whoever made it:
// the solver, a hand edit, or a plan file from live SOLVEREIGN. Each returns the engine's AuditResult.
import { AUDIT_CHECKS } from '../shared/runbook';
import { formatMinutes } from '../shared/days';
import { DAY_ABBREVIATIONS, type Interval, parseForecastJson } from './forecast';
import { DEFAULT_RULES, daySpan, isSplitDay, type RosterRules, toursConflict, toursOverlap } from './rules';
import type { AuditResult, AuditViolation } from './types';

/** The seven checks' names, in the contract's order (the runbook vocabulary owns the list). */
export const AUDIT_NAMES = AUDIT_CHECKS;

/** A tour as audits need it; TourInstance fits. Times are absolute minutes from Monday 00:00. */
export interface PlanTour {
  id: string;
  day: number;
  start: number;
  end: number;
  parts: Interval[];
  split: boolean;
  workMinutes: number;
  line?: number;
}

export interface PlanAssignment {
  driver_id: string;
  tour_id: string;
  day?: number;
}

export interface Plan {
  tours: PlanTour[];
  assignments: PlanAssignment[];
  output_hash?: string;
}

export interface ReproducibilityInput {
  /** The plan's output_hash. */
  output_hash?: string;
  /** The hash of a second solve with the same input and seed... */
  second_hash?: string;
  /** ...or a function that re-solves and returns its hash. */
  resolve?: () => string;
}

/** At most this many violations are listed per check (violation_count is always the full count). */
export const MAX_LISTED_VIOLATIONS = 50;

const dayName = (d: number) => DAY_ABBREVIATIONS[d - 1] ?? String(d);
const hours = (m: number) => `${(m / 60).toFixed(1).replace(/\.0$/, '')} h`;

function result(
  check_name: string,
  violations: AuditViolation[],
  okMessage: string,
  failMessage: string,
  warn = false,
): AuditResult {
  const status = violations.length === 0 ? 'PASS' : warn ? 'WARN' : 'FAIL';
  return {
    check_name,
    status,
    violation_count: violations.length,
    details: {
      message: violations.length === 0 ? okMessage : failMessage,
      violations: violations.slice(0, MAX_LISTED_VIOLATIONS),
    },
  };
}

function violation(message: string, extra: Omit<AuditViolation, 'message'>): AuditViolation {
  const v: AuditViolation = { message };
  if (extra.driver_id !== undefined) v.driver_id = extra.driver_id;
  if (extra.tour_ids !== undefined) v.tour_ids = extra.tour_ids;
  if (extra.day !== undefined) v.day = extra.day;
  if (extra.line !== undefined) v.line = extra.line;
  if (extra.gap_minutes !== undefined) v.gap_minutes = extra.gap_minutes;
  return v;
}

interface DriverWeek {
  driver_id: string;
  /** day -> tours sorted by start. */
  days: Map<number, PlanTour[]>;
  work: number;
}

/** Each driver's tours by day (unknown tour ids are skipped; Coverage reports them). */
function driverWeeks(plan: Plan): DriverWeek[] {
  const byId = new Map(plan.tours.map((t) => [t.id, t]));
  const weeks = new Map<string, DriverWeek>();
  for (const a of plan.assignments) {
    const t = byId.get(a.tour_id);
    if (!t) continue;
    let w = weeks.get(a.driver_id);
    if (!w) {
      w = { driver_id: a.driver_id, days: new Map(), work: 0 };
      weeks.set(a.driver_id, w);
    }
    const list = w.days.get(t.day) ?? [];
    list.push(t);
    w.days.set(t.day, list);
    w.work += t.workMinutes;
  }
  for (const w of weeks.values()) for (const l of w.days.values()) l.sort((a, b) => a.start - b.start);
  return [...weeks.values()].sort((a, b) =>
    a.driver_id < b.driver_id ? -1 : a.driver_id > b.driver_id ? 1 : 0,
  );
}

/** Coverage: every tour assigned exactly once (and no assignment of an unknown tour). */
export function auditCoverage(plan: Plan): AuditResult {
  const count = new Map<string, string[]>();
  const known = new Set(plan.tours.map((t) => t.id));
  const v: AuditViolation[] = [];
  for (const a of plan.assignments) {
    if (!known.has(a.tour_id)) {
      v.push(
        violation(`Driver ${a.driver_id} is assigned ${a.tour_id}, which is not a tour of this week.`, {
          driver_id: a.driver_id,
          tour_ids: [a.tour_id],
        }),
      );
      continue;
    }
    count.set(a.tour_id, [...(count.get(a.tour_id) ?? []), a.driver_id]);
  }
  let covered = 0;
  for (const t of plan.tours) {
    const ds = count.get(t.id) ?? [];
    if (ds.length === 1) covered++;
    else if (ds.length === 0) {
      v.push(
        violation(
          `Tour ${t.id} (${dayName(t.day)} ${formatMinutes(t.start)}-${formatMinutes(t.end)}) has no driver.`,
          {
            tour_ids: [t.id],
            day: dayName(t.day),
            ...(t.line !== undefined ? { line: t.line } : {}),
          },
        ),
      );
    } else {
      covered++;
      v.push(
        violation(`Tour ${t.id} is assigned ${ds.length} times (${ds.join(', ')}).`, {
          tour_ids: [t.id],
          day: dayName(t.day),
          ...(t.line !== undefined ? { line: t.line } : {}),
        }),
      );
    }
  }
  const pct = plan.tours.length ? (100 * covered) / plan.tours.length : 100;
  return result(
    'Coverage',
    v,
    `All ${plan.tours.length} tours are assigned exactly once.`,
    `${covered} of ${plan.tours.length} tours covered (${pct.toFixed(1)} %); ${v.length} problem(s). Review the input data (ERR_AUDIT_001).`,
  );
}

/**
 * Overlap: no driver on two tours at once, no tour inside another's split break (the break belongs
 * to its shift), and at least the minimum pause between two consecutive tours of one driver.
 */
export function auditOverlap(plan: Plan, rules: RosterRules = DEFAULT_RULES): AuditResult {
  const v: AuditViolation[] = [];
  const pause = rules.minPauseMinutes;
  const at = (t: PlanTour) => `${t.id} (${dayName(t.day)} ${formatMinutes(t.start)}-${formatMinutes(t.end)})`;
  for (const w of driverWeeks(plan)) {
    const all = [...w.days.values()].flat().sort((a, b) => a.start - b.start || a.end - b.end);
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length && all[j]!.start < all[i]!.end + pause; j++) {
        const a = all[i]!;
        const b = all[j]!;
        if (!toursConflict(a, b, rules)) continue;
        const gap = b.start - a.end;
        const extra = {
          driver_id: w.driver_id,
          tour_ids: [a.id, b.id],
          day: dayName(b.day),
          ...(b.line !== undefined ? { line: b.line } : {}),
        };
        let message: string;
        if (toursOverlap(a, b)) {
          message = `Driver ${w.driver_id} has ${at(a)} and ${at(b)} at the same time.`;
        } else if (gap < 0) {
          // Sorted by start and not overlapping: b starts inside a's split break.
          message = `Driver ${w.driver_id} has ${at(b)} inside the split break of ${at(a)}; the break belongs to that shift.`;
        } else {
          message = `Driver ${w.driver_id} changes over in ${gap} min between ${at(a)} and ${at(b)} (minimum ${pause} min).`;
          v.push(violation(message, { ...extra, gap_minutes: gap }));
          continue;
        }
        v.push(violation(message, extra));
      }
    }
  }
  return result(
    'Overlap',
    v,
    `No driver has two tours at once, a tour inside a split break, or less than ${pause} min between two tours.`,
    `${v.length} overlapping or too-close tour pair(s). Check the forecast for duplicate tours (ERR_AUDIT_002).`,
  );
}

/** Rest: >= 11 h between a driver's working days; also the 55 h weekly maximum. */
export function auditRest(plan: Plan, rules: RosterRules = DEFAULT_RULES): AuditResult {
  const v: AuditViolation[] = [];
  for (const w of driverWeeks(plan)) {
    const days = [...w.days.keys()].sort((a, b) => a - b);
    for (let k = 1; k < days.length; k++) {
      const prev = w.days.get(days[k - 1]!)!;
      const next = w.days.get(days[k]!)!;
      const lastEnd = Math.max(...prev.map((t) => t.end));
      const rest = next[0]!.start - lastEnd;
      if (rest < rules.minRestMinutes) {
        const last = prev.find((t) => t.end === lastEnd)!;
        v.push(
          violation(
            `Driver ${w.driver_id} rests ${hours(rest)} between ${dayName(days[k - 1]!)} ${formatMinutes(lastEnd)} and ${dayName(days[k]!)} ${formatMinutes(next[0]!.start)} (minimum ${hours(rules.minRestMinutes)}).`,
            { driver_id: w.driver_id, tour_ids: [last.id, next[0]!.id], day: dayName(days[k]!) },
          ),
        );
      }
    }
    if (w.work > rules.maxWeeklyMinutes) {
      v.push(
        violation(
          `Driver ${w.driver_id} works ${hours(w.work)} this week (maximum ${hours(rules.maxWeeklyMinutes)}).`,
          {
            driver_id: w.driver_id,
          },
        ),
      );
    }
  }
  return result(
    'Rest',
    v,
    `Every driver rests at least ${hours(rules.minRestMinutes)} between working days and works at most ${hours(rules.maxWeeklyMinutes)} a week.`,
    `${v.length} rest or weekly-hours violation(s).`,
  );
}

/** The 55 h weekly maximum on its own (an extra check beside the seven; Rest includes it). */
export function auditMaxHours(plan: Plan, rules: RosterRules = DEFAULT_RULES): AuditResult {
  const v = driverWeeks(plan)
    .filter((w) => w.work > rules.maxWeeklyMinutes)
    .map((w) =>
      violation(`Driver ${w.driver_id} works ${hours(w.work)} (maximum ${hours(rules.maxWeeklyMinutes)}).`, {
        driver_id: w.driver_id,
      }),
    );
  return result(
    'MaxHours',
    v,
    `No driver works more than ${hours(rules.maxWeeklyMinutes)}.`,
    `${v.length} driver(s) over the weekly maximum.`,
  );
}

function auditSpan(plan: Plan, split: boolean, rules: RosterRules): AuditResult {
  const limit = split ? rules.maxSpanSplitMinutes : rules.maxSpanRegularMinutes;
  const v: AuditViolation[] = [];
  for (const w of driverWeeks(plan)) {
    for (const [day, list] of [...w.days].sort((a, b) => a[0] - b[0])) {
      if (isSplitDay(list, rules) !== split) continue;
      const span = daySpan(list);
      if (span > limit) {
        v.push(
          violation(
            `Driver ${w.driver_id} spans ${hours(span)} on ${dayName(day)} (${formatMinutes(list[0]!.start)}-${formatMinutes(Math.max(...list.map((t) => t.end)))}; ${split ? 'split' : 'regular'} maximum ${hours(limit)}).`,
            { driver_id: w.driver_id, tour_ids: list.map((t) => t.id), day: dayName(day) },
          ),
        );
      }
    }
  }
  const kind = split ? 'split-shift' : 'regular';
  return result(
    split ? 'SpanSplit' : 'SpanRegular',
    v,
    `Every ${kind} day spans at most ${hours(limit)}.`,
    `${v.length} ${kind} day(s) longer than ${hours(limit)}.`,
  );
}

/** SpanRegular: <= 14 h first start to last end on a day without a split. */
export function auditSpanRegular(plan: Plan, rules: RosterRules = DEFAULT_RULES): AuditResult {
  return auditSpan(plan, false, rules);
}

/** SpanSplit: <= 16 h on a split-shift day (a split tour, or a break of >= 4 h between tours). */
export function auditSpanSplit(plan: Plan, rules: RosterRules = DEFAULT_RULES): AuditResult {
  return auditSpan(plan, true, rules);
}

/** Fatigue: no triple-tour day followed by another; also at most 3 tours a day. */
export function auditFatigue(plan: Plan, rules: RosterRules = DEFAULT_RULES): AuditResult {
  const v: AuditViolation[] = [];
  for (const w of driverWeeks(plan)) {
    for (const [day, list] of [...w.days].sort((a, b) => a[0] - b[0])) {
      if (list.length > rules.maxToursPerDay) {
        v.push(
          violation(
            `Driver ${w.driver_id} has ${list.length} tours on ${dayName(day)} (maximum ${rules.maxToursPerDay}).`,
            {
              driver_id: w.driver_id,
              tour_ids: list.map((t) => t.id),
              day: dayName(day),
            },
          ),
        );
      }
      const next = w.days.get(day + 1);
      if (list.length >= 3 && next && next.length >= 3) {
        v.push(
          violation(
            `Driver ${w.driver_id} has triple-tour days on ${dayName(day)} and ${dayName(day + 1)} in a row.`,
            {
              driver_id: w.driver_id,
              tour_ids: [...list, ...next].map((t) => t.id),
              day: dayName(day + 1),
            },
          ),
        );
      }
    }
  }
  return result(
    'Fatigue',
    v,
    `No triple-tour day follows another, and no day has more than ${rules.maxToursPerDay} tours.`,
    `${v.length} fatigue violation(s).`,
  );
}

/** Reproducibility: a second solve (same input, same seed) gives the same output_hash. */
export function auditReproducibility(input: ReproducibilityInput): AuditResult {
  const first = input.output_hash;
  let second = input.second_hash;
  if (second === undefined && input.resolve) {
    try {
      second = input.resolve();
    } catch (err) {
      return result(
        'Reproducibility',
        [violation(`The re-solve failed: ${(err as Error).message}`, {})],
        '',
        'The re-solve failed.',
      );
    }
  }
  if (!first || !second) {
    return result(
      'Reproducibility',
      [violation('No second hash to compare with; re-solve with the same seed to check.', {})],
      '',
      'Not checked: no re-solve hash.',
      true,
    );
  }
  return result(
    'Reproducibility',
    first === second
      ? []
      : [
          violation(
            `Re-solve gave output_hash ${second.slice(0, 12)}..., expected ${first.slice(0, 12)}...`,
            {},
          ),
        ],
    `Re-solving with the same seed gives the same output_hash (${first.slice(0, 12)}...).`,
    'Re-solving with the same seed gives a different output_hash: the solver is not deterministic for this input.',
  );
}

/** All seven audits, in CONTRACT.md's order. */
export function runAudits(
  plan: Plan,
  reproducibility: ReproducibilityInput = {},
  rules: RosterRules = DEFAULT_RULES,
): AuditResult[] {
  return [
    auditCoverage(plan),
    auditOverlap(plan, rules),
    auditRest(plan, rules),
    auditSpanRegular(plan, rules),
    auditSpanSplit(plan, rules),
    auditFatigue(plan, rules),
    auditReproducibility({ output_hash: plan.output_hash, ...reproducibility }),
  ];
}

// ---------------------------------------------------------------- reading plan files

function toMinutes(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string') {
    const m = /^(\d{1,2}):(\d{2})$/.exec(v.trim());
    if (m) return Number(m[1]) * 60 + Number(m[2]);
  }
  return null;
}

/**
 * Reads a plan from JSON (object or text): `{tours, assignments, output_hash?}`. Tours may be tour
 * instances (absolute minutes, `parts`) or the JSON forecast form (`day`, `start`/`end` as "HH:MM").
 * Throws an Error saying what is wrong when it is not a plan.
 */
export function readPlan(input: unknown): Plan {
  const data = typeof input === 'string' ? JSON.parse(input) : input;
  if (!data || typeof data !== 'object')
    throw new Error('A plan is a JSON object {tours: [...], assignments: [...]}.');
  const obj = data as { tours?: unknown; assignments?: unknown; output_hash?: unknown };
  if (!Array.isArray(obj.tours)) throw new Error('The plan has no "tours" array.');
  if (!Array.isArray(obj.assignments)) throw new Error('The plan has no "assignments" array.');
  const tours: PlanTour[] = [];
  const clockTours = obj.tours.filter((t) => t && typeof (t as { start?: unknown }).start === 'string');
  const parsedClock = clockTours.length ? parseForecastJson({ tours: clockTours }) : null;
  let ci = 0;
  obj.tours.forEach((raw, i) => {
    const t = (raw ?? {}) as Record<string, unknown>;
    const id = String(t.id ?? `T${String(i + 1).padStart(4, '0')}`);
    if (typeof t.start === 'string') {
      const line = parsedClock!.lines[ci++]!;
      if (!line.tour) throw new Error(`Tour ${id}: ${line.issues.map((x) => x.message).join(' ')}`);
      const base = (line.tour.day - 1) * 1440;
      tours.push({
        id,
        day: line.tour.day,
        start: base + line.tour.start,
        end: base + line.tour.end,
        parts: line.tour.parts.map((p) => ({ start: base + p.start, end: base + p.end })),
        split: line.tour.split,
        workMinutes: line.tour.workMinutes,
      });
      return;
    }
    const start = toMinutes(t.start);
    const end = toMinutes(t.end);
    const day = Number(t.day);
    if (start === null || end === null || !(day >= 1 && day <= 7)) {
      throw new Error(`Tour ${id} needs day (1-7), start and end.`);
    }
    const parts = Array.isArray(t.parts)
      ? (t.parts as { start: number; end: number }[]).map((p) => ({
          start: Number(p.start),
          end: Number(p.end),
        }))
      : [{ start, end }];
    tours.push({
      id,
      day,
      start,
      end,
      parts,
      split: parts.length > 1,
      workMinutes:
        typeof t.workMinutes === 'number' ? t.workMinutes : parts.reduce((a, p) => a + p.end - p.start, 0),
      ...(typeof t.line === 'number' ? { line: t.line } : {}),
    });
  });
  const assignments = (obj.assignments as Record<string, unknown>[]).map((a, i) => {
    if (!a || a.driver_id === undefined || a.tour_id === undefined) {
      throw new Error(`Assignment ${i + 1} needs driver_id and tour_id.`);
    }
    return { driver_id: String(a.driver_id), tour_id: String(a.tour_id) };
  });
  return {
    tours,
    assignments,
    ...(typeof obj.output_hash === 'string' ? { output_hash: obj.output_hash } : {}),
  };
}
