// The roster timeline: a run's plan as a week with one row per driver, its tours as bars (a split
// tour's break between its two parts), and the audit violations on the tours and drivers they name.
// This file is what the webview and the host share: the block's schema (validated in the webview like
// every report block), and the pure functions of the view — filters, the virtualised window, axis
// ticks, accessible labels, and the per-driver text summary the exports show. Browser-safe: no
// `vscode`, no Node; the block is built from a run's evidence in src/evidence/timeline.ts.
import * as z from 'zod/mini';
import { DAY_ABBREVIATIONS, DAY_NAMES_ENGLISH, formatMinutes } from '../shared/days';
import { statusTone } from './format';
import type { Block, ReportDoc, Row } from './model';

export const WEEK_MINUTES = 7 * 1440;

export const TimelineViolation = z.object({
  audit: z.string(),
  status: z.enum(['FAIL', 'WARN']),
  message: z.string(),
  /** The runbook code (ERR_AUDIT_001/002, ERR_LOCK_002) of a FAIL. */
  code: z.optional(z.string()),
});
export type TimelineViolation = z.infer<typeof TimelineViolation>;

export const TimelineTour = z.object({
  id: z.string(),
  /** 1 = Monday … 7 = Sunday (the day the tour starts); 0 when neither input nor plan says. */
  day: z.number(),
  /** Working parts in absolute minutes from Monday 00:00 (two for a split tour; the gap is its break).
   * Absent when the evidence has no input forecast: the plan names tours, not their times. */
  parts: z.optional(z.array(z.tuple([z.number(), z.number()]))),
  depot: z.optional(z.string()),
  /** 1-based line of the input forecast the tour comes from. */
  line: z.optional(z.number()),
  /** Tours of one row that overlap in time are drawn one above the other: this tour's lane (0 = top)
   * of `lanes`. Absent for a tour that overlaps none. */
  lane: z.optional(z.number()),
  lanes: z.optional(z.number()),
  /** Indices into the block's violations. */
  v: z.optional(z.array(z.number())),
});
export type TimelineTour = z.infer<typeof TimelineTour>;

export const TimelineDriver = z.object({
  id: z.string(),
  /** The row of tours no driver was assigned. */
  unassigned: z.optional(z.boolean()),
  tours: z.array(TimelineTour),
  /** Working minutes of the week (absent without tour times). */
  workMinutes: z.optional(z.number()),
  /** Violations of the driver not tied to one of the row's tours (weekly hours, …). */
  v: z.optional(z.array(z.number())),
});
export type TimelineDriver = z.infer<typeof TimelineDriver>;

export const TimelineFacets = z.object({
  days: z.array(z.number()),
  depots: z.array(z.string()),
  /** Audits with violations on the timeline, in the run's order. */
  audits: z.array(z.object({ name: z.string(), status: z.enum(['FAIL', 'WARN']), count: z.number() })),
});
export type TimelineFacets = z.infer<typeof TimelineFacets>;

export const TimelineBlock = z.object({
  kind: z.literal('timeline'),
  id: z.string(),
  caption: z.string(),
  runId: z.string(),
  week: z.optional(z.string()),
  /** Monday of the week, YYYY-MM-DD (axis dates). */
  monday: z.optional(z.string()),
  /** False when the tours come from the plan only (no input forecast): days, no times. */
  timed: z.boolean(),
  /** The evidence file a tour without an input line opens (the plan). */
  planFile: z.optional(z.string()),
  drivers: z.array(TimelineDriver),
  violations: z.array(TimelineViolation),
  /** Violations that name neither a driver nor a tour of the plan. */
  unplaced: z.optional(z.array(z.number())),
  facets: TimelineFacets,
});
export type TimelineBlock = z.infer<typeof TimelineBlock>;

// ------------------------------------------------------------------ names and labels

const dayLong = (d: number) => DAY_NAMES_ENGLISH[d - 1] ?? 'day unknown';

/** The day (1..7, 8 = next Monday) an absolute minute falls on. */
const dayOfMinute = (abs: number) => Math.floor(abs / 1440) + 1;

/** "Tuesday 06:00–14:00", "Tuesday 06:00–10:00, break 10:00–15:00, 15:00–19:00", "Sunday 22:00–Monday 06:00". */
export function tourTimeText(t: TimelineTour): string {
  if (!t.parts?.length) return `${dayLong(t.day)}, time not in the evidence`;
  const startDay = dayOfMinute(t.parts[0]![0]);
  const at = (abs: number, isEnd: boolean) => {
    const d = isEnd && abs % 1440 === 0 ? dayOfMinute(abs) - 1 : dayOfMinute(abs);
    // An end at 24:00 reads as 24:00 of the start day, not 00:00 of the next.
    if (isEnd && abs % 1440 === 0 && d === startDay) return '24:00';
    return d === startDay ? formatMinutes(abs) : `${DAY_NAMES_ENGLISH[(d - 1) % 7]} ${formatMinutes(abs)}`;
  };
  const pieces: string[] = [];
  t.parts.forEach(([s, e], i) => {
    if (i > 0) pieces.push(`break ${at(t.parts![i - 1]![1], true)}–${at(s, false)}`);
    pieces.push(`${at(s, false)}–${at(e, true)}`);
  });
  return `${dayLong(t.day || startDay)} ${pieces.join(', ')}`;
}

/** "Overlap FAIL, Rest FAIL": a tour's or driver's violations by audit, each audit once. */
export function violationNames(
  block: Pick<TimelineBlock, 'violations'>,
  indices: readonly number[] = [],
): string {
  const seen = new Set<string>();
  for (const i of indices) {
    const v = block.violations[i];
    if (v) seen.add(`${v.audit} ${v.status}`);
  }
  return [...seen].join(', ');
}

/** What a screen reader says for a tour bar: "D017, Tuesday 06:00–14:00 Depot Nord, tour T0123, Overlap FAIL". */
export function tourAccessibleLabel(block: TimelineBlock, driver: TimelineDriver, t: TimelineTour): string {
  const who = driver.unassigned ? 'Unassigned' : driver.id;
  const where = t.depot ? ` Depot ${t.depot}` : '';
  const v = violationNames(block, t.v);
  return `${who}, ${tourTimeText(t)}${where}, tour ${t.id}${t.parts && t.parts.length > 1 ? ', split' : ''}${v ? `, ${v}` : ''}`;
}

/** "38.5 h" (one decimal, no trailing zero). */
export function hoursText(minutes: number): string {
  const h = Math.round((minutes / 60) * 10) / 10;
  return `${h} h`;
}

/** What a screen reader says for a driver's row header. */
export function driverAccessibleLabel(block: TimelineBlock, d: TimelineDriver): string {
  const parts = [
    d.unassigned ? 'Unassigned tours' : `Driver ${d.id}`,
    `${d.tours.length} tour${d.tours.length === 1 ? '' : 's'}`,
  ];
  if (d.workMinutes !== undefined) parts.push(hoursText(d.workMinutes));
  const all = driverViolations(d);
  if (all.length)
    parts.push(`${all.length} violation${all.length === 1 ? '' : 's'}: ${violationNames(block, all)}`);
  return parts.join(', ');
}

/** The driver's violations: its own and its tours', each once. */
export function driverViolations(d: TimelineDriver): number[] {
  const out = new Set<number>(d.v ?? []);
  for (const t of d.tours) for (const i of t.v ?? []) out.add(i);
  return [...out].sort((a, b) => a - b);
}

/** The worst status among violations: what the bar or row is marked with. */
export function worstStatus(
  block: Pick<TimelineBlock, 'violations'>,
  indices: readonly number[] = [],
): 'FAIL' | 'WARN' | undefined {
  let worst: 'FAIL' | 'WARN' | undefined;
  for (const i of indices) {
    const s = block.violations[i]?.status;
    if (s === 'FAIL') return 'FAIL';
    if (s === 'WARN') worst = 'WARN';
  }
  return worst;
}

/** [start, end) a tour occupies on the axis (a tour without times: its whole day). */
export function tourSpan(t: Pick<TimelineTour, 'day' | 'parts'>): [number, number] {
  if (t.parts?.length) return [t.parts[0]![0], t.parts.at(-1)![1]];
  const d = t.day >= 1 && t.day <= 7 ? t.day : 1;
  return [(d - 1) * 1440, d * 1440];
}

// ------------------------------------------------------------------ filters

export interface TimelineFilter {
  /** Part of a driver id (case-insensitive). */
  driver?: string;
  /** 1..7 */
  day?: number;
  depot?: string;
  /** An audit's name, or '*' for any violation. */
  audit?: string;
}

export interface FilteredRow {
  /** Index into block.drivers. */
  driver: number;
  /** Indices into the driver's tours that pass the filter. */
  tours: number[];
}

export interface FilteredTimeline {
  rows: FilteredRow[];
  /** The time range the axis shows, absolute minutes [start, end). */
  range: [number, number];
  tours: number;
  /** Distinct violations on what is shown. */
  violations: number;
}

const matchesAudit = (block: TimelineBlock, indices: readonly number[] | undefined, audit: string) =>
  (indices ?? []).some((i) => audit === '*' || block.violations[i]?.audit === audit);

/**
 * The rows and tours a filter keeps. Day, depot and violation filters keep a driver's matching tours
 * (a violation filter also keeps a driver whose own violation matches); a driver with nothing left
 * drops out. A day filter narrows the axis to that day (and what its tours run into).
 */
export function filterTimeline(block: TimelineBlock, f: TimelineFilter = {}): FilteredTimeline {
  const text = f.driver?.trim().toLowerCase() ?? '';
  const tourFilter = f.day !== undefined || !!f.depot || !!f.audit;
  const rows: FilteredRow[] = [];
  const shown = new Set<number>();
  let tours = 0;
  let maxEnd = f.day ? f.day * 1440 : WEEK_MINUTES;
  block.drivers.forEach((d, di) => {
    const name = d.unassigned ? 'unassigned' : d.id.toLowerCase();
    if (text && !name.includes(text)) return;
    const kept: number[] = [];
    d.tours.forEach((t, ti) => {
      if (f.day !== undefined && t.day !== f.day) return;
      if (f.depot && t.depot !== f.depot) return;
      if (f.audit && !matchesAudit(block, t.v, f.audit)) return;
      kept.push(ti);
    });
    // A driver's own violations (the week's hours, …) have no day or depot: only the violation filter keeps them.
    const own =
      f.day === undefined && !f.depot
        ? (d.v ?? []).filter((i) => !f.audit || matchesAudit(block, [i], f.audit))
        : [];
    if (tourFilter && !kept.length && !own.length) return;
    rows.push({ driver: di, tours: kept });
    tours += kept.length;
    for (const ti of kept) {
      const t = d.tours[ti]!;
      for (const i of t.v ?? []) shown.add(i);
      maxEnd = Math.max(maxEnd, tourSpan(t)[1]);
    }
    for (const i of own) shown.add(i);
  });
  // The axis runs on to the next full hour after the last tour (night tours end after midnight).
  const range: [number, number] = [f.day ? (f.day - 1) * 1440 : 0, Math.ceil(maxEnd / 60) * 60];
  return { rows, range, tours, violations: shown.size };
}

// ------------------------------------------------------------------ the virtualised window

export interface WindowInput {
  scrollTop: number;
  viewportHeight: number;
  rowHeight: number;
  rowCount: number;
  /** Rows rendered above and below the visible ones (smooth scrolling). */
  overscan: number;
}

export interface RowWindow {
  /** First rendered row (inclusive) and last (exclusive). */
  first: number;
  last: number;
  /** First and last (exclusive) row actually in view. */
  firstVisible: number;
  lastVisible: number;
  totalHeight: number;
}

/** Which rows to render for a scroll position: the visible ones plus `overscan` each side. */
export function rowWindow(w: WindowInput): RowWindow {
  const rowHeight = Math.max(1, w.rowHeight);
  const count = Math.max(0, Math.floor(w.rowCount));
  const totalHeight = count * rowHeight;
  const maxTop = Math.max(0, totalHeight - w.viewportHeight);
  const top = Math.min(Math.max(0, w.scrollTop), maxTop);
  const firstVisible = Math.min(count, Math.floor(top / rowHeight));
  const lastVisible = Math.min(count, Math.ceil((top + Math.max(0, w.viewportHeight)) / rowHeight));
  return {
    first: Math.max(0, firstVisible - w.overscan),
    last: Math.min(count, lastVisible + w.overscan),
    firstVisible,
    lastVisible,
    totalHeight,
  };
}

/** The scrollTop that brings a row fully into view (unchanged when it already is). */
export function scrollTopFor(
  row: number,
  w: Pick<WindowInput, 'scrollTop' | 'viewportHeight' | 'rowHeight'>,
): number {
  const top = row * w.rowHeight;
  if (top < w.scrollTop) return top;
  const bottom = top + w.rowHeight;
  if (bottom > w.scrollTop + w.viewportHeight) return Math.max(0, bottom - w.viewportHeight);
  return w.scrollTop;
}

// ------------------------------------------------------------------ axis

export interface AxisTick {
  /** Absolute minute. */
  at: number;
  /** 0..100 within the range. */
  pct: number;
  /** Day boundary (major) or hour (minor). */
  major: boolean;
  label?: string;
  /** A day's date ("12.01."), shown beside its label where there is room. */
  date?: string;
}

/** "12.01." from the week's Monday and a day 1..7. */
function dateOf(monday: string | undefined, day: number): string {
  const m = monday ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(monday) : null;
  if (!m) return '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]) + day - 1));
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.`;
}

/**
 * Ticks of the axis: the week shows each day (major, "Mo" and its date) with 06/12/18 hours between; a
 * single day shows every hour, labelled every two.
 */
export function axisTicks(range: [number, number], monday?: string): AxisTick[] {
  const [start, end] = range;
  const span = Math.max(1, end - start);
  const step = span > 2 * 1440 ? 360 : 60;
  const out: AxisTick[] = [];
  for (let at = Math.ceil(start / step) * step; at <= end; at += step) {
    const major = at % 1440 === 0;
    const day = dayOfMinute(at);
    let label: string | undefined;
    let date: string | undefined;
    // A day boundary close to the end (a night tour's next Monday) gets no label: it would be cut off.
    if (major && end - at >= span / 20) {
      label = DAY_ABBREVIATIONS[(day - 1) % 7];
      date = dateOf(monday, day) || undefined;
    } else if (!major && step === 360) label = String((at % 1440) / 60).padStart(2, '0');
    else if (!major && (at % 1440) % 120 === 0) label = formatMinutes(at);
    out.push({
      at,
      pct: ((at - start) / span) * 100,
      major,
      ...(label ? { label } : {}),
      ...(date ? { date } : {}),
    });
  }
  return out;
}

// ------------------------------------------------------------------ export (text summary)

/** "Mo 06:00-14:00 Nord T0001; Di 06:00-10:00+15:00-19:00 T0002": a row's week as text. */
export function driverWeekText(d: TimelineDriver): string {
  return d.tours
    .map((t) => {
      const times = t.parts
        ?.map(([s, e]) => `${formatMinutes(s)}-${e % 1440 === 0 && e > s ? '24:00' : formatMinutes(e)}`)
        .join('+');
      return [DAY_ABBREVIATIONS[t.day - 1] ?? '?', times, t.depot, t.id].filter(Boolean).join(' ');
    })
    .join('; ');
}

/** The timeline as a table, one row per driver (what markdown and HTML exports show). */
export function timelineSummaryTable(block: TimelineBlock): Extract<Block, { kind: 'table' }> {
  const rows: Row[] = block.drivers.map((d) => {
    const v = driverViolations(d);
    const worst = worstStatus(block, v);
    return {
      cells: [
        { text: d.unassigned ? 'Unassigned' : d.id, mono: true },
        { text: String(d.tours.length), sort: d.tours.length },
        { text: d.workMinutes !== undefined ? hoursText(d.workMinutes) : '—', sort: d.workMinutes ?? -1 },
        { text: driverWeekText(d), mono: true },
        { text: v.length ? violationNames(block, v) : '—', ...(worst ? { tone: statusTone(worst) } : {}) },
      ],
    };
  });
  return {
    kind: 'table',
    id: `${block.id}-summary`,
    caption: block.caption,
    columns: [
      { label: 'Driver' },
      { label: 'Tours', align: 'right' },
      { label: 'Hours', align: 'right' },
      { label: 'Week' },
      { label: 'Violations' },
    ],
    rows,
    empty: 'The plan assigns no tours.',
  };
}

/** Violations the timeline could not place on a driver or tour, as text lines. */
export function unplacedTexts(block: TimelineBlock): string[] {
  return (block.unplaced ?? []).map((i) => {
    const v = block.violations[i]!;
    return `${v.audit} ${v.status}: ${v.message}`;
  });
}

// ------------------------------------------------------------------ the report

export interface TimelineReportInput {
  block: TimelineBlock;
  generatedAt: string;
  source?: string;
}

/** The timeline report: the week (after a notice for a plan without input), then a summary. */
export function buildTimelineReport(input: TimelineReportInput): ReportDoc {
  const b = input.block;
  const all = b.drivers.flatMap((d) => driverViolations(d));
  const status = worstStatus(
    b,
    b.violations.map((_, i) => i),
  );
  const drivers = b.drivers.filter((d) => !d.unassigned);
  const unassigned = b.drivers.find((d) => d.unassigned)?.tours.length ?? 0;
  const tours = b.drivers.reduce((n, d) => n + d.tours.length, 0);
  const week: Block[] = [];
  if (!b.timed)
    week.push({
      kind: 'notice',
      tone: 'info',
      title: 'Tours from the plan only.',
      text: 'This evidence pack holds no input forecast, so the timeline knows each tour by its id and day from the plan, not its times or depot. Each tour is drawn across its whole day; Enter opens it in the plan.',
    });
  week.push(b);
  const blocks: Block[] = [];
  blocks.push({
    kind: 'facts',
    facts: [
      { label: 'Drivers', value: String(drivers.length) },
      { label: 'Tours', value: String(tours) },
      ...(unassigned
        ? [{ label: 'Unassigned tours', value: String(unassigned), tone: 'fail' as const }]
        : []),
      {
        label: 'Violations on the timeline',
        value: all.length
          ? `${new Set(all).size} (${b.facets.audits.map((a) => `${a.name} ${a.status} ${a.count}`).join(', ')})`
          : 'none',
        ...(status ? { tone: statusTone(status) } : {}),
      },
      ...(b.week
        ? [{ label: 'Week', value: `${b.week}${b.monday ? ` (from Monday ${b.monday})` : ''}` }]
        : []),
    ],
  });
  const unplaced = unplacedTexts(b);
  if (unplaced.length)
    blocks.push({
      kind: 'pre',
      title: 'Violations not tied to a driver or tour of the plan',
      text: unplaced.join('\n'),
    });
  return {
    kind: 'timeline',
    title: `Roster Timeline ${b.runId}`,
    subtitle: b.week ? `week ${b.week}` : undefined,
    runId: b.runId,
    ...(status
      ? { status: { label: status, tone: statusTone(status) } }
      : { status: { label: 'PASS', tone: 'pass' } }),
    generatedAt: input.generatedAt,
    ...(input.source ? { source: input.source } : {}),
    // The timeline first: it is what the panel is for; the counts follow it.
    sections: [
      { id: 'timeline', title: 'Week', blocks: week },
      { id: 'overview', title: 'Summary', blocks },
    ],
  };
}
