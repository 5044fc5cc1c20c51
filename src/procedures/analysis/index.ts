// SP-002's analysis with the roster engine: diff two weeks' forecasts, find duplicate tours, size a
// split, re-solve with the same seed. Bundled on its own (dist/procedures-analysis.js) so the
// roster engine is not in the activation bundle; the extension runs it in a worker thread (a
// Wien-sized solve must not block the extension host). Plain data in, plain data out.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import {
  canonicalTourLine,
  expandWeek,
  type ForecastTour,
  type ParsedForecast,
  parseForecast,
  parseForecastCsv,
  solve,
} from '../../roster';

export interface TourRow {
  /** Canonical line without the count: `Mo 06:00-14:00 Depot Sued`. */
  tour: string;
  count: number;
  line: number;
  depot: string | null;
}

export interface ForecastDiff {
  added: TourRow[];
  removed: TourRow[];
  changed: { tour: string; before: number; after: number; line: number; depot: string | null }[];
  toursBefore: number;
  toursAfter: number;
  linesBefore: number;
  linesAfter: number;
  failedLinesAfter: { line: number; codes: string[] }[];
  unchanged: boolean;
}

export interface DuplicateReport {
  duplicates: { tour: string; lines: number[]; depot: string | null; count: number }[];
  tourCount: number;
}

export interface SplitSuggestion {
  tourCount: number;
  byDepot: { depot: string; tours: number }[];
  byDay: { day: string; tours: number }[];
  suggestion: string;
}

export interface ResolveResult {
  seed: number;
  first: string;
  second: string;
  same: boolean;
  configHash: string;
  ms: number;
  tours: number;
  searchBudget: number | null;
}

const DAYS = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'];

export function parseAny(text: string): ParsedForecast {
  const firstLine = text.split('\n').find((l) => l.trim() && !l.trim().startsWith('#')) ?? '';
  return /^\s*day\s*,/i.test(firstLine) ? parseForecastCsv(text) : parseForecast(text);
}

function key(t: ForecastTour): string {
  return canonicalTourLine({ day: t.day, parts: t.parts, count: 1, depot: t.depot });
}

function rows(p: ParsedForecast): Map<string, TourRow> {
  const m = new Map<string, TourRow>();
  for (const t of p.tours) {
    const k = key(t);
    const r = m.get(k);
    if (r) r.count += t.count;
    else m.set(k, { tour: k, count: t.count, line: t.line, depot: t.depot });
  }
  return m;
}

/** Tours added, removed and changed (count) from `before` (previous week) to `after`. */
export function diffForecasts(before: string, after: string): ForecastDiff {
  const pb = parseAny(before);
  const pa = parseAny(after);
  const rb = rows(pb);
  const ra = rows(pa);
  const added: TourRow[] = [];
  const removed: TourRow[] = [];
  const changed: ForecastDiff['changed'] = [];
  for (const [k, a] of ra) {
    const b = rb.get(k);
    if (!b) added.push(a);
    else if (b.count !== a.count)
      changed.push({ tour: k, before: b.count, after: a.count, line: a.line, depot: a.depot });
  }
  for (const [k, b] of rb) if (!ra.has(k)) removed.push(b);
  return {
    added,
    removed,
    changed,
    toursBefore: pb.tourCount,
    toursAfter: pa.tourCount,
    linesBefore: pb.tours.length,
    linesAfter: pa.tours.length,
    failedLinesAfter: pa.lines
      .filter((l) => l.verdict === 'FAIL')
      .map((l) => ({ line: l.line, codes: l.issues.map((i) => i.code) })),
    unchanged: added.length === 0 && removed.length === 0 && changed.length === 0,
  };
}

/** Repeated tour lines (the parser's duplicate detection) with their depots. */
export function findDuplicates(text: string): DuplicateReport {
  const p = parseAny(text);
  const byLine = new Map(p.tours.map((t) => [t.line, t]));
  return {
    tourCount: p.tourCount,
    duplicates: p.duplicates.map((d) => {
      const t = byLine.get(d.lines[0] as number);
      return {
        tour: d.canonical,
        lines: d.lines,
        depot: t?.depot ?? null,
        count: d.lines.reduce((n, l) => n + (byLine.get(l)?.count ?? 0), 0),
      };
    }),
  };
}

/** How the input could be split (runtime > 60 s): tours per depot and per day. */
export function suggestSplit(text: string): SplitSuggestion {
  const p = parseAny(text);
  const depots = new Map<string, number>();
  const days = new Map<string, number>();
  for (const t of p.tours) {
    const d = t.depot ?? '(no depot)';
    depots.set(d, (depots.get(d) ?? 0) + t.count);
    const day = DAYS[t.day - 1] ?? String(t.day);
    days.set(day, (days.get(day) ?? 0) + t.count);
  }
  const byDepot = [...depots].map(([depot, tours]) => ({ depot, tours })).sort((a, b) => b.tours - a.tours);
  const byDay = DAYS.map((day) => ({ day, tours: days.get(day) ?? 0 }));
  const named = byDepot.filter((d) => d.depot !== '(no depot)');
  const suggestion =
    named.length >= 2
      ? `split by depot into ${byDepot.length} solves (${byDepot.map((d) => `${d.depot} ${d.tours}`).join(', ')} tours)`
      : `split the week into two halves (Mo–Mi ${sum(byDay.slice(0, 3))} and Do–So ${sum(byDay.slice(3))} tours)`;
  return { tourCount: p.tourCount, byDepot, byDay, suggestion };
}

function sum(xs: { tours: number }[]): number {
  return xs.reduce((n, x) => n + x.tours, 0);
}

/** Solves the forecast twice with the same seed and compares the output hashes. */
export function resolveTwice(text: string, week: string, seed: number, searchBudget?: number): ResolveResult {
  const t0 = performance.now();
  const p = parseAny(text);
  const { tours } = expandWeek(p.tours, week);
  const opts = { seed, searchBudget };
  const a = solve(tours, opts);
  const b = solve(tours, opts);
  return {
    seed,
    first: `sha256:${a.output_hash.replace(/^sha256:/, '')}`,
    second: `sha256:${b.output_hash.replace(/^sha256:/, '')}`,
    same: a.output_hash === b.output_hash,
    configHash: a.config_hash,
    ms: Math.round(performance.now() - t0),
    tours: tours.length,
    searchBudget: searchBudget ?? null,
  };
}

export const analysis = { diffForecasts, findDuplicates, suggestSplit, resolveTwice };
export type AnalysisOp = keyof typeof analysis;

// Worker entry: `new Worker(dist/procedures-analysis.js, {workerData: {op, args}})`.
if (!isMainThread && parentPort && workerData && typeof workerData.op === 'string') {
  const port = parentPort;
  try {
    const fn = analysis[workerData.op as AnalysisOp] as (...a: unknown[]) => unknown;
    if (!fn) throw new Error(`unknown analysis ${workerData.op}`);
    port.postMessage({ ok: true, value: fn(...(workerData.args as unknown[])) });
  } catch (e) {
    port.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
