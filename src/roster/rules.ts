// The roster's hard rules, in one place so the solver builds exactly what the audits check.
import type { Interval } from './forecast';

export interface RosterRules {
  maxWeeklyMinutes: number;
  minRestMinutes: number;
  maxToursPerDay: number;
  maxSpanRegularMinutes: number;
  maxSpanSplitMinutes: number;
  /** A working day with a break this long between two tours counts as a split shift. */
  splitBreakMinutes: number;
  /** Drivers with at least this much work are full-time. */
  fullTimeMinutes: number;
  /** Minimum changeover between two consecutive tours of one driver (depot and vehicle change). */
  minPauseMinutes: number;
}

export const DEFAULT_RULES: Readonly<RosterRules> = {
  maxWeeklyMinutes: 55 * 60,
  minRestMinutes: 11 * 60,
  maxToursPerDay: 3,
  maxSpanRegularMinutes: 14 * 60,
  maxSpanSplitMinutes: 16 * 60,
  splitBreakMinutes: 4 * 60,
  fullTimeMinutes: 40 * 60,
  minPauseMinutes: 30,
};

/** The minimum a rule check needs of a tour (absolute minutes). */
export interface RuleTour {
  day: number;
  start: number;
  end: number;
  parts: readonly Interval[];
  split: boolean;
  workMinutes: number;
}

/** True when any work part of `a` intersects one of `b` (half-open intervals). */
export function toursOverlap(a: RuleTour, b: RuleTour): boolean {
  if (a.end <= b.start || b.end <= a.start) return false;
  for (const p of a.parts) for (const q of b.parts) if (p.start < q.end && q.start < p.end) return true;
  return false;
}

/**
 * True when one driver cannot drive both tours: they overlap, one lies inside the other's split
 * break (the break belongs to its shift), or the changeover between them is shorter than the
 * minimum pause. A tour occupies its whole extent, first start to last end.
 */
export function toursConflict(a: RuleTour, b: RuleTour, rules: RosterRules = DEFAULT_RULES): boolean {
  return a.start < b.end + rules.minPauseMinutes && b.start < a.end + rules.minPauseMinutes;
}

/** A day is a split shift if a tour is split or the day has a break >= splitBreakMinutes. */
export function isSplitDay(sorted: readonly RuleTour[], rules: RosterRules = DEFAULT_RULES): boolean {
  for (let i = 0; i < sorted.length; i++) {
    if (sorted[i]!.split) return true;
    if (i > 0 && sorted[i]!.start - sorted[i - 1]!.end >= rules.splitBreakMinutes) return true;
  }
  return false;
}

/** First start to last end of one working day's tours (sorted by start). */
export function daySpan(sorted: readonly RuleTour[]): number {
  if (sorted.length === 0) return 0;
  let last = 0;
  for (const t of sorted) last = Math.max(last, t.end);
  return last - sorted[0]!.start;
}

/** Why a tour cannot be driven by anyone under the rules, or null. */
export function infeasibleAlone(t: RuleTour, rules: RosterRules = DEFAULT_RULES): string | null {
  if (t.workMinutes > rules.maxWeeklyMinutes) {
    return `${(t.workMinutes / 60).toFixed(1)} h of work exceeds the ${rules.maxWeeklyMinutes / 60} h weekly maximum`;
  }
  const span = t.end - t.start;
  const limit = t.split ? rules.maxSpanSplitMinutes : rules.maxSpanRegularMinutes;
  if (span > limit) {
    return `span ${(span / 60).toFixed(1)} h exceeds the ${limit / 60} h ${t.split ? 'split' : 'regular'} span limit`;
  }
  return null;
}
