// Peaks of time spans: the most of them open at one moment, for the solver's lower bound.

/** Most spans open at one moment (half-open: a span ending as another starts does not count). */
export function peakOf(intervals: readonly { start: number; end: number }[]): number {
  const count = intervals.length;
  // Filled by loops: TypedArray.from with a mapping function is several times slower in V8.
  const starts = new Float64Array(count);
  const ends = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    starts[i] = intervals[i]!.start;
    ends[i] = intervals[i]!.end;
  }
  starts.sort();
  ends.sort();
  let open = 0;
  let peak = 0;
  for (let i = 0, j = 0; i < count; i++) {
    for (; j < count && ends[j]! <= starts[i]!; j++) open--;
    open++;
    if (open > peak) peak = open;
  }
  return peak;
}

/**
 * Half-open spans added one at a time, asking after each how many are open at the busiest moment:
 * a segment tree over the spans' distinct endpoints (range +1, maximum at the root), so n spans
 * and q questions cost O((n + q) log n) instead of re-sorting the set for every question.
 */
export class SpanPeaks {
  private readonly points: Float64Array;
  private readonly cells: number;
  /** Per node: the most spans open in its range, counting those added to the whole range. */
  private readonly most: Int32Array;
  /** Per node: spans added to its whole range (not pushed down). */
  private readonly whole: Int32Array;

  constructor(spans: readonly { start: number; end: number }[]) {
    const all = new Float64Array(spans.length * 2);
    for (let i = 0; i < spans.length; i++) {
      all[2 * i] = spans[i]!.start;
      all[2 * i + 1] = spans[i]!.end;
    }
    all.sort();
    let k = 0;
    for (let i = 0; i < all.length; i++) if (i === 0 || all[i] !== all[k - 1]) all[k++] = all[i]!;
    this.points = all.subarray(0, k);
    // Cell c is [points[c], points[c + 1]).
    this.cells = Math.max(1, k - 1);
    this.most = new Int32Array(4 * this.cells);
    this.whole = new Int32Array(4 * this.cells);
  }

  get peak(): number {
    return this.most[1]!;
  }

  private indexOf(x: number): number {
    let lo = 0;
    let hi = this.points.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.points[mid]! < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(start: number, end: number): void {
    const from = this.indexOf(start);
    const to = this.indexOf(end) - 1;
    if (from <= to) this.addCells(1, 0, this.cells - 1, from, to);
  }

  private addCells(node: number, lo: number, hi: number, from: number, to: number): void {
    if (from <= lo && hi <= to) {
      this.whole[node]!++;
      this.most[node]!++;
      return;
    }
    const mid = (lo + hi) >> 1;
    if (from <= mid) this.addCells(2 * node, lo, mid, from, to);
    if (to > mid) this.addCells(2 * node + 1, mid + 1, hi, from, to);
    this.most[node] = this.whole[node]! + Math.max(this.most[2 * node]!, this.most[2 * node + 1]!);
  }
}
