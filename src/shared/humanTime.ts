// Timestamps as people read them: "12 min ago (Mon 30 Nov, 14:21)" in the user's time zone, with
// the ISO form kept for tooltips and records. No `vscode` here.

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "just now", "12 min ago", "3 h ago", "in 5 min", "2 days ago"; undefined for an unreadable time. */
export function relativeTime(iso: string, now: Date = new Date()): string | undefined {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return undefined;
  const d = now.getTime() - t;
  const a = Math.abs(d);
  const say = (n: number, unit: string) => (d >= 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`);
  if (a < 45_000) return 'just now';
  if (a < HOUR) return say(Math.round(a / MINUTE), 'min');
  if (a < DAY) return say(Math.round(a / HOUR), 'h');
  const days = Math.round(a / DAY);
  return say(days, days === 1 ? 'day' : 'days');
}

/** "Mon 30 Nov, 14:21" in the given (default: the user's) time zone; the year when not this year's. */
export function localTime(iso: string, now: Date = new Date(), timeZone?: string): string | undefined {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return undefined;
  const parts = (d: Date) => {
    const out: Record<string, string> = {};
    const f = new Intl.DateTimeFormat('en-GB', {
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
    });
    for (const p of f.formatToParts(d)) out[p.type] = p.value;
    return out;
  };
  const p = parts(t);
  const sameYear = p.year === parts(now).year;
  return `${p.weekday} ${p.day} ${p.month}${sameYear ? '' : ` ${p.year}`}, ${p.hour}:${p.minute}`;
}

/** "12 min ago (Mon 30 Nov, 14:21)"; the raw text when it is not a time; "unknown time" when absent. */
export function humanTime(iso: string | null | undefined, now: Date = new Date(), timeZone?: string): string {
  if (!iso) return 'unknown time';
  const rel = relativeTime(iso, now);
  const local = localTime(iso, now, timeZone);
  return rel && local ? `${rel} (${local})` : iso;
}
