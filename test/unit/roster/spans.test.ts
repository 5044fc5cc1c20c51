import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { peakOf, SpanPeaks } from '../../../src/roster/spans';

/** The definition: the most spans open at one of their starts (half-open, so touching is not open). */
const peakByCounting = (spans: { start: number; end: number }[]) =>
  Math.max(0, ...spans.map((s) => spans.filter((o) => o.start <= s.start && s.start < o.end).length));

// Few distinct minutes, so that spans often touch, nest and coincide.
const span = fc
  .tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 6 }))
  .map(([start, length]) => ({ start, end: start + length }));

describe('roster spans', () => {
  it('peakOf counts spans that touch as apart, and empty spans as none', () => {
    assert.equal(peakOf([]), 0);
    assert.equal(
      peakOf([
        { start: 0, end: 10 },
        { start: 10, end: 20 },
      ]),
      1,
    );
    assert.equal(
      peakOf([
        { start: 0, end: 10 },
        { start: 9, end: 20 },
        { start: 5, end: 5 },
      ]),
      2,
    );
    fc.assert(
      fc.property(fc.array(span, { maxLength: 12 }), (spans) => {
        assert.equal(peakOf(spans), peakByCounting(spans));
      }),
      { numRuns: 300 },
    );
  });

  it('SpanPeaks gives the peak of the spans added so far after every addition', () => {
    assert.equal(new SpanPeaks([]).peak, 0);
    fc.assert(
      fc.property(fc.array(span, { maxLength: 14 }), fc.nat(), (spans, cut) => {
        // The tree knows every span's endpoints up front; only some are added, in any order.
        const added = spans.slice(0, spans.length ? cut % (spans.length + 1) : 0);
        const tree = new SpanPeaks(spans);
        for (let k = 0; k < added.length; k++) {
          tree.add(added[k]!.start, added[k]!.end);
          assert.equal(
            tree.peak,
            peakByCounting(added.slice(0, k + 1)),
            `after ${k + 1} of ${JSON.stringify(added)}`,
          );
        }
      }),
      { numRuns: 300 },
    );
  });
});
