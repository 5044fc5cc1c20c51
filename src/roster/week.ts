// Expands a parsed forecast into the tour instances of one ISO week: a line with count N becomes N
// tours, times become absolute minutes from the week's Monday 00:00 (a cross-midnight end lies on
// the next day; Sunday's may run into the following week).
import type { ForecastTour, Interval } from './forecast';
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

const WEEK_RE = /^(\d{4})-W(\d{2})$/;

/** True for a well-formed ISO week id that exists (`2026-W03`; W53 only in long years). */
export function isIsoWeek(week: string): boolean {
  const m = WEEK_RE.exec(week);
  if (!m) return false;
  const w = Number(m[2]);
  return w >= 1 && w <= isoWeeksInYear(Number(m[1]));
}

function isoWeeksInYear(year: number): number {
  // A year has 53 ISO weeks when Dec 28 falls in week 53.
  const dec28 = new Date(Date.UTC(year, 11, 28));
  return isoWeekOf(dec28).week;
}

/** ISO year and week of a UTC date. */
export function isoWeekOf(date: Date): { year: number; week: number; id: string } {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow);
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / 86400000 + 1) / 7);
  return { year, week, id: `${year}-W${String(week).padStart(2, '0')}` };
}

/** Monday (UTC date) of an ISO week; throws RangeError for a malformed id. */
export function isoWeekMonday(week: string): Date {
  const m = WEEK_RE.exec(week);
  if (!m || !isIsoWeek(week)) {
    throw new RangeError(`"${week}" is not an ISO week; write it as YYYY-Www, e.g. 2026-W03.`);
  }
  const year = Number(m[1]);
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const jan4dow = jan4.getUTCDay() || 7;
  const monday = new Date(jan4);
  monday.setUTCDate(jan4.getUTCDate() - jan4dow + 1 + (Number(m[2]) - 1) * 7);
  return monday;
}

/** The ISO week `offset` weeks after `week` (negative: before). */
export function shiftIsoWeek(week: string, offset: number): string {
  const monday = isoWeekMonday(week);
  monday.setUTCDate(monday.getUTCDate() + offset * 7);
  return isoWeekOf(monday).id;
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
