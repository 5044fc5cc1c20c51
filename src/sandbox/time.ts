// Calendar helpers (UTC): ISO weeks (the roster engine's) and the date stamps used in ids.
import { isoWeekMonday, isoWeekOf } from '../roster/week';

/** ISO 8601 week of a date, e.g. `2026-W03`. */
export const isoWeek = (date: Date): string => isoWeekOf(date).id;

/** Monday 00:00 UTC of the ISO week a date falls in. */
export const startOfIsoWeek = (date: Date): Date => isoWeekMonday(isoWeek(date));

/** `20260113` for ids like RUN-20260113-001. */
export function dateStamp(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

export const DAY_MS = 86400000;
export const WEEK_MS = 7 * DAY_MS;
