// The forecast language dispatchers write (CONTRACT.md "Forecast text"), plus its CSV and JSON forms,
// read into one tour model. Pure: no vscode, no I/O. `parseForecast` never throws; every problem is
// reported per line with a code and a character range the language server turns into a diagnostic.
import { createHash } from 'node:crypto';
import { DAY_ABBREVIATIONS, DAY_NAMES_ENGLISH, formatMinutes } from '../shared/days';
import { isIsoWeek } from '../shared/isoWeek';

export type Verdict = 'PASS' | 'WARN' | 'FAIL';

/** Codes of CONTRACT.md, plus two extensions for inputs the contract does not name (marked below). */
export type ForecastIssueCode =
  | 'MISSING_DAY'
  | 'MISSING_TIME_RANGE'
  | 'INVALID_TIME_RANGE'
  | 'INVALID_TIME_FORMAT'
  | 'INVALID_HOUR'
  | 'INVALID_MINUTE'
  | 'INVALID_SPLIT_FORMAT'
  | 'INVALID_COUNT'
  | 'MISSING_DEPOT_NAME'
  | 'HIGH_COUNT'
  | 'EXCESSIVE_WORK_HOURS';

export interface ForecastIssueInfo {
  severity: 'FAIL' | 'WARN';
  description: string;
  /** False for the two codes this engine adds beyond CONTRACT.md. */
  contract: boolean;
}

export const FORECAST_ISSUES: Readonly<Record<ForecastIssueCode, ForecastIssueInfo>> = {
  MISSING_DAY: {
    severity: 'FAIL',
    contract: true,
    description: 'The line does not start with a German day.',
  },
  MISSING_TIME_RANGE: { severity: 'FAIL', contract: true, description: 'A day with nothing after it.' },
  INVALID_TIME_RANGE: {
    severity: 'FAIL',
    contract: true,
    description: 'The time range is not `start-end` (or a split part is missing).',
  },
  INVALID_TIME_FORMAT: { severity: 'FAIL', contract: true, description: 'A time is not H:MM or HH:MM.' },
  INVALID_HOUR: { severity: 'FAIL', contract: true, description: 'An hour is greater than 23.' },
  INVALID_MINUTE: { severity: 'FAIL', contract: true, description: 'A minute is greater than 59.' },
  INVALID_SPLIT_FORMAT: {
    severity: 'FAIL',
    contract: true,
    description: 'A split shift has more than one `+`, or its second part does not follow the first.',
  },
  INVALID_COUNT: {
    severity: 'FAIL',
    contract: false,
    description: `The driver count is above ${999}.`,
  },
  MISSING_DEPOT_NAME: { severity: 'FAIL', contract: false, description: '`Depot` without a name after it.' },
  HIGH_COUNT: { severity: 'WARN', contract: true, description: 'More than 10 identical tours on one line.' },
  EXCESSIVE_WORK_HOURS: {
    severity: 'WARN',
    contract: true,
    description: 'More than 16 hours of work in one tour (a split break is not work).',
  },
};

/** Character range within one line, 0-based, end exclusive. */
export interface CharRange {
  start: number;
  end: number;
}

export interface ForecastIssue {
  code: ForecastIssueCode;
  severity: 'FAIL' | 'WARN';
  message: string;
  range: CharRange;
}

/** Minutes from the tour's day 00:00; an end above 1440 lies on the next day. */
export interface Interval {
  start: number;
  end: number;
}

export interface ForecastTour {
  /** 1-based line (or CSV row line, or JSON array index + 1). */
  line: number;
  /** 1 = Monday ... 7 = Sunday. */
  day: number;
  /** Start of the first part, minutes from 00:00 of `day`. */
  start: number;
  /** End of the last part, minutes from 00:00 of `day` (> 1440 when it crosses midnight). */
  end: number;
  /** One part, or two for a split shift. */
  parts: Interval[];
  split: boolean;
  count: number;
  /** Canonical (title-cased) depot name, or null. */
  depot: string | null;
  crossesMidnight: boolean;
  /** Paid time: the parts' lengths, without a split's break. */
  workMinutes: number;
  /** First start to last end. */
  spanMinutes: number;
  /** An id the source gave the tour (JSON form), if any. */
  sourceId?: string;
}

export interface ForecastLine {
  /** 1-based. */
  line: number;
  text: string;
  kind: 'tour' | 'comment' | 'blank' | 'invalid';
  verdict: Verdict;
  issues: ForecastIssue[];
  tour: ForecastTour | null;
  /** Canonical text of the tour (`Mo 06:00-14:00 5 Fahrer Depot Nord`), null unless kind is 'tour'. */
  canonical: string | null;
  /** Free text after the tour that is not part of it (kept out of `canonical` and the hash). */
  notes: string | null;
  /** Tours the line asks for (its count), also when it FAILs; absent on comments and blank lines. */
  count?: number;
}

export interface DuplicateTourLines {
  canonical: string;
  lines: number[];
}

export interface ParsedForecast {
  verdict: Verdict;
  lines: ForecastLine[];
  tours: ForecastTour[];
  /** sha256 hex of the canonical tour lines joined by \n. */
  inputHash: string;
  duplicates: DuplicateTourLines[];
  /** Tours after multiplying counts. */
  tourCount: number;
  counts: { PASS: number; WARN: number; FAIL: number };
}

// ---------------------------------------------------------------- days

/** German abbreviations, Monday first (index + 1 = day number). */
export { DAY_ABBREVIATIONS };
export const DAY_NAMES = [
  'Montag',
  'Dienstag',
  'Mittwoch',
  'Donnerstag',
  'Freitag',
  'Samstag',
  'Sonntag',
] as const;
/** The CSV form's day column. */
export const ENGLISH_DAY_ABBREVIATIONS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;
const ENGLISH_DAY_NAMES = DAY_NAMES_ENGLISH.map((d) => d.toLowerCase());
export const DRIVER_WORDS = ['Fahrer', 'fahrer', 'Driver', 'driver'] as const;
export const MAX_COUNT = 999;
export const HIGH_COUNT_THRESHOLD = 10;
export const EXCESSIVE_WORK_MINUTES = 16 * 60;

const GERMAN_DAYS = new Map<string, number>();
for (let i = 0; i < 7; i++) {
  GERMAN_DAYS.set(DAY_ABBREVIATIONS[i]!.toLowerCase(), i + 1);
  GERMAN_DAYS.set(DAY_NAMES[i]!.toLowerCase(), i + 1);
}

/** Day number 1..7 of a German day word (`Mo`, `montag`; case-insensitive), or null. */
export function dayNumber(word: string): number | null {
  return EXACT_DAYS.get(word) ?? GERMAN_DAYS.get(word.toLowerCase()) ?? null;
}
/** The days as usually written (`Mo`, `Montag`): found without lower-casing. */
const EXACT_DAYS = new Map<string, number>();
for (let i = 0; i < 7; i++) {
  EXACT_DAYS.set(DAY_ABBREVIATIONS[i]!, i + 1);
  EXACT_DAYS.set(DAY_NAMES[i]!, i + 1);
}

function levenshtein(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j]!;
      prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length]!;
}

/**
 * The German abbreviation a wrong day word probably means: English names (`Mon`, `Tuesday`),
 * misspellings (`Montg`, `Dienstga`), a trailing dot (`Mo.`). Undefined when nothing is close.
 */
export function suggestDay(word: string): string | undefined {
  const w = word.trim().toLowerCase().replace(/\.$/, '');
  if (!w || /\d/.test(w)) return undefined;
  const exact = GERMAN_DAYS.get(w);
  if (exact) return DAY_ABBREVIATIONS[exact - 1];
  for (let i = 0; i < 7; i++) {
    const en = ENGLISH_DAY_NAMES[i]!;
    if (w === en || (w.length >= 2 && en.startsWith(w) && !(w === 'th' || w === 's' || w === 't'))) {
      return DAY_ABBREVIATIONS[i];
    }
  }
  if (w.length >= 4) {
    let best: { day: number; dist: number } | undefined;
    for (let i = 0; i < 7; i++) {
      for (const cand of [DAY_NAMES[i]!.toLowerCase(), ENGLISH_DAY_NAMES[i]!]) {
        const dist = levenshtein(w, cand);
        if (dist <= 2 && (!best || dist < best.dist)) best = { day: i + 1, dist };
      }
    }
    if (best) return DAY_ABBREVIATIONS[best.day - 1];
  }
  // German prefixes (`Mitt`, `Donn`).
  if (w.length >= 3) {
    const i = DAY_NAMES.findIndex((n) => n.toLowerCase().startsWith(w));
    if (i >= 0) return DAY_ABBREVIATIONS[i];
  }
  return undefined;
}

// ---------------------------------------------------------------- formatting

export { formatMinutes };

const CLOCK: string[] = [];
for (let m = 0; m < 1440; m++) CLOCK.push(formatMinutes(m));
/** formatMinutes for integer minutes, from a table. */
function clock(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return Number.isInteger(m) ? CLOCK[m]! : formatMinutes(minutes);
}

/** Title-cased depot name (`nord` -> `Nord`, `WIEN-süd` -> `Wien-Süd`), spaces collapsed. */
export function canonicalDepot(name: string): string {
  // Forecasts repeat a handful of depot names: remember them (bounded).
  let hit = DEPOT_CACHE.get(name);
  if (hit === undefined) {
    if (DEPOT_CACHE.size >= 1000) DEPOT_CACHE.clear();
    hit = titleCaseDepot(name);
    DEPOT_CACHE.set(name, hit);
  }
  return hit;
}
const DEPOT_CACHE = new Map<string, string>();

function titleCaseDepot(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((w) =>
      w
        .split('-')
        .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1).toLowerCase() : p))
        .join('-'),
    )
    .join(' ');
}

/** Canonical forecast line of a tour: `Mo 06:00-10:00 + 15:00-19:00 5 Fahrer Depot Nord`. */
export function canonicalTourLine(tour: Pick<ForecastTour, 'day' | 'parts' | 'count' | 'depot'>): string {
  // A plain loop (this runs once per forecast line; map/join showed up in profiles).
  let s = `${DAY_ABBREVIATIONS[tour.day - 1]} `;
  for (let k = 0; k < tour.parts.length; k++) {
    const p = tour.parts[k]!;
    if (k > 0) s += ' + ';
    s += `${clock(p.start)}-${clock(p.end)}`;
  }
  if (tour.count !== 1) s += ` ${tour.count} Fahrer`;
  if (tour.depot) s += ` Depot ${tour.depot}`;
  return s;
}

// ---------------------------------------------------------------- line parser

interface Group {
  text: string;
  start: number;
  end: number;
}

const isOp = (c: string | undefined) => c === '-' || c === '+' || c === '\u2013';

/** Whitespace tokens; tokens joined by `-`/`+` (with or without spaces around) form one group. */
function groups(text: string, from = 0): Group[] {
  // One pass over the characters (no regex, no token objects): whitespace as `\s` sees it.
  const out: Group[] = [];
  const n = text.length;
  let k = from;
  while (k < n) {
    while (k < n && isSpace(text.charCodeAt(k))) k++;
    if (k >= n) break;
    const start = k;
    while (k < n && !isSpace(text.charCodeAt(k))) k++;
    const last = out[out.length - 1];
    if (
      last &&
      text.charCodeAt(last.start) !== 35 /* # */ &&
      (isOp(text[last.end - 1]) || isOp(text[start]))
    ) {
      last.end = k;
      last.text = text.slice(last.start, k);
    } else out.push({ text: text.slice(start, k), start, end: k });
  }
  return out;
}

/** True for the characters `\s` matches. */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

type IssueSink = (code: ForecastIssueCode, message: string, start: number, end: number) => void;

/** Parses `H:MM`/`HH:MM` at [start,end) of the line; reports and returns null when invalid. */
function parseTime(line: string, start: number, end: number, issue: IssueSink): number | null {
  // Trim the piece to its non-space content so the range points at it.
  while (start < end && isSpace(line.charCodeAt(start))) start++;
  while (end > start && isSpace(line.charCodeAt(end - 1))) end--;
  if (start === end) {
    // The range splits into two parts, one of them empty (`06:00-`, `-14:00`): a format error.
    issue('INVALID_TIME_FORMAT', 'A time is missing in the range; write it as HH:MM-HH:MM.', start, end);
    return null;
  }
  // `^(\d+):(\d+)$` by hand: digits, one colon, digits.
  let colon = -1;
  let digits = true;
  for (let k = start; k < end; k++) {
    const c = line.charCodeAt(k);
    if (c === 58 && colon < 0) colon = k;
    else if (c < 48 || c > 57) {
      digits = false;
      break;
    }
  }
  const hourLen = colon - start;
  if (!digits || colon < 0 || hourLen < 1 || hourLen > 2 || end - colon - 1 !== 2) {
    const raw = line.slice(start, end);
    issue('INVALID_TIME_FORMAT', `"${raw}" is not a time; write H:MM or HH:MM (e.g. 06:00).`, start, end);
    return null;
  }
  const m = [line.slice(start, end), line.slice(start, colon), line.slice(colon + 1, end)] as const;
  const h = Number(m[1]);
  const min = Number(m[2]);
  let ok = true;
  if (h > 23) {
    issue(
      'INVALID_HOUR',
      `Hour ${h} is not valid; hours go from 0 to 23 (midnight is 00:00).`,
      start,
      start + m[1]!.length,
    );
    ok = false;
  }
  if (min > 59) {
    const ms = start + m[1]!.length + 1;
    issue('INVALID_MINUTE', `Minute ${m[2]} is not valid; minutes go from 00 to 59.`, ms, ms + 2);
    ok = false;
  }
  return ok ? h * 60 + min : null;
}

/** One `start-end` part at [start,end): returns [start, end] minutes (end not yet unwrapped) or null. */
function parseRange(line: string, start: number, end: number, issue: IssueSink): [number, number] | null {
  const seg = line.slice(start, end);
  const dashes: number[] = [];
  for (let i = 0; i < seg.length; i++) if (seg[i] === '-' || seg[i] === '\u2013') dashes.push(start + i);
  if (dashes.length !== 1) {
    const what = seg.trim() || '(nothing)';
    issue(
      'INVALID_TIME_RANGE',
      dashes.length === 0
        ? `"${what}" is not a time range; write start-end, e.g. 06:00-14:00.`
        : `"${what}" has ${dashes.length} dashes; a time range is exactly start-end, e.g. 06:00-14:00.`,
      start,
      end,
    );
    return null;
  }
  const a = parseTime(line, start, dashes[0]!, issue);
  const b = parseTime(line, dashes[0]! + 1, end, issue);
  if (a === null || b === null) return null;
  return [a, b];
}

/** Keeps a diagnostic inside the line (an empty range at the end marks "missing here"). */
function clampRange(start: number, end: number, length: number): CharRange {
  const s = Math.min(Math.max(0, start), length);
  return { start: s, end: Math.min(Math.max(s, end), length) };
}

interface LineParse {
  kind: ForecastLine['kind'];
  issues: ForecastIssue[];
  /** `line` is 0 until parseForecastLine sets it. */
  tour: ForecastTour | null;
  notes: string | null;
  count?: number;
}

function parseLineText(line: string): LineParse {
  const issues: ForecastIssue[] = [];
  const issue: IssueSink = (code, message, start, end) => {
    issues.push({
      code,
      severity: FORECAST_ISSUES[code].severity,
      message,
      range: clampRange(start, end, line.length),
    });
  };
  const trimmed = line.trim();
  if (!trimmed) return { kind: 'blank', issues, tour: null, notes: null };
  if (trimmed.startsWith('#')) return { kind: 'comment', issues, tour: null, notes: null };

  // The day is the first word: a line whose first word is a valid day is never MISSING_DAY, whatever
  // follows (`Fr -14:00` must not be read as the one group "Fr -14:00").
  let ws = 0;
  while (isSpace(line.charCodeAt(ws))) ws++;
  let we = ws;
  while (we < line.length && !isSpace(line.charCodeAt(we))) we++;
  const firstWord = line.slice(ws, we);
  let gs =
    dayNumber(firstWord) !== null
      ? [{ text: firstWord, start: ws, end: we }, ...groups(line, we)]
      : groups(line);
  const hash = gs.findIndex((g) => g.text.startsWith('#'));
  if (hash >= 0) gs = gs.slice(0, hash);

  let i = 0;
  let day: number | null = null;
  const first = gs[0]!;
  day = dayNumber(first.text);
  if (day === null) {
    const timeLike = /^[\d:]/.test(first.text);
    if (timeLike) {
      issue(
        'MISSING_DAY',
        'The line does not start with a day; begin it with Mo, Di, Mi, Do, Fr, Sa or So.',
        first.start,
        first.start,
      );
    } else {
      const s = suggestDay(first.text);
      issue(
        'MISSING_DAY',
        `"${first.text}" is not a day; use Mo Di Mi Do Fr Sa So or Montag ... Sonntag${s ? ` (did you mean "${s}"?)` : ''}.`,
        first.start,
        first.end,
      );
      i = 1;
    }
  } else i = 1;

  const timeGroup = gs[i];
  if (!timeGroup) {
    if (day !== null) {
      issue(
        'MISSING_TIME_RANGE',
        `A time range is missing after "${first.text}"; e.g. ${first.text} 06:00-14:00.`,
        first.start,
        first.end,
      );
    }
    return { kind: 'invalid', issues, tour: null, notes: null };
  }
  i++;

  let parts: [number, number][] | null = null;
  const noDash = !/[-\u2013]/.test(timeGroup.text);
  if (noDash && (!/[\d:]/.test(timeGroup.text) || /^(depot|fahrer|driver)$/i.test(timeGroup.text))) {
    issue(
      'INVALID_TIME_RANGE',
      `Expected a time range after the day, found "${timeGroup.text}"; e.g. 06:00-14:00.`,
      timeGroup.start,
      timeGroup.end,
    );
  } else {
    const pluses: number[] = [];
    for (let k = timeGroup.start; k < timeGroup.end; k++) if (line[k] === '+') pluses.push(k);
    if (pluses.length >= 2) {
      issue(
        'INVALID_SPLIT_FORMAT',
        `A split shift has exactly one "+" (two parts); found ${pluses.length}.`,
        pluses[1]!,
        pluses[pluses.length - 1]! + 1,
      );
    } else {
      const bounds =
        pluses.length === 1
          ? [
              [timeGroup.start, pluses[0]!],
              [pluses[0]! + 1, timeGroup.end],
            ]
          : [[timeGroup.start, timeGroup.end]];
      const got: [number, number][] = [];
      let ok = true;
      for (const [s, e] of bounds) {
        if (!line.slice(s!, e!).trim()) {
          issue(
            'INVALID_TIME_RANGE',
            'A split part is missing; write e.g. 06:00-10:00 + 15:00-19:00.',
            s!,
            Math.max(e!, s! + 1),
          );
          ok = false;
          continue;
        }
        const r = parseRange(line, s!, e!, issue);
        if (r) got.push(r);
        else ok = false;
      }
      if (ok) parts = got;
    }
  }

  // Count, driver word, depot; anything else is a note.
  let count = 1;
  let depot: string | null = null;
  let notes: string | null = null;
  let countSeen = false;
  while (i < gs.length) {
    const g = gs[i]!;
    const m = /^(\d+)(fahrer|driver)?$/i.exec(g.text);
    if (m && !countSeen) {
      countSeen = true;
      count = Number(m[1]);
      // A count of 0 is allowed (zero tours; the line stays in the file).
      if (!Number.isSafeInteger(count) || count > MAX_COUNT) {
        issue('INVALID_COUNT', `Driver count ${m[1]} is not valid; use 0 to ${MAX_COUNT}.`, g.start, g.end);
      } else if (count > HIGH_COUNT_THRESHOLD) {
        issue(
          'HIGH_COUNT',
          `${count} identical tours on one line (more than ${HIGH_COUNT_THRESHOLD}); check the count.`,
          g.start,
          g.end,
        );
      }
      i++;
      if (!m[2] && gs[i] && /^(fahrer|driver)$/i.test(gs[i]!.text)) i++;
      continue;
    }
    if (/^(fahrer|driver)$/i.test(g.text)) {
      i++;
      continue;
    }
    if (/^depot$/i.test(g.text)) {
      const name: string[] = [];
      i++;
      while (
        i < gs.length &&
        !/^\d+((fahrer|driver))?$/i.test(gs[i]!.text) &&
        !/^(fahrer|driver)$/i.test(gs[i]!.text)
      ) {
        name.push(gs[i]!.text);
        i++;
      }
      if (name.length === 0)
        issue('MISSING_DEPOT_NAME', 'Name the depot after "Depot", e.g. Depot Nord.', g.start, g.end);
      else depot = canonicalDepot(name.join(' '));
      continue;
    }
    notes = line.slice(g.start, gs[gs.length - 1]!.end);
    break;
  }

  let tour: LineParse['tour'] = null;
  if (parts && day !== null && !issues.some((x) => x.severity === 'FAIL')) {
    tour = buildTour(day, parts, count, depot, (code, message) =>
      issue(code, message, timeGroup.start, timeGroup.end),
    );
  } else if (parts && day === null) {
    // Still validate the times so every problem shows at once.
    buildTour(1, parts, count, depot, (code, message) =>
      issue(code, message, timeGroup.start, timeGroup.end),
    );
  }
  return {
    kind: tour ? 'tour' : 'invalid',
    issues,
    tour,
    notes,
    count: Number.isSafeInteger(count) && count <= MAX_COUNT ? count : 1,
  };
}

/** Unwraps midnight and checks the split; reports through `issue`; null when the parts are invalid. */
function buildTour(
  day: number,
  raw: [number, number][],
  count: number,
  depot: string | null,
  issue: (code: ForecastIssueCode, message: string) => void,
): ForecastTour | null {
  const parts: Interval[] = [];
  for (const [s, e] of raw) {
    if (s === e) {
      issue('INVALID_TIME_RANGE', `Start and end are both ${formatMinutes(s)}; a tour needs a length.`);
      return null;
    }
  }
  const [s1, e1raw] = raw[0]!;
  const e1 = e1raw < s1 ? e1raw + 1440 : e1raw;
  parts.push({ start: s1, end: e1 });
  if (raw.length === 2) {
    const [s2raw, e2raw] = raw[1]!;
    let s2 = s2raw;
    while (s2 < e1) s2 += 1440;
    const e2 = e2raw < s2raw ? s2 + (e2raw + 1440 - s2raw) : s2 + (e2raw - s2raw);
    if (s2 === e1) {
      issue(
        'INVALID_SPLIT_FORMAT',
        'The second part starts when the first ends; a split shift needs a break.',
      );
      return null;
    }
    if (e2 - s1 > 1440) {
      issue(
        'INVALID_SPLIT_FORMAT',
        'The split shift spans more than 24 hours; the second part must follow the first.',
      );
      return null;
    }
    parts.push({ start: s2, end: e2 });
  }
  const workMinutes = parts.reduce((a, p) => a + p.end - p.start, 0);
  const end = parts[parts.length - 1]!.end;
  if (workMinutes > EXCESSIVE_WORK_MINUTES) {
    issue(
      'EXCESSIVE_WORK_HOURS',
      `${(workMinutes / 60).toFixed(1)} h of work in one tour (more than 16 h); check the times.`,
    );
  }
  return {
    day,
    start: s1,
    end,
    parts,
    split: parts.length === 2,
    count,
    depot,
    crossesMidnight: end > 1440,
    workMinutes,
    spanMinutes: end - s1,
    line: 0,
  };
}

function worst(a: Verdict, b: Verdict): Verdict {
  if (a === 'FAIL' || b === 'FAIL') return 'FAIL';
  if (a === 'WARN' || b === 'WARN') return 'WARN';
  return 'PASS';
}

function lineVerdict(issues: ForecastIssue[]): Verdict {
  return issues.reduce<Verdict>((v, x) => worst(v, x.severity), 'PASS');
}

/** Parses one line (1-based `lineNumber`). Never throws. */
export function parseForecastLine(text: string, lineNumber = 1): ForecastLine {
  text = typeof text === 'string' ? text : String(text ?? '');
  if (text.charCodeAt(text.length - 1) === 13) text = text.slice(0, -1);
  let p: LineParse;
  try {
    p = parseLineText(text);
  } catch (err) {
    // A bug here must not take the editor or a run down; report it on the line instead.
    p = {
      kind: 'invalid',
      tour: null,
      notes: null,
      issues: [
        {
          code: 'INVALID_TIME_RANGE',
          severity: 'FAIL',
          message: `The line could not be read (${(err as Error)?.message ?? err}).`,
          range: { start: 0, end: text.length },
        },
      ],
    };
  }
  const tour = p.tour;
  if (tour) tour.line = lineNumber;
  const line: ForecastLine = {
    line: lineNumber,
    text,
    kind: p.kind,
    verdict: lineVerdict(p.issues),
    issues: p.issues,
    tour,
    canonical: tour ? canonicalTourLine(tour) : null,
    notes: p.notes,
  };
  if (p.count !== undefined) line.count = p.count;
  return line;
}

/** sha256 hex of canonical tour lines joined by \n. */
export function forecastInputHash(canonicalLines: readonly string[]): string {
  return createHash('sha256').update(canonicalLines.join('\n')).digest('hex');
}

function summarize(lines: ForecastLine[]): ParsedForecast {
  const tours: ForecastTour[] = [];
  const canon: string[] = [];
  const byCanon = new Map<string, number[]>();
  const counts = { PASS: 0, WARN: 0, FAIL: 0 };
  let verdict: Verdict = 'PASS';
  for (const l of lines) {
    verdict = worst(verdict, l.verdict);
    if (l.kind === 'tour' || l.kind === 'invalid') counts[l.verdict]++;
    if (l.tour && l.canonical) {
      tours.push(l.tour);
      canon.push(l.canonical);
      const seen = byCanon.get(l.canonical);
      if (seen) seen.push(l.line);
      else byCanon.set(l.canonical, [l.line]);
    }
  }
  const duplicates = [...byCanon]
    .filter(([, ls]) => ls.length > 1)
    .map(([canonical, ls]) => ({ canonical, lines: ls }));
  return {
    verdict,
    lines,
    tours,
    inputHash: forecastInputHash(canon),
    duplicates,
    tourCount: tours.reduce((a, t) => a + t.count, 0),
    counts,
  };
}

/** Parses a whole forecast text. Never throws; a non-string input is read as its string form. */
export function parseForecast(text: string): ParsedForecast {
  const src = typeof text === 'string' ? text : String(text ?? '');
  const raw = src.split('\n');
  const lines: ForecastLine[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) lines[i] = parseForecastLine(raw[i]!, i + 1);
  return summarize(lines);
}

// ---------------------------------------------------------------- CSV and JSON forms

const ENGLISH_DAYS = new Map<string, number>();
for (let i = 0; i < 7; i++) {
  ENGLISH_DAYS.set(ENGLISH_DAY_ABBREVIATIONS[i]!.toLowerCase(), i + 1);
  ENGLISH_DAYS.set(ENGLISH_DAY_NAMES[i]!, i + 1);
}

function dayOfAnyLanguage(word: string): number | null {
  const w = word.trim().toLowerCase();
  return ENGLISH_DAYS.get(w) ?? GERMAN_DAYS.get(w) ?? (/^[1-7]$/.test(w) ? Number(w) : null);
}

/** Re-reads a synthesized forecast line and moves its issues onto the whole source row. */
function fromSynthetic(
  lineNumber: number,
  sourceText: string,
  synthetic: string,
  extra?: Partial<ForecastTour>,
): ForecastLine {
  const parsed = parseForecastLine(synthetic, lineNumber);
  const whole = { start: 0, end: sourceText.length };
  const tour = parsed.tour ? { ...parsed.tour, ...extra } : null;
  return {
    ...parsed,
    text: sourceText,
    tour,
    issues: parsed.issues.map((x) => ({ ...x, range: whole })),
  };
}

/**
 * The CSV form (`day,start_time,end_time,location,qualifications`, English day abbreviations;
 * German ones are read too). `location` becomes the depot. Never throws.
 */
export function parseForecastCsv(text: string): ParsedForecast {
  const src = typeof text === 'string' ? text : String(text ?? '');
  const rows = src.split('\n');
  const lines: ForecastLine[] = [];
  let header: string[] | null = null;
  for (const [idx, raw] of rows.entries()) {
    const row = raw.replace(/\r$/, '');
    const n = idx + 1;
    const blank = (kind: 'blank' | 'comment'): ForecastLine => ({
      line: n,
      text: row,
      kind,
      verdict: 'PASS',
      issues: [],
      tour: null,
      canonical: null,
      notes: null,
    });
    if (!row.trim()) {
      lines.push(blank('blank'));
      continue;
    }
    if (row.trim().startsWith('#')) {
      lines.push(blank('comment'));
      continue;
    }
    const cells = row.split(',').map((c) => c.trim());
    if (!header && cells[0]?.toLowerCase() === 'day') {
      header = cells.map((c) => c.toLowerCase());
      lines.push(blank('comment'));
      continue;
    }
    const col = (name: string, fallback: number) => {
      const k = header ? header.indexOf(name) : -1;
      return cells[k >= 0 ? k : fallback] ?? '';
    };
    const day = dayOfAnyLanguage(col('day', 0));
    const dayWord = day ? DAY_ABBREVIATIONS[day - 1] : col('day', 0) || '?';
    const location = col('location', 3);
    const synthetic = `${dayWord} ${col('start_time', 1)}-${col('end_time', 2)}${location ? ` Depot ${location}` : ''}`;
    lines.push(fromSynthetic(n, row, synthetic));
  }
  return summarize(lines);
}

/** A tour of the JSON form (`gurkerl_small/input.json`). */
export interface JsonTour {
  id?: string | number;
  day: number | string;
  start: string;
  end: string;
  /** Second part of a split shift. */
  split_start?: string;
  split_end?: string;
  count?: number;
  depot?: string;
}

/**
 * The JSON tours form `{tours:[{id, day, start, end, ...}], config?}` (object or text). Each array
 * entry is reported as "line" index + 1. Never throws.
 */
export function parseForecastJson(
  input: unknown,
): ParsedForecast & { config: Record<string, unknown> | null } {
  let data: unknown = input;
  if (typeof input === 'string') {
    try {
      data = JSON.parse(input);
    } catch (err) {
      const failed = summarize([
        {
          line: 1,
          text: input.slice(0, 200),
          kind: 'invalid',
          verdict: 'FAIL',
          issues: [
            {
              code: 'MISSING_DAY',
              severity: 'FAIL',
              message: `Not valid JSON (${(err as Error).message}); expected {"tours":[{"day":1,"start":"06:00","end":"14:00"}]}.`,
              range: { start: 0, end: Math.min(input.length, 200) },
            },
          ],
          tour: null,
          canonical: null,
          notes: null,
        },
      ]);
      return { ...failed, config: null };
    }
  }
  const obj = (data && typeof data === 'object' ? data : {}) as { tours?: unknown; config?: unknown };
  const list = Array.isArray(obj.tours) ? obj.tours : Array.isArray(data) ? (data as unknown[]) : [];
  const lines = list.map((t, i) => {
    const tour = (t && typeof t === 'object' ? t : {}) as Partial<JsonTour>;
    const text = JSON.stringify(t) ?? '';
    const day = tour.day === undefined ? null : dayOfAnyLanguage(String(tour.day));
    const dayWord = day ? DAY_ABBREVIATIONS[day - 1] : String(tour.day ?? '?');
    let range = `${tour.start ?? ''}-${tour.end ?? ''}`;
    if (tour.split_start !== undefined || tour.split_end !== undefined) {
      range += ` + ${tour.split_start ?? ''}-${tour.split_end ?? ''}`;
    }
    const count = tour.count !== undefined ? ` ${tour.count} Fahrer` : '';
    const depot = tour.depot ? ` Depot ${tour.depot}` : '';
    return fromSynthetic(
      i + 1,
      text,
      `${dayWord} ${range}${count}${depot}`,
      tour.id !== undefined ? { sourceId: String(tour.id) } : undefined,
    );
  });
  const config =
    obj.config && typeof obj.config === 'object' ? (obj.config as Record<string, unknown>) : null;
  return { ...summarize(lines), config };
}

/** True when the text is the CSV form: its first row that is not blank or a comment is a CSV header. */
export function isForecastCsv(text: string): boolean {
  const src = typeof text === 'string' ? text : String(text ?? '');
  for (const raw of src.split('\n', 50)) {
    const row = raw.trim();
    if (!row || row.startsWith('#')) continue;
    return /^day\s*,/i.test(row);
  }
  return false;
}

/**
 * The one entry for forecast input the CLI, the sandbox and the language server share: the CSV form
 * when the text starts with its header, else the forecast text. Never throws.
 */
export function parseForecastInput(text: string): ParsedForecast & { format: 'text' | 'csv' } {
  return isForecastCsv(text)
    ? { ...parseForecastCsv(text), format: 'csv' }
    : { ...parseForecast(text), format: 'text' };
}

/** The week a forecast declares in a `# Week: 2026-W03` comment (the template's header), if any. */
export function declaredWeek(lines: readonly Pick<ForecastLine, 'kind' | 'text'>[]): string | null {
  for (const l of lines) {
    if (l.kind !== 'comment') continue;
    const m = /^\s*#\s*Week:\s*(\d{4}-W(?:0[1-9]|[1-4]\d|5[0-3]))\b/i.exec(l.text);
    if (m && isIsoWeek(m[1]!.toUpperCase())) return m[1]!.toUpperCase();
  }
  return null;
}
