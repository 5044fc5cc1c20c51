// Expands a parsed forecast into the tour instances of one ISO week: a line with count N becomes N
// tours, times become absolute minutes from the week's Monday 00:00 (a cross-midnight end lies on
// the next day; Sunday's may run into the following week).
import type { ForecastTour, Interval } from './forecast';
import {
  invalidIsoWeekMessage,
  mondayOfIsoWeek,
  shiftIsoWeek as shiftIsoWeekOrUndefined,
} from '../shared/isoWeek';
import { canonicalTourLine, DAY_ABBREVIATIONS } from './forecast';

export interface TourInstance {
  /** Stable id: `T0001`, `T0002`, ... in line order, then count order. */
  id: string;
  /** 1-based source line (CSV row, JSON index + 1). */
  line: number;
  /** 1..N within the line's count. */
  copy: number;
  /** 1 = Monday ... 7 = Sunday (the day the tour starts). */
  day: number;
  /** Calendar date of `day`, YYYY-MM-DD. */
  date: string;
  /** Absolute minutes from Monday 00:00 of the week. */
  start: number;
  end: number;
  parts: Interval[];
  split: boolean;
  crossesMidnight: boolean;
  workMinutes: number;
  spanMinutes: number;
  depot: string | null;
  /** Canonical source line (with its count) — identical lines share it. */
  canonical: string;
  sourceId?: string;
}

export interface WeekTours {
  week: string;
  /** Monday, YYYY-MM-DD. */
  monday: string;
  tours: TourInstance[];
}

/** ISO week helpers live in `src/shared/isoWeek.ts` (one rule for every layer). */
export { isIsoWeek, isoWeekOf } from '../shared/isoWeek';

/** Monday (UTC date) of an ISO week; throws RangeError for a week that does not exist. */
export function isoWeekMonday(week: string): Date {
  const monday = mondayOfIsoWeek(week);
  if (!monday) throw new RangeError(invalidIsoWeekMessage(week));
  return monday;
}

/** The ISO week `offset` weeks after `week` (negative: before); throws RangeError for a bad week. */
export function shiftIsoWeek(week: string, offset: number): string {
  const shifted = shiftIsoWeekOrUndefined(week, offset);
  if (shifted === undefined) throw new RangeError(invalidIsoWeekMessage(week));
  return shifted;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

/** Tour instances of `week` for parsed forecast tours (throws RangeError only for a bad week id). */
export function expandWeek(tours: readonly ForecastTour[], week: string): WeekTours {
  const monday = isoWeekMonday(week);
  const dates = Array.from({ length: 7 }, (_, i) => {
    const d = new Date(monday);
    d.setUTCDate(monday.getUTCDate() + i);
    return isoDate(d);
  });
  const out: TourInstance[] = [];
  for (const t of tours) {
    const base = (t.day - 1) * 1440;
    const canonical = canonicalTourLine(t);
    for (let copy = 1; copy <= t.count; copy++) {
      const inst: TourInstance = {
        id: `T${String(out.length + 1).padStart(4, '0')}`,
        line: t.line,
        copy,
        day: t.day,
        date: dates[t.day - 1]!,
        start: base + t.start,
        end: base + t.end,
        parts: t.parts.map((p) => ({ start: base + p.start, end: base + p.end })),
        split: t.split,
        crossesMidnight: t.crossesMidnight,
        workMinutes: t.workMinutes,
        spanMinutes: t.spanMinutes,
        depot: t.depot,
        canonical,
      };
      if (t.sourceId !== undefined) inst.sourceId = t.count === 1 ? t.sourceId : `${t.sourceId}.${copy}`;
      out.push(inst);
    }
  }
  return { week, monday: dates[0]!, tours: out };
}

/** `Mo` for day 1. */
export function dayAbbreviation(day: number): string {
  return DAY_ABBREVIATIONS[day - 1] ?? String(day);
}
