// Calendar helpers (UTC): ISO weeks and the date stamps used in ids.

/** ISO 8601 week of a date, e.g. `2026-W03`. */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // Thursday of this week decides the year
  const yearStart = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - yearStart.getTime()) / 86400000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** Monday 00:00 UTC of the ISO week a date falls in. */
export function startOfIsoWeek(date: Date): Date {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() - (day - 1));
  return d;
}

/** Monday 00:00 UTC of an ISO week id (`2026-W03`), or undefined for a malformed id. */
export function mondayOfIsoWeek(week: string): Date | undefined {
  const m = /^(\d{4})-W(\d{2})$/.exec(week);
  if (!m) return undefined;
  const year = +m[1];
  const w = +m[2];
  if (w < 1 || w > 53) return undefined;
  const jan4 = new Date(Date.UTC(year, 0, 4));
  const monday = startOfIsoWeek(jan4);
  monday.setUTCDate(monday.getUTCDate() + (w - 1) * 7);
  return monday;
}

/** `20260113` for ids like RUN-20260113-001. */
export function dateStamp(date: Date): string {
  return date.toISOString().slice(0, 10).replaceAll('-', '');
}

export const DAY_MS = 86400000;
export const WEEK_MS = 7 * DAY_MS;
