// Free windows of drivers by day, for the solver's search: which windows contain a piece of work?

/** A span of time (absolute minutes) in which a driver could take work on one day. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** An indexed entry: `key` is unique among the entries, so equal spans still have one place. */
export interface Keyed {
  key: number;
}

// Moving the tail by hand instead of splice, which allocates an array of what it removed (an
// empty one when inserting) at every call: the search adds and removes windows at every change.
function insertAt<T>(list: T[], at: number, value: T): void {
  list.push(value);
  for (let k = list.length - 1; k > at; k--) list[k] = list[k - 1]!;
  list[at] = value;
}

function removeAt<T>(list: T[], at: number): void {
  for (let k = at; k < list.length - 1; k++) list[k] = list[k + 1]!;
  list.pop();
}

/** First minute of the week a day's bins start at: windows may open up to a day before the day. */
const LEAD_MINUTES = 1440;
/** Bins cover the day before, the day and the day after; later starts share the last bin. */
const DAYS_COVERED = 3;

/**
 * Windows of days 1..7, binned by start; within a bin ordered by end, latest first. A query for
 * [first, last] reads the bins up to first's and, in each, only the windows that end by last or
 * later, so it costs the bins read plus the windows it returns, whatever the number of drivers.
 */
export class WindowIndex<W extends TimeWindow & Keyed> {
  private readonly bins: W[][][];
  private readonly binCount: number;

  constructor(private readonly binMinutes: number) {
    this.binCount = Math.ceil((DAYS_COVERED * 1440) / binMinutes) + 1;
    this.bins = Array.from({ length: 9 }, () => Array.from({ length: this.binCount }, () => []));
  }

  /** Bin 0 holds every window opening before the day before (or with no start at all). */
  private binOf(day: number, start: number): number {
    const rel = start - ((day - 1) * 1440 - LEAD_MINUTES);
    if (rel < 0) return 0;
    return Math.min(this.binCount - 1, 1 + Math.floor(rel / this.binMinutes));
  }

  /** Position in a bin (ends descending, then keys) of the first window not before w. */
  private static positionOf(list: (TimeWindow & Keyed)[], w: TimeWindow & Keyed): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = list[mid]!;
      if (m.end > w.end || (m.end === w.end && m.key < w.key)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(day: number, w: W): void {
    const list = this.bins[day]![this.binOf(day, w.start)]!;
    insertAt(list, WindowIndex.positionOf(list, w), w);
  }

  remove(day: number, w: W): void {
    const list = this.bins[day]![this.binOf(day, w.start)]!;
    const at = WindowIndex.positionOf(list, w);
    if (list[at] === w) removeAt(list, at);
  }

  /**
   * Calls `visit` with the windows of `day` that contain [first, last], latest start first (ties:
   * `order`), until it returns true: the bins from first's down, each bin's matches sorted.
   */
  forEachContainingLatestFirst(
    day: number,
    first: number,
    last: number,
    order: (a: W, b: W) => number,
    visit: (w: W) => boolean,
  ): void {
    const bins = this.bins[day]!;
    const matches: W[] = [];
    for (let b = this.binOf(day, first); b >= 0; b--) {
      const bin = bins[b]!;
      matches.length = 0;
      for (let k = 0; k < bin.length && bin[k]!.end >= last; k++)
        if (bin[k]!.start <= first) matches.push(bin[k]!);
      matches.sort((x, y) => y.start - x.start || order(x, y));
      for (const w of matches) if (visit(w)) return;
    }
  }

  /** Calls `visit` with every window of `day` that starts by `first` and ends at `last` or later. */
  forEachContaining(day: number, first: number, last: number, visit: (w: W) => void): void {
    const bins = this.bins[day]!;
    const top = this.binOf(day, first);
    for (let b = 0; b <= top; b++) {
      const bin = bins[b]!;
      for (let k = 0; k < bin.length && bin[k]!.end >= last; k++) if (bin[k]!.start <= first) visit(bin[k]!);
    }
  }
}

/** An interval that starts on its day (a tour). */
export interface DayInterval extends TimeWindow, Keyed {
  day: number;
}

/**
 * Intervals of days 1..7 binned by start within their day; within a bin ordered by end, earliest
 * first. A query for the intervals inside [from, to] reads the bins from from's to to's and, in
 * each, only the intervals that end by `to`.
 */
export class ContainedIndex<V extends DayInterval> {
  private readonly bins: V[][][];
  private readonly binCount: number;

  constructor(private readonly binMinutes: number) {
    this.binCount = Math.ceil(1440 / binMinutes);
    this.bins = Array.from({ length: 9 }, () => Array.from({ length: this.binCount }, () => []));
  }

  private binOf(day: number, start: number): number {
    const rel = Math.floor((start - (day - 1) * 1440) / this.binMinutes);
    return Math.max(0, Math.min(this.binCount - 1, rel));
  }

  /** Position in a bin (ends ascending, then starts, then keys) of the first entry not before v. */
  private static positionOf(list: DayInterval[], v: DayInterval): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const m = list[mid]!;
      if (m.end < v.end || (m.end === v.end && (m.start < v.start || (m.start === v.start && m.key < v.key))))
        lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(v: V): void {
    const list = this.bins[v.day]![this.binOf(v.day, v.start)]!;
    insertAt(list, ContainedIndex.positionOf(list, v), v);
  }

  remove(v: V): void {
    const list = this.bins[v.day]![this.binOf(v.day, v.start)]!;
    const at = ContainedIndex.positionOf(list, v);
    if (list[at] === v) removeAt(list, at);
  }

  /**
   * Calls `visit` with the intervals of `day` inside [from, to], bins in start order, until it
   * returns true. The index must not change meanwhile.
   */
  forEachInside(day: number, from: number, to: number, visit: (v: V) => boolean): void {
    const bins = this.bins[day]!;
    const last = this.binOf(day, to);
    for (let b = this.binOf(day, from); b <= last; b++) {
      const bin = bins[b]!;
      for (let k = 0; k < bin.length && bin[k]!.end <= to; k++)
        if (bin[k]!.start >= from && visit(bin[k]!)) return;
    }
  }
}
