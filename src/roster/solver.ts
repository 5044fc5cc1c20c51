// Deterministic roster solver: tours of one week -> drivers. Greedy chronological construction
// (each tour goes to the driver that wastes least, else a new driver), then local search that
// empties drivers by moving (and swapping) their tours into others, then balances hours so as many
// drivers as possible are full-time. Same tours + seed -> same assignments -> same output_hash.
// Search budgets are counted in rule checks, not milliseconds, so results never depend on the clock
// (only an explicit `timeLimitMs` that is hit can cut the search short: ERR_SOLVE_001).
import { configHash, outputHash } from './hash';
import { DEFAULT_RULES, infeasibleAlone, isSplitDay, type RosterRules, toursConflict } from './rules';
import type { TourInstance } from './week';
import { MinHeap } from './heap';
import { peakOf, SpanPeaks } from './spans';
import { ContainedIndex, type Keyed, type TimeWindow, WindowIndex } from './windows';
import { seededRandom } from '../shared/random';

export const DEFAULT_SEED = 94;
/** Keys the sandbox's seed cache: bump it whenever the same input may solve differently. */
export const SOLVER_VERSION = 'greedy-ls/4';

export interface SolveOptions {
  /** Tie-breaking seed; default 94. */
  seed?: number;
  /** Wall-clock limit; when hit, the best plan so far comes back with ERR_SOLVE_001. */
  timeLimitMs?: number;
  rules?: Partial<RosterRules>;
  /** Local-search budget in rule checks (deterministic); default scales with the input. */
  searchBudget?: number;
  /**
   * Fire-drill switch for the sandbox: tie-breaking uses Math.random, so a re-solve gives another
   * output_hash and the Reproducibility audit fails. Never set it for real runs.
   */
  nondeterministic?: boolean;
  /**
   * 'distinct' (default): every tour instance is its own tour. 'legacy-merge' imitates an importer
   * that takes a repeated forecast line for the same tour and gives its copies to the driver of the
   * first line: the plan then has overlaps (the runbook's "Overlap FAIL -> check duplicates").
   */
  duplicatePolicy?: 'distinct' | 'legacy-merge';
  /**
   * How the first plan finds each tour's driver: 'indexed' (default) asks the candidate index,
   * 'full' tries every driver. Both choose the same driver; 'full' exists so tests can prove it.
   */
  constructionScan?: 'indexed' | 'full';
  /**
   * How the search finds the drivers a move may use: 'indexed' (default) asks the drivers' free
   * windows, 'full' tries every driver. Both make the same moves; 'full' exists so tests can prove it.
   */
  searchScan?: 'indexed' | 'full';
}

export interface SolverConfig {
  solver: string;
  seed: number;
  rules: RosterRules;
  search_budget: number | null;
  duplicate_policy: 'distinct' | 'legacy-merge';
  nondeterministic: boolean;
}

export interface Assignment {
  driver_id: string;
  tour_id: string;
  /** 1..7, the tour's start day. */
  day: number;
}

export interface DriverPlan {
  driver_id: string;
  tour_ids: string[];
  work_minutes: number;
  days_worked: number;
  full_time: boolean;
}

export interface UncoveredTour {
  tour_id: string;
  line: number;
  day: number;
  reason: string;
}

export interface LowerBound {
  value: number;
  /** Most tours working at one moment (split breaks not counted). */
  peak_concurrent_tours: number;
  /** Most tours occupying one moment, each extended by the minimum pause (split breaks counted). */
  peak_with_pause: number;
  /** Rest-aware peak: the pause-extended peak plus the drivers the 11 h rest keeps away. */
  peak_with_rest: number;
  weekly_hours: number;
  daily_tours: number;
}

export type SolveErrorCode = 'ERR_SOLVE_001' | 'ERR_SOLVE_002';

export interface SolveResult {
  status: 'OK' | 'ERROR';
  error_code: SolveErrorCode | null;
  error_message: string | null;
  assignments: Assignment[];
  drivers: DriverPlan[];
  uncovered: UncoveredTour[];
  headcount: number;
  lower_bound: LowerBound;
  config: SolverConfig;
  config_hash: string;
  output_hash: string;
  runtime_ms: number;
  /** Rule checks spent (construction + search). */
  checks: number;
  timed_out: boolean;
}

export { seededRandom };

/** How many of the sorted values are at most x, for ascending x: a cursor that only moves on. */
function countUpTo(sorted: Float64Array): (x: number) => number {
  let k = 0;
  return (x) => {
    while (k < sorted.length && sorted[k]! <= x) k++;
    return k;
  };
}

/**
 * Lower bound on drivers, the max of:
 * - peak concurrency of the tours' work parts;
 * - pause-aware peak: each tour occupies first start to last end (a split's break is reserved)
 *   plus the minimum pause after it; one driver's occupied intervals never intersect;
 * - total work / weekly maximum; busiest day / tours per day;
 * - rest-aware peak: at any moment t, the tours occupying t need their own drivers, and so do the
 *   previous day's tours ending less than the minimum rest before t (or the next day's starting
 *   less than the rest after t): none of those drivers can be working at t.
 * O(n log n): each day's moments are swept in order with cursors and two SpanPeaks trees.
 */
export function lowerBound(tours: readonly TourInstance[], rules: RosterRules = DEFAULT_RULES): LowerBound {
  let work = 0;
  const perDay = new Map<number, number>();
  for (const t of tours) {
    work += t.workMinutes;
    perDay.set(t.day, (perDay.get(t.day) ?? 0) + 1);
  }
  const pause = rules.minPauseMinutes;
  const rest = rules.minRestMinutes;
  const occupied = (t: TourInstance) => ({ start: t.start, end: t.end + pause });
  const peak = peakOf(tours.flatMap((t) => t.parts));
  const pausePeak = peakOf(tours.map(occupied));
  const weekly = Math.ceil(work / rules.maxWeeklyMinutes);
  let daily = 0;
  for (const n of perDay.values()) daily = Math.max(daily, Math.ceil(n / rules.maxToursPerDay));

  const byDay = new Map<number, TourInstance[]>();
  for (const t of tours) {
    const list = byDay.get(t.day);
    if (list) list.push(t);
    else byDay.set(t.day, [t]);
  }
  const dayList = (d: number) => byDay.get(d) ?? [];
  const sortedOf = (list: readonly TourInstance[], f: (t: TourInstance) => number) => {
    const values = new Float64Array(list.length);
    for (let i = 0; i < list.length; i++) values[i] = f(list[i]!);
    return values.sort();
  };
  // The week's moments (tour starts), ascending, by the day they fall on.
  const momentsByDay = new Map<number, number[]>();
  for (const m of [...new Set(tours.map((t) => t.start))].sort((a, b) => a - b)) {
    const day = Math.floor(m / 1440) + 1;
    const list = momentsByDay.get(day);
    if (list) list.push(m);
    else momentsByDay.set(day, [m]);
  }
  let restPeak = 0;
  for (const [day, moments] of momentsByDay) {
    const todays = dayList(day);
    const yesterdays = dayList(day - 1);
    const tomorrows = dayList(day + 1);
    // Today's tours occupying m (pause included): a driver of the day before who ends less than the
    // rest before m cannot hold any of them (each started by m). Tours running at m (no pause: the
    // next day's start is measured from the tour's real end). Counted as "started by m" minus
    // "over by m" (a tour is over by m only if it started by m).
    const todayStarted = countUpTo(sortedOf(todays, (t) => t.start));
    const todayFreed = countUpTo(sortedOf(todays, (t) => t.end + pause));
    const todayEnded = countUpTo(sortedOf(todays, (t) => t.end));
    const yesterdayStarted = countUpTo(sortedOf(yesterdays, (t) => t.start));
    const yesterdayEnded = countUpTo(sortedOf(yesterdays, (t) => t.end));
    const running = new Int32Array(moments.length);
    const occupying = new Int32Array(moments.length);
    for (let i = 0; i < moments.length; i++) {
      const m = moments[i]!;
      const started = todayStarted(m);
      occupying[i] = started - todayFreed(m);
      running[i] = started - todayEnded(m) + yesterdayStarted(m) - yesterdayEnded(m);
    }
    // The day before's tours ending after m - rest: more of them as m goes back in time.
    const before = new SpanPeaks(yesterdays.map(occupied));
    const byEndDesc = yesterdays.slice().sort((a, b) => b.end - a.end);
    for (let i = moments.length - 1, k = 0; i >= 0; i--) {
      for (; k < byEndDesc.length && byEndDesc[k]!.end > moments[i]! - rest; k++)
        before.add(byEndDesc[k]!.start, byEndDesc[k]!.end + pause);
      const v = occupying[i]! + before.peak;
      if (v > restPeak) restPeak = v;
    }
    // The next day's tours starting before m + rest: more of them as m goes on.
    const after = new SpanPeaks(tomorrows.map(occupied));
    const byStart = tomorrows.slice().sort((a, b) => a.start - b.start);
    for (let i = 0, k = 0; i < moments.length; i++) {
      for (; k < byStart.length && byStart[k]!.start < moments[i]! + rest; k++)
        after.add(byStart[k]!.start, byStart[k]!.end + pause);
      const v = running[i]! + after.peak;
      if (v > restPeak) restPeak = v;
    }
  }
  return {
    value: Math.max(peak, pausePeak, weekly, daily, restPeak),
    peak_concurrent_tours: peak,
    peak_with_pause: pausePeak,
    peak_with_rest: restPeak,
    weekly_hours: weekly,
    daily_tours: daily,
  };
}

class TimeUp extends Error {}
/** Construction cost weights (see the greedy below). */
const SPAN_WEIGHT = 0.5;
const NEW_DAY_COST = 300;
/** Width of the construction index's buckets of days by first start. */
const FIRST_START_BUCKET_MINUTES = 15;
/** Width of the search's bins of free windows by start. */
const WINDOW_BIN_MINUTES = 60;
/** Width of the hours balancing's bins of offered tours by start, and refusals read per window. */
const OFFERED_BIN_MINUTES = 30;
const OFFERS_REFUSED = 16;
/**
 * Bounds of the search's neighbourhoods, so that a move costs the same however many drivers there
 * are: the drivers a chain or swap may involve (see restNeighbours), the swaps tried for a tour no
 * driver takes (a driver that can take it for one of its own) and the chains tried for a day no
 * free driver takes (a driver that can take it for its own day).
 */
const NEIGHBOURS = 32;
const SWAPS_TRIED = 16;
const CHAINS_TRIED = 8;

/** One driver's week: per day (1..7) its tour indices sorted by start. */
interface Driver {
  /** Creation order: the order a scan of every driver meets them in. */
  id: number;
  days: number[][];
  work: number;
  alive: boolean;
  /** Construction tie-break in [0, 1), drawn once when the driver is created. */
  tie: number;
  /** Construction: the day of the driver's latest tour, and a counter bumped on every tour taken. */
  lastDay: number;
  version: number;
}

/** First start, last end and number of tours of a valid working day. */
interface DayShape {
  first: number;
  last: number;
  count: number;
}

/**
 * A free window of driver d on one day, in the search's index of its kind: 0 a free day (rest to
 * rest), 1 a worked day (rest to rest), 2 a gap a pause from its tours.
 */
interface FreeWindow extends TimeWindow, Keyed {
  kind: number;
  d: Driver;
}

/** A driver's state as the candidate index saw it; stale once the driver's version moves on. */
interface IndexEntry {
  d: Driver;
  version: number;
  first: number;
  end: number;
  /** The day already counts as split (a split tour or a long break), so its span may reach 16 h. */
  split: boolean;
  /** The last tour that evaluated this entry (an entry sits in several heaps of the "continue" pool). */
  askedBy: number;
}

/**
 * The drivers that may continue their day whose day began in one window of first starts.
 * `regular` orders them by the bound on the cost of a tour that keeps the regular span; `split` (days
 * that are split or whose break has grown to a split break) and `any` order them by the cost of a
 * tour beyond the regular span, which only a split day may take.
 */
interface FirstStartBucket {
  regular: MinHeap<IndexEntry>;
  split: MinHeap<IndexEntry>;
  any: MinHeap<IndexEntry>;
}

/** Solves one week. Never throws for bad tours (they come back in `uncovered`). */
export function solve(tours: readonly TourInstance[], options: SolveOptions = {}): SolveResult {
  const started = performance.now();
  const rules: RosterRules = { ...DEFAULT_RULES, ...options.rules };
  const seed = options.seed ?? DEFAULT_SEED;
  const policy = options.duplicatePolicy ?? 'distinct';
  const n = tours.length;
  const budget = options.searchBudget ?? Math.max(2_000_000, n * 4000);
  const config: SolverConfig = {
    solver: SOLVER_VERSION,
    seed,
    rules,
    search_budget: options.searchBudget ?? null,
    duplicate_policy: policy,
    nondeterministic: !!options.nondeterministic,
  };
  const rand = options.nondeterministic ? Math.random : seededRandom(seed);
  const deadline =
    options.timeLimitMs !== undefined ? started + options.timeLimitMs : Number.POSITIVE_INFINITY;
  let checks = 0;
  let timedOut = false;
  const checkClock = () => {
    if (performance.now() > deadline) {
      timedOut = true;
      throw new TimeUp();
    }
  };

  // Tours that no driver could ever take, and (legacy-merge) copies that follow their first line.
  const uncovered: UncoveredTour[] = [];
  const solvable: number[] = [];
  const followers = new Map<number, number>(); // follower index -> leader index
  const firstLineOf = new Map<string, number>();
  const leaderOf = new Map<string, number>(); // `${line}#${copy}` of the first line -> index
  tours.forEach((t, i) => {
    const why = infeasibleAlone(t, rules);
    if (why) {
      uncovered.push({ tour_id: t.id, line: t.line, day: t.day, reason: why });
      return;
    }
    if (policy === 'legacy-merge') {
      const key = `${t.canonical}`;
      const first = firstLineOf.get(key);
      if (first === undefined) firstLineOf.set(key, t.line);
      if (first !== undefined && first !== t.line) {
        const leader = leaderOf.get(`${first}#${t.copy}`);
        if (leader !== undefined) {
          followers.set(i, leader);
          return;
        }
      }
      leaderOf.set(`${t.line}#${t.copy}`, i);
    }
    solvable.push(i);
  });

  const drivers: Driver[] = [];
  const newDriver = (): Driver => {
    const d: Driver = {
      id: drivers.length,
      days: [[], [], [], [], [], [], [], [], []],
      work: 0,
      alive: true,
      tie: rand(),
      lastDay: 0,
      version: 0,
    };
    drivers.push(d);
    return d;
  };

  const T = tours;
  /** Each tour's driver (the hours balancing finds donors through their tours). */
  const owner: (Driver | undefined)[] = new Array(n);
  /** Told about every driver whose tours change (the search keeps its candidate index by it). */
  let onChange: (d: Driver, day?: number) => void = () => {};
  const lastEnd = (list: number[]) => {
    let e = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < list.length; k++) if (T[list[k]!]!.end > e) e = T[list[k]!]!.end;
    return e;
  };

  /**
   * Sorts a day's few tours by start, in place and stably. Array.prototype.sort allocates a work
   * copy per call, and this runs for every rule check.
   */
  function sortByStart(list: number[]): number[] {
    for (let i = 1; i < list.length; i++) {
      const ti = list[i]!;
      let k = i - 1;
      for (; k >= 0 && T[list[k]!]!.start > T[ti]!.start; k--) list[k + 1] = list[k]!;
      list[k + 1] = ti;
    }
    return list;
  }
  /**
   * Scratch days for canInsert's checks, one per length, and a scratch shape (never kept). Not one
   * array cut back with `length = 0`: that drops its storage, and every check would allocate again.
   */
  const trialDays: number[][] = [];
  const trialShape: DayShape = { first: 0, last: 0, count: 0 };

  /** Would `list` (tour indices of `day`, any order) be a valid working day for driver `d`? */
  function dayOk(d: Driver, day: number, list: number[]): boolean {
    checks++;
    if (list.length === 0) return true;
    const shape = dayShape(list, trialShape);
    return shape !== null && neighboursOk(d, day, shape);
  }

  /** The day's own rules (count, conflicts, span), driver aside; sorts `list`. Null when broken. */
  function dayShape(list: number[], into: DayShape = { first: 0, last: 0, count: 0 }): DayShape | null {
    if (list.length > rules.maxToursPerDay) return null;
    sortByStart(list);
    let split = false;
    for (let a = 0; a < list.length; a++) {
      const ta = T[list[a]!]!;
      if (ta.split) split = true;
      for (let b = a + 1; b < list.length; b++) if (toursConflict(ta, T[list[b]!]!, rules)) return null;
      if (a > 0 && ta.start - T[list[a - 1]!]!.end >= rules.splitBreakMinutes) split = true;
    }
    const first = T[list[0]!]!.start;
    const last = lastEnd(list);
    if (last - first > (split ? rules.maxSpanSplitMinutes : rules.maxSpanRegularMinutes)) return null;
    into.first = first;
    into.last = last;
    into.count = list.length;
    return into;
  }

  /** The rules between a day of that shape and driver d's other days: 3-tour days, 11 h rest. */
  function neighboursOk(d: Driver, day: number, { first, last, count }: DayShape): boolean {
    if (count === 3 && (d.days[day - 1]?.length === 3 || d.days[day + 1]?.length === 3)) return false;
    for (let p = day - 1; p >= 1; p--) {
      const pl = d.days[p]!;
      if (pl.length) {
        if (first - lastEnd(pl) < rules.minRestMinutes) return false;
        break;
      }
    }
    for (let q = day + 1; q <= 7; q++) {
      const ql = d.days[q]!;
      if (ql.length) {
        if (T[ql[0]!]!.start - last < rules.minRestMinutes) return false;
        break;
      }
    }
    return true;
  }

  function canInsert(d: Driver, ti: number, without = -1): boolean {
    const t = T[ti]!;
    const cur = d.days[t.day]!;
    const wOut = without >= 0 ? T[without]!.workMinutes : 0;
    if (d.work - wOut + t.workMinutes > rules.maxWeeklyMinutes) return false;
    if (cur.length - (without >= 0 ? 1 : 0) >= rules.maxToursPerDay) return false;
    if (cur.length === 0 || (cur.length === 1 && cur[0] === without)) {
      // Fast path (most checks): the tour alone on a day; only rest to the neighbouring working days.
      checks++;
      for (let p = t.day - 1; p >= 1; p--) {
        const pl = d.days[p]!;
        if (pl.length) {
          if (t.start - lastEnd(pl) < rules.minRestMinutes) return false;
          break;
        }
      }
      for (let q = t.day + 1; q <= 7; q++) {
        const ql = d.days[q]!;
        if (ql.length) {
          if (T[ql[0]!]!.start - t.end < rules.minRestMinutes) return false;
          break;
        }
      }
      return true;
    }
    const size = cur.length + (without >= 0 ? 0 : 1);
    trialDays[size] ??= new Array<number>(size).fill(0);
    const trial = trialDays[size]!;
    let at = 0;
    for (let k = 0; k < cur.length; k++) if (cur[k] !== without) trial[at++] = cur[k]!;
    trial[at] = ti;
    return dayOk(d, t.day, trial);
  }

  function insert(d: Driver, ti: number) {
    const t = T[ti]!;
    const list = d.days[t.day]!;
    list.push(ti);
    sortByStart(list);
    d.work += t.workMinutes;
    owner[ti] = d;
    onChange(d, t.day);
  }

  function remove(d: Driver, ti: number) {
    const t = T[ti]!;
    const list = d.days[t.day]!;
    list.splice(list.indexOf(ti), 1);
    d.work -= t.workMinutes;
    owner[ti] = undefined;
    onChange(d, t.day);
  }

  /**
   * Per day (1..7) of the driver last given to fillRestWindows: from the rest after its previous
   * working day to the rest before its next (open towards a week's end without work), which on a
   * free day is where it could work at all. Scratch, refilled per driver.
   */
  const restFrom: number[] = new Array(9).fill(0);
  const restTo: number[] = new Array(9).fill(0);
  function fillRestWindows(d: Driver): void {
    let prevEnd = Number.NEGATIVE_INFINITY;
    for (let day = 1; day <= 7; day++) {
      restFrom[day] = prevEnd + rules.minRestMinutes;
      if (d.days[day]!.length) prevEnd = lastEnd(d.days[day]!);
    }
    let nextStart = Number.POSITIVE_INFINITY;
    for (let day = 7; day >= 1; day--) {
      restTo[day] = nextStart - rules.minRestMinutes;
      if (d.days[day]!.length) nextStart = T[d.days[day]![0]!]!.start;
    }
  }

  /**
   * Appends to `out` (start, end pairs) the windows of `day` in which d could take one more tour as
   * far as rest and pauses go: the whole rest window on a free day, else the gaps a pause away from
   * its tours, the outer ones bounded by the rest and by the split span of the day with the tour in
   * it. Writes from out[0] on and returns how many numbers it wrote. Needs fillRestWindows(d).
   */
  function freeWindowsInto(d: Driver, day: number, out: number[]): number {
    const list = d.days[day]!;
    const lo = restFrom[day]!;
    const hi = restTo[day]!;
    // Pairs written inline, not through a helper closure: this runs at every change of a driver.
    let at = 0;
    if (!list.length) {
      if (lo <= hi) {
        out[at++] = lo;
        out[at++] = hi;
      }
      return at;
    }
    let start = Math.max(lo, lastEnd(list) - rules.maxSpanSplitMinutes);
    for (let k = 0; k < list.length; k++) {
      const t = T[list[k]!]!;
      const end = t.start - rules.minPauseMinutes;
      if (start <= end) {
        out[at++] = start;
        out[at++] = end;
      }
      start = t.end + rules.minPauseMinutes;
    }
    const end = Math.min(hi, T[list[0]!]!.start + rules.maxSpanSplitMinutes);
    if (start <= end) {
      out[at++] = start;
      out[at++] = end;
    }
    return at;
  }

  const toursOf = (d: Driver) => {
    const all: number[] = [];
    for (let day = 1; day <= 7; day++) {
      const list = d.days[day]!;
      for (let k = 0; k < list.length; k++) all.push(list[k]!);
    }
    return all;
  };

  let timeoutPhase = '';
  let bound: LowerBound | undefined;
  try {
    // ---------------------------------------------------------------- construction
    const order = solvable
      .slice()
      .sort((a, b) => T[a]!.start - T[b]!.start || T[a]!.end - T[b]!.end || a - b);
    /** The greedy's cost of giving tour ti to driver d (d can take it). */
    const costOf = (d: Driver, ti: number): number => {
      const t = T[ti]!;
      const today = d.days[t.day]!;
      if (today.length) {
        // Continue the day: the shorter the idle gap, the better; long breaks make split days.
        // Among those, prefer the earliest starter: late starters keep span room for late tours.
        const gap = t.start - lastEnd(today);
        const spanLeft = rules.maxSpanRegularMinutes - (t.end - T[today[0]!]!.start);
        return (gap >= 0 ? gap : 600) + SPAN_WEIGHT * Math.max(0, spanLeft) + d.tie;
      }
      // Start a new day: prefer the driver whose rest is tightest (keeps early-free drivers for
      // early tours) and who has worked least (hours stay balanced below the weekly maximum).
      let prevEnd = Number.NEGATIVE_INFINITY;
      for (let p = t.day - 1; p >= 1; p--) {
        if (d.days[p]!.length) {
          prevEnd = lastEnd(d.days[p]!);
          break;
        }
      }
      const slack = Number.isFinite(prevEnd)
        ? Math.min(t.start - prevEnd - rules.minRestMinutes, 1440)
        : 1440;
      return NEW_DAY_COST + slack / 4 + d.work / 20 + d.tie;
    };

    // Candidate index. Tours come in start order, so a driver only ever gains tours on its latest
    // day, and "may take a tour starting at s" becomes true at a known moment: continuing its day
    // once s >= last end + pause, starting a new day once s >= last end + rest (and the day is
    // over). Drivers wait in `pending*` heaps keyed by that moment, then move to pools keyed by
    // the part of the cost that depends on the driver, so each pool hands out drivers in order of
    // a lower bound on their cost; a tour stops asking a pool once that bound exceeds the best
    // cost found. Entries go stale when their driver takes another tour and are dropped on sight.
    const pendingContinue = new MinHeap<IndexEntry>();
    const pendingNewDay = new MinHeap<IndexEntry>();
    const pendingLongRest = new MinHeap<IndexEntry>();
    // Keys include the driver's tie-break, so a bound is the exact cost whenever the span rule leaves
    // room: among many drivers of equal cost (repeated sites) a tour asks one, not all of them.
    // Continue today, in buckets by the day's first start, because the span rule decides by it: a
    // tour ending at e fits every day begun at e - 14 h or later (cost >= gap + 0.5 * span left + tie
    // = f(tour) + (0.5 * first - end + tie)), fits a day begun up to 16 h before only if that day is
    // split (cost = start - end + tie), and no earlier day. Without buckets, the days begun early in
    // the morning would be asked (and refused) by every evening tour.
    const continuing: (FirstStartBucket | undefined)[] = [];
    const bucketOf = (first: number) => Math.floor(first / FIRST_START_BUCKET_MINUTES);
    // Non-split days whose break reaches the split break at the key, and may then go beyond 14 h.
    const pendingBreak = new MinHeap<IndexEntry>();
    // New day, rest slack under a day: cost = f(tour) + (work / 20 - end / 4 + tie).
    const rested = new MinHeap<IndexEntry>();
    // New day, rest slack a day or more (capped): cost = f(tour) + work / 20 + tie.
    const longRested = new MinHeap<IndexEntry>();
    const restCap = 1440;
    const track = (d: Driver, day: number) => {
      d.version++;
      d.lastDay = day;
      const list = d.days[day]!;
      const e: IndexEntry = {
        d,
        version: d.version,
        first: T[list[0]!]!.start,
        end: lastEnd(list),
        split: isSplitDay(
          list.map((i) => T[i]!),
          rules,
        ),
        askedBy: -1,
      };
      // Days are built in order, so a day after a 3-tour day can never become one itself.
      const canGrow =
        list.length < rules.maxToursPerDay && !(list.length === 2 && d.days[day - 1]!.length === 3);
      if (canGrow) pendingContinue.push(e.end + rules.minPauseMinutes, e);
      pendingNewDay.push(Math.max(e.end + rules.minRestMinutes, day * 1440), e);
      pendingLongRest.push(e.end + rules.minRestMinutes + restCap, e);
    };
    const fresh = (e: IndexEntry) => e.version === e.d.version;
    const EPS = 1e-6;

    // Scratch lists reused by every ask (the index is asked once or more per tour), filled up to
    // `kept` (never cut back: that would drop their storage).
    const keepKeys: number[] = [];
    const keepEntries: IndexEntry[] = [];
    let kept = 0;
    /** The tour being placed and the best driver and cost found for it so far. */
    let asking = -1;
    let best: Driver | null = null;
    let bestCost = Number.POSITIVE_INFINITY;
    /**
     * Asks one pool, best bound first, until the bound passes the best cost. Entries of drivers
     * whose day is over (`day` given) or whose rest slack has grown past the cap are dropped: they
     * can serve no later tour from this pool.
     */
    function ask(pool: MinHeap<IndexEntry>, base: number, day: number, slackFrom: number) {
      kept = 0;
      while (pool.size && base + pool.peekKey() - EPS < bestCost) {
        const key = pool.peekKey();
        const e = pool.pop();
        if (!fresh(e) || (day > 0 && e.d.lastDay !== day) || e.end <= slackFrom) continue;
        keepKeys[kept] = key;
        keepEntries[kept++] = e;
        if (e.askedBy === asking) continue;
        e.askedBy = asking;
        if (!canInsert(e.d, asking)) continue;
        const cost = costOf(e.d, asking);
        if (cost < bestCost) {
          bestCost = cost;
          best = e.d;
        }
      }
      for (let k = 0; k < kept; k++) pool.push(keepKeys[k]!, keepEntries[k]!);
    }
    function bestIndexed(ti: number): Driver | null {
      const t = T[ti]!;
      while (pendingContinue.peekKey() <= t.start) {
        const e = pendingContinue.pop();
        if (!fresh(e) || e.d.lastDay !== t.day) continue;
        const b = bucketOf(e.first);
        continuing[b] ??= { regular: new MinHeap(), split: new MinHeap(), any: new MinHeap() };
        const bucket = continuing[b]!;
        bucket.regular.push(SPAN_WEIGHT * e.first - e.end + e.d.tie, e);
        bucket.any.push(e.d.tie - e.end, e);
        if (e.split) bucket.split.push(e.d.tie - e.end, e);
        else pendingBreak.push(e.end + rules.splitBreakMinutes, e);
      }
      while (pendingBreak.peekKey() <= t.start) {
        const e = pendingBreak.pop();
        if (fresh(e)) continuing[bucketOf(e.first)]!.split.push(e.d.tie - e.end, e);
      }
      while (pendingNewDay.peekKey() <= t.start) {
        const e = pendingNewDay.pop();
        if (fresh(e)) rested.push(e.d.work / 20 - e.end / 4 + e.d.tie, e);
      }
      while (pendingLongRest.peekKey() <= t.start) {
        const e = pendingLongRest.pop();
        if (fresh(e)) longRested.push(e.d.work / 20 + e.d.tie, e);
      }
      asking = ti;
      best = null;
      bestCost = Number.POSITIVE_INFINITY;
      const open = Number.NEGATIVE_INFINITY;
      const regularBase = t.start + SPAN_WEIGHT * (rules.maxSpanRegularMinutes - t.end);
      const regularFrom = t.end - rules.maxSpanRegularMinutes;
      // Buckets below the tour's end - 16 h hold no day it fits; those below start - 16 h none ever.
      for (let b = bucketOf(t.end - rules.maxSpanSplitMinutes); b <= bucketOf(t.start); b++) {
        const bucket = continuing[b];
        if (!bucket) continue;
        const from = b * FIRST_START_BUCKET_MINUTES;
        if (from < regularFrom) ask(t.split ? bucket.any : bucket.split, t.start, t.day, open);
        if (from + FIRST_START_BUCKET_MINUTES > regularFrom) ask(bucket.regular, regularBase, t.day, open);
      }
      ask(
        rested,
        NEW_DAY_COST + (t.start - rules.minRestMinutes) / 4,
        0,
        t.start - rules.minRestMinutes - restCap,
      );
      ask(longRested, NEW_DAY_COST + restCap / 4, 0, open);
      return best;
    }

    /** The reference the index must agree with: every driver tried. */
    function bestFullScan(ti: number): Driver | null {
      let best: Driver | null = null;
      let bestCost = Number.POSITIVE_INFINITY;
      for (const d of drivers) {
        if (!canInsert(d, ti)) continue;
        const cost = costOf(d, ti);
        if (cost < bestCost) {
          bestCost = cost;
          best = d;
        }
      }
      return best;
    }

    const fullScan = options.constructionScan === 'full';
    for (const ti of order) {
      const d = (fullScan ? bestFullScan(ti) : bestIndexed(ti)) ?? newDriver();
      insert(d, ti);
      track(d, T[ti]!.day);
    }
    checkClock();

    // ---------------------------------------------------------------- local search: empty drivers
    timeoutPhase = 'local search';
    const budgetEnd = checks + budget;

    // Candidate lists. A driver can take work [first, last] on a day only if one of its free
    // windows that day contains it: on a free day, from the rest after its previous working day to
    // the rest before its next; on a working day, a gap a pause away from its tours (and within
    // that rest window, which is also all a chain or swap may use). Each driver's windows are kept
    // per day in indexes and brought up to date when it changes, so a move asks only the drivers
    // whose window contains the work (about one, where the full scan asked them all), then tries
    // them in the order the full scan would, so both choose the same driver.
    const scanAll = options.searchScan === 'full';
    const freeDays = new WindowIndex<FreeWindow>(WINDOW_BIN_MINUTES);
    const workedDays = new WindowIndex<FreeWindow>(WINDOW_BIN_MINUTES);
    const gaps = new WindowIndex<FreeWindow>(WINDOW_BIN_MINUTES);
    /** By FreeWindow.kind. */
    const windowIndexes = [freeDays, workedDays, gaps];
    /** Each driver's windows in the indexes, per day. */
    const windowsOf = new Map<Driver, FreeWindow[][]>();
    /** Drivers changed since the indexes last asked, each with a bit per changed day. */
    const changed = new Map<Driver, number>();
    const ALL_DAYS = 0b11111110;
    /** The windows driver d should have on a day, as (kind, start, end) triples up to `wantedLength`. */
    const wanted: number[] = [];
    let wantedLength = 0;
    let windowCount = 0;
    const gapScratch: number[] = [];
    /** Sets `wanted` to driver d's windows on `day`. Needs fillRestWindows(d). */
    function want(kind: number, start: number, end: number) {
      wanted[wantedLength++] = kind;
      wanted[wantedLength++] = start;
      wanted[wantedLength++] = end;
    }
    function wantedWindows(d: Driver, day: number) {
      wantedLength = 0;
      const list = d.days[day]!;
      const lo = restFrom[day]!;
      const hi = restTo[day]!;
      if (!list.length) {
        if (lo <= hi) want(0, lo, hi);
        return;
      }
      if (lo <= hi) want(1, lo, hi);
      const count = freeWindowsInto(d, day, gapScratch);
      for (let k = 0; k < count; k += 2) want(2, gapScratch[k]!, gapScratch[k + 1]!);
    }
    /**
     * Brings a changed driver's windows up to date, day by day, touching the indexes only where a
     * day's windows differ: most changes are tried and undone before the next question.
     */
    function reindex(d: Driver, changedDays: number) {
      let had = windowsOf.get(d);
      if (!had) {
        had = Array.from({ length: 8 }, () => []);
        windowsOf.set(d, had);
      }
      // A day's change moves the rest windows up to the working days on either side of it.
      let affected = 0;
      for (let p = 1; p <= 7; p++) {
        if (!(changedDays & (1 << p))) continue;
        let from = p - 1;
        while (from > 1 && !d.days[from]!.length) from--;
        let to = p + 1;
        while (to < 7 && !d.days[to]!.length) to++;
        for (let day = Math.max(1, from); day <= Math.min(7, to); day++) affected |= 1 << day;
      }
      fillRestWindows(d);
      for (let day = 1; day <= 7; day++) {
        if (!(affected & (1 << day))) continue;
        const old = had[day]!;
        if (d.alive) wantedWindows(d, day);
        else wantedLength = 0;
        let same = wantedLength === old.length * 3;
        for (let k = 0; same && k < old.length; k++) {
          const w = old[k]!;
          same = w.kind === wanted[3 * k] && w.start === wanted[3 * k + 1] && w.end === wanted[3 * k + 2];
        }
        if (same) continue;
        for (let k = 0; k < old.length; k++) windowIndexes[old[k]!.kind]!.remove(day, old[k]!);
        // The day's window objects are reused (most changes are undone moments later): fewer
        // short-lived objects for the collector. A reused window keeps its key, unique as before.
        const count = wantedLength / 3;
        for (let k = 0; k < count; k++) {
          const kind = wanted[3 * k]!;
          const start = wanted[3 * k + 1]!;
          const end = wanted[3 * k + 2]!;
          let w = old[k];
          if (w) {
            w.kind = kind;
            w.start = start;
            w.end = end;
          } else {
            w = { key: windowCount++, kind, start, end, d };
            old.push(w);
          }
          windowIndexes[kind]!.add(day, w);
        }
        old.length = count;
      }
    }
    function refreshWindows() {
      for (const [d, changedDays] of changed) reindex(d, changedDays);
      changed.clear();
    }
    if (!scanAll) {
      for (const d of drivers) reindex(d, ALL_DAYS);
      onChange = (d, day) =>
        changed.set(d, (changed.get(d) ?? 0) | (day === undefined ? ALL_DAYS : 1 << day));
    }

    /** The alive drivers with a window of `indexes` containing [first, last] on `day` (all when scanning all). */
    function driversFor(
      day: number,
      first: number,
      last: number,
      indexes: readonly WindowIndex<FreeWindow>[],
    ): Driver[] {
      if (scanAll) return drivers.filter((d) => d.alive);
      refreshWindows();
      const found = new Set<Driver>();
      for (const index of indexes)
        index.forEachContaining(day, first, last, (w) => {
          if (w.d.alive) found.add(w.d);
        });
      return [...found];
    }
    const takersOf = (ti: number) => driversFor(T[ti]!.day, T[ti]!.start, T[ti]!.end, [freeDays, gaps]);
    /** The first driver of `ds` that `fits`, in creation order: what trying every driver finds. */
    function earliest(ds: Driver[], fits: (d: Driver) => boolean): Driver | null {
      ds.sort((a, b) => a.id - b.id);
      return ds.find(fits) ?? null;
    }
    /** The busiest driver of `ds` that `fits` (ties: the earliest): filling it empties the light ones. */
    function busiest(ds: Driver[], fits: (d: Driver) => boolean): Driver | null {
      ds.sort((a, b) => b.work - a.work || a.id - b.id);
      return ds.find(fits) ?? null;
    }

    /**
     * The neighbourhood of chains and swaps: at most NEIGHBOURS drivers working on `day` whose rest
     * window holds [first, last] (a driver can take work on a day it works only inside it), the
     * tightest window first (latest start, then earliest end, then creation). Bounded, so that a
     * chain or swap costs the same however many drivers there are.
     */
    function restNeighbours(day: number, first: number, last: number, skip: Driver): Driver[] {
      const found: Driver[] = [];
      if (scanAll) {
        const windowOf = new Map<Driver, [number, number]>();
        for (const d of drivers) {
          if (!d.alive || d === skip || !d.days[day]!.length) continue;
          fillRestWindows(d);
          if (restFrom[day]! <= first && last <= restTo[day]!)
            windowOf.set(d, [restFrom[day]!, restTo[day]!]);
        }
        found.push(...windowOf.keys());
        found.sort((a, b) => {
          const [sa, ea] = windowOf.get(a)!;
          const [sb, eb] = windowOf.get(b)!;
          return sb - sa || ea - eb || a.id - b.id;
        });
        return found.slice(0, NEIGHBOURS);
      }
      refreshWindows();
      workedDays.forEachContainingLatestFirst(
        day,
        first,
        last,
        (a, b) => a.end - b.end || a.d.id - b.d.id,
        (w) => {
          if (w.d.alive && w.d !== skip) found.push(w.d);
          return found.length >= NEIGHBOURS;
        },
      );
      return found;
    }

    /** Places tour ti in some driver other than `skip` (directly or by swapping one tour out). */
    function place(ti: number, skip: Driver, log: (() => void)[]): boolean {
      const direct = busiest(takersOf(ti), (d) => d !== skip && canInsert(d, ti));
      if (direct) {
        insert(direct, ti);
        log.push(() => remove(direct, ti));
        return true;
      }
      // One swap: ti replaces u in d, u moves to e; a bounded number of swaps tried per tour.
      const t = T[ti]!;
      let tried = 0;
      for (const d of restNeighbours(t.day, t.start, t.end, skip)) {
        for (const u of d.days[t.day]!.slice()) {
          if (!canInsert(d, ti, u)) continue;
          if (++tried > SWAPS_TRIED) return false;
          remove(d, u);
          insert(d, ti);
          const e = earliest(takersOf(u), (e) => e !== skip && e !== d && canInsert(e, u));
          if (e) {
            insert(e, u);
            log.push(() => {
              remove(e, u);
              remove(d, ti);
              insert(d, u);
            });
            return true;
          }
          remove(d, ti);
          insert(d, u);
        }
      }
      return false;
    }

    const work = (list: number[]) => list.reduce((a, i) => a + T[i]!.workMinutes, 0);
    /** A non-empty day's tours with what blockFits needs of them, computed once per list. */
    const blockOf = (list: number[]) => ({ list, work: work(list), shape: dayShape(list.slice()) });
    /** Could driver d work exactly `block` on `day` (replacing what d works that day)? */
    function blockFits(d: Driver, day: number, block: ReturnType<typeof blockOf>): boolean {
      if (d.work - work(d.days[day]!) + block.work > rules.maxWeeklyMinutes) return false;
      checks++;
      return block.shape !== null && neighboursOk(d, day, block.shape);
    }
    function setDay(d: Driver, day: number, list: number[]) {
      const before = d.days[day]!;
      for (let k = 0; k < before.length; k++) if (owner[before[k]!] === d) owner[before[k]!] = undefined;
      for (let k = 0; k < list.length; k++) owner[list[k]!] = d;
      d.work += work(list) - work(d.days[day]!);
      d.days[day] = sortByStart(list.slice());
      onChange(d, day);
    }

    /** Moves x's whole day into another driver: into an idle one, or by pushing that driver's day on. */
    function moveDay(x: Driver, day: number, log: (() => void)[]): boolean {
      const block = x.days[day]!.slice();
      const xBlock = blockOf(block);
      if (!xBlock.shape) return false;
      const { first, last } = xBlock.shape;
      const freeThatDay = (d: Driver) => d !== x && !d.days[day]!.length;
      const idle = busiest(
        driversFor(day, first, last, [freeDays]),
        (d) => freeThatDay(d) && blockFits(d, day, xBlock),
      );
      const commit = (d: Driver, list: number[]) => {
        const before = d.days[day]!.slice();
        setDay(d, day, list);
        log.push(() => setDay(d, day, before));
      };
      if (idle) {
        commit(idle, block);
        commit(x, []);
        return true;
      }
      // Chain: d takes x's day, d's day goes to an idle e; a bounded number of chains tried.
      let tried = 0;
      for (const d of restNeighbours(day, first, last, x)) {
        if (!blockFits(d, day, xBlock)) continue;
        if (++tried > CHAINS_TRIED) break;
        const theirs = d.days[day]!.slice();
        const theirBlock = blockOf(theirs);
        const e = earliest(
          driversFor(day, theirBlock.shape!.first, theirBlock.shape!.last, [freeDays]),
          (e) => e !== d && freeThatDay(e) && blockFits(e, day, theirBlock),
        );
        if (e) {
          commit(e, theirs);
          commit(d, block);
          commit(x, []);
          return true;
        }
      }
      return false;
    }

    // Nothing to gain once the construction meets the lower bound.
    bound = lowerBound(
      solvable.map((i) => T[i]!),
      rules,
    );
    const target = bound.value;
    let aliveCount = drivers.length;
    let progress = aliveCount > target;
    while (progress && checks < budgetEnd) {
      progress = false;
      const candidates = drivers
        .filter((d) => d.alive)
        .map((d) => ({ d, key: d.work + rand() }))
        .sort((a, b) => a.key - b.key)
        .map((x) => x.d);
      for (const x of candidates) {
        if (checks >= budgetEnd) break;
        checkClock();
        const log: (() => void)[] = [];
        let ok = true;
        const days = [1, 2, 3, 4, 5, 6, 7]
          .filter((day) => x.days[day]!.length)
          .sort((a, b) => (T[x.days[a]![0]!]!.start % 1440) - (T[x.days[b]![0]!]!.start % 1440) || a - b);
        for (const day of days) {
          if (moveDay(x, day, log)) continue;
          // Tour by tour (directly or by swapping one tour out of another driver).
          for (const ti of x.days[day]!.slice()) {
            remove(x, ti);
            log.push(() => insert(x, ti));
            if (!place(ti, x, log)) {
              ok = false;
              break;
            }
          }
          if (!ok) break;
        }
        if (ok) {
          x.alive = false;
          onChange(x);
          aliveCount--;
          progress = aliveCount > target;
          if (!progress) break;
        } else {
          for (let k = log.length - 1; k >= 0; k--) log[k]!();
        }
      }
    }

    // ---------------------------------------------------------------- hours: make part-timers full-time
    // A part-timer takes tours that lie in its free windows from drivers who stay full-time without
    // them. Those offered tours are indexed by day, start and end (and updated as hours change), so
    // a part-timer reads only the tours inside its windows, a bounded number of refusals each, not
    // every tour of every driver.
    timeoutPhase = 'hours balancing';
    onChange = () => {};
    /** Tours as the offered-tours index holds them. */
    const offers = T.map((t, ti) => ({ day: t.day, start: t.start, end: t.end, key: ti }));
    const offered = new ContainedIndex<(typeof offers)[number]>(OFFERED_BIN_MINUTES);
    const isOffered = new Uint8Array(n);
    const setOffered = (ti: number, yes: boolean) => {
      if (!!isOffered[ti] === yes) return;
      isOffered[ti] = yes ? 1 : 0;
      if (yes) offered.add(offers[ti]!);
      else offered.remove(offers[ti]!);
    };
    const offerToursOf = (d: Driver) => {
      for (let day = 1; day <= 7; day++) {
        const list = d.days[day]!;
        for (let k = 0; k < list.length; k++)
          setOffered(list[k]!, d.alive && d.work - T[list[k]!]!.workMinutes >= rules.fullTimeMinutes);
      }
    };
    for (const d of drivers) offerToursOf(d);
    const windows: number[] = [];
    /** The first offered tour inside one of p's free windows on `day` that p can take, if any. */
    function offerFor(p: Driver, day: number): number | undefined {
      fillRestWindows(p);
      const count = freeWindowsInto(p, day, windows);
      let found: number | undefined;
      for (let w = 0; w < count && found === undefined; w += 2) {
        let refused = 0;
        offered.forEachInside(day, windows[w]!, windows[w + 1]!, ({ key: ti }) => {
          if (canInsert(p, ti)) found = ti;
          return found !== undefined || ++refused >= OFFERS_REFUSED;
        });
      }
      return found;
    }
    let moved = true;
    let rounds = 0;
    while (moved && rounds++ < 20 && checks < budgetEnd + budget / 4) {
      moved = false;
      const pts = drivers
        .filter((d) => d.alive && d.work < rules.fullTimeMinutes)
        .sort((a, b) => b.work - a.work || a.id - b.id);
      for (const p of pts) {
        checkClock();
        for (let day = 1; day <= 7; day++) {
          while (p.work < rules.fullTimeMinutes && p.days[day]!.length < rules.maxToursPerDay) {
            const u = offerFor(p, day);
            if (u === undefined) break;
            const donor = owner[u]!;
            remove(donor, u);
            insert(p, u);
            setOffered(u, false);
            offerToursOf(donor);
            offerToursOf(p);
            moved = true;
          }
        }
      }
    }
  } catch (err) {
    if (!(err instanceof TimeUp)) throw err;
  }

  // Any tour left unplaced by a cut-short construction still gets a driver of its own.
  const placed = new Uint8Array(n);
  for (const d of drivers) if (d.alive) for (const ti of toursOf(d)) placed[ti] = 1;
  for (const ti of solvable) if (!placed[ti]) insert(newDriver(), ti);

  // ---------------------------------------------------------------- ids and output
  const live = drivers.filter((d) => d.alive && d.work > 0);
  // A driver's tours, day by day, are in start order. Sort keys: first start, then lowest index.
  const toursOfLive = new Map(live.map((d) => [d, toursOf(d)]));
  const firstStart = (d: Driver) => T[toursOfLive.get(d)![0]!]!.start;
  const lowestTour = (d: Driver) => Math.min(...toursOfLive.get(d)!);
  const idKey = new Map(live.map((d) => [d, [firstStart(d), lowestTour(d)] as const]));
  live.sort((a, b) => {
    const [sa, ia] = idKey.get(a)!;
    const [sb, ib] = idKey.get(b)!;
    return sa - sb || ia - ib;
  });
  // The drill's "bug": driver ids handed out in arbitrary order, as an unseeded allocator would.
  if (options.nondeterministic) {
    const key = new Map(live.map((d) => [d, Math.random()]));
    live.sort((a, b) => key.get(a)! - key.get(b)!);
  }
  const width = Math.max(3, String(live.length).length);
  const assignments: Assignment[] = [];
  const plans: DriverPlan[] = [];
  const driverOfTour: (DriverPlan | undefined)[] = new Array(n);
  live.forEach((d, k) => {
    const driver_id = `D${String(k + 1).padStart(width, '0')}`;
    const mine = toursOfLive.get(d)!;
    const plan: DriverPlan = {
      driver_id,
      tour_ids: mine.map((i) => T[i]!.id),
      work_minutes: d.work,
      days_worked: d.days.filter((l) => l.length).length,
      full_time: d.work >= rules.fullTimeMinutes,
    };
    plans.push(plan);
    for (const ti of mine) {
      driverOfTour[ti] = plan;
      assignments.push({ driver_id, tour_id: T[ti]!.id, day: T[ti]!.day });
    }
  });
  for (const [f, leader] of followers) {
    const plan = driverOfTour[leader];
    if (plan) {
      plan.tour_ids.push(T[f]!.id);
      plan.work_minutes += T[f]!.workMinutes;
      plan.full_time = plan.work_minutes >= rules.fullTimeMinutes;
      assignments.push({ driver_id: plan.driver_id, tour_id: T[f]!.id, day: T[f]!.day });
    }
  }
  const config_hash = configHash(config);
  const lb =
    bound ??
    lowerBound(
      solvable.map((i) => T[i]!),
      rules,
    );
  let error_code: SolveErrorCode | null = null;
  let error_message: string | null = null;
  if (uncovered.length) {
    error_code = 'ERR_SOLVE_002';
    error_message = `No feasible solution for ${uncovered.length} tour(s): ${uncovered
      .slice(0, 3)
      .map((u) => `${u.tour_id} (line ${u.line}): ${u.reason}`)
      .join(
        '; ',
      )}${uncovered.length > 3 ? '; ...' : ''}. Fix these forecast lines (review constraints), then solve again.`;
  } else if (timedOut) {
    error_code = 'ERR_SOLVE_001';
    error_message = `Solver time limit of ${options.timeLimitMs} ms reached during ${timeoutPhase || 'construction'}; the best plan so far is returned. Retry with a longer limit or split the input.`;
  }
  return {
    status: error_code ? 'ERROR' : 'OK',
    error_code,
    error_message,
    assignments,
    drivers: plans,
    uncovered,
    headcount: plans.length,
    lower_bound: lb,
    config,
    config_hash,
    output_hash: outputHash(config_hash, assignments),
    runtime_ms: Math.round((performance.now() - started) * 10) / 10,
    checks,
    timed_out: timedOut,
  };
}
