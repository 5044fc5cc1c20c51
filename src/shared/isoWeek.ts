// ISO 8601 weeks (`2026-W03`), the one implementation every layer uses: weeks start on Monday, the
// week holding the year's first Thursday is W01, and W53 exists only in long years. All dates UTC.

const WEEK_RE = /^(\d{4})-W(\d{2})$/;
const DAY_MS = 86_400_000;

const weekId = (year: number, week: number) => `${year}-W${String(week).padStart(2, '0')}`;

/** ISO year and week of a date (its UTC calendar day), with the id `YYYY-Www`. */
export function isoWeekOf(date: Date): { year: number; week: number; id: string } {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const dow = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - dow); // the Thursday of this week decides the year
  const year = d.getUTCFullYear();
  const week = Math.ceil(((d.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return { year, week, id: weekId(year, week) };
}

/** `2026-W03` for a date. */
export function isoWeekId(date: Date): string {
  return isoWeekOf(date).id;
}

/** 52 or 53: a year has 53 ISO weeks when its Dec 28 falls in week 53. */
export function isoWeeksInYear(year: number): number {
  return isoWeekOf(new Date(Date.UTC(year, 11, 28))).week;
}

/** True for a well-formed ISO week id that exists (`2026-W03`; W53 only in long years). */
export function isIsoWeek(week: string): boolean {
  const m = typeof week === 'string' ? WEEK_RE.exec(week) : null;
  if (!m) return false;
  const w = Number(m[2]);
  return w >= 1 && w <= isoWeeksInYear(Number(m[1]));
}

/** Why a week id is refused, in words a user can act on. */
export function invalidIsoWeekMessage(week: string): string {
  const m = typeof week === 'string' ? WEEK_RE.exec(week) : null;
  if (m && Number(m[2]) === 53)
    return `${m[1]} has only ${isoWeeksInYear(Number(m[1]))} ISO weeks; "${week}" does not exist.`;
  return `"${week}" is not an ISO week; write it as YYYY-Www, e.g. 2026-W03.`;
}

/** Monday 00:00 UTC of the ISO week a date falls in. */
export function startOfIsoWeek(date: Date): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() || 7) - 1));
  return d;
}

/** Monday 00:00 UTC of an ISO week id, or undefined when the week does not exist. */
export function mondayOfIsoWeek(week: string): Date | undefined {
  if (!isIsoWeek(week)) return undefined;
  const m = WEEK_RE.exec(week)!;
  const monday = startOfIsoWeek(new Date(Date.UTC(Number(m[1]), 0, 4)));
  monday.setUTCDate(monday.getUTCDate() + (Number(m[2]) - 1) * 7);
  return monday;
}

/** The ISO week `offset` weeks after `week` (negative: before); undefined when `week` does not exist. */
export function shiftIsoWeek(week: string, offset: number): string | undefined {
  const monday = mondayOfIsoWeek(week);
  if (!monday) return undefined;
  monday.setUTCDate(monday.getUTCDate() + offset * 7);
  return isoWeekId(monday);
}

/** Whole weeks from week `a` to week `b` (negative when b is earlier); undefined for a bad week. */
export function isoWeeksBetween(a: string, b: string): number | undefined {
  const from = mondayOfIsoWeek(a);
  const to = mondayOfIsoWeek(b);
  return from && to ? Math.round((to.getTime() - from.getTime()) / (7 * DAY_MS)) : undefined;
}
