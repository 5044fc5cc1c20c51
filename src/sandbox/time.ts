// Calendar helpers (UTC): ISO weeks and the date stamps used in ids.

/** ISO week helpers: the shared module (one rule for the sandbox, the engine and the UI). */
export { isoWeekId as isoWeek, mondayOfIsoWeek, startOfIsoWeek } from '../shared/isoWeek';

/** `20260113` for ids like RUN-20260113-001. */
export function dateStamp(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

export const DAY_MS = 86400000;
export const WEEK_MS = 7 * DAY_MS;
