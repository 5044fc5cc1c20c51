import assert from 'node:assert/strict';
import * as fc from 'fast-check';
import { ContainedIndex, WindowIndex } from '../../../src/roster/windows';

interface W {
  key: number;
  start: number;
  end: number;
}
interface V extends W {
  day: number;
}

const byKey = (a: W, b: W) => a.key - b.key;
const DAY = 3;
const dayStart = (DAY - 1) * 1440;

describe('roster free-window indexes', () => {
  // Times around the day (and open ends), on a coarse grid so that equal starts and ends are common.
  const time = fc.oneof(
    fc.integer({ min: -30, max: 70 }).map((q) => dayStart + q * 60),
    fc.constant(Number.NEGATIVE_INFINITY),
    fc.constant(Number.POSITIVE_INFINITY),
  );
  const ops = fc.array(fc.record({ start: time, end: time, remove: fc.boolean() }), { maxLength: 60 });
  const probe = fc.record({
    first: fc.integer({ min: -30, max: 70 }).map((q) => dayStart + q * 60),
    len: fc.integer({ min: 0, max: 20 }).map((h) => h * 60),
  });

  it('WindowIndex finds exactly the windows that contain the work, after adds and removes (property)', () => {
    fc.assert(
      fc.property(ops, fc.array(probe, { minLength: 1, maxLength: 5 }), (steps, probes) => {
        const index = new WindowIndex<W>(60);
        const live: W[] = [];
        steps.forEach((s, key) => {
          if (s.remove && live.length) {
            const w = live.splice(key % live.length, 1)[0]!;
            index.remove(DAY, w);
          } else if (s.start <= s.end) {
            const w = { key, start: s.start, end: s.end };
            index.add(DAY, w);
            live.push(w);
          }
        });
        for (const { first, len } of probes) {
          const last = first + len;
          const expected = live.filter((w) => w.start <= first && w.end >= last).sort(byKey);
          const found: W[] = [];
          index.forEachContaining(DAY, first, last, (w) => found.push(w));
          assert.deepEqual(found.sort(byKey), expected);
          // Latest start first (ties by key), and it stops when asked to.
          const ordered: W[] = [];
          index.forEachContainingLatestFirst(DAY, first, last, byKey, (w) => ordered.push(w) >= 3);
          const latestFirst = expected.sort((a, b) => b.start - a.start || a.key - b.key || 0);
          assert.deepEqual(
            ordered.map((w) => w.key),
            latestFirst.slice(0, 3).map((w) => w.key),
          );
        }
      }),
      { numRuns: 200 },
    );
  });

  it('ContainedIndex finds exactly the intervals inside a window, after adds and removes (property)', () => {
    const start = fc.integer({ min: 0, max: 95 }).map((q) => dayStart + q * 15);
    const interval = fc.record({
      start,
      len: fc.integer({ min: 1, max: 60 }).map((q) => q * 15),
      remove: fc.boolean(),
    });
    fc.assert(
      fc.property(
        fc.array(interval, { maxLength: 60 }),
        fc.array(probe, { minLength: 1, maxLength: 5 }),
        (steps, probes) => {
          const index = new ContainedIndex<V>(30);
          const live: V[] = [];
          steps.forEach((s, key) => {
            if (s.remove && live.length) {
              const v = live.splice(key % live.length, 1)[0]!;
              index.remove(v);
            } else {
              const v = { key, day: DAY, start: s.start, end: s.start + s.len };
              index.add(v);
              live.push(v);
            }
          });
          for (const { first, len } of probes) {
            const to = first + len;
            const expected = live.filter((v) => v.start >= first && v.end <= to).sort(byKey);
            const found: V[] = [];
            index.forEachInside(DAY, first, to, (v) => {
              found.push(v);
              return false;
            });
            assert.deepEqual(found.sort(byKey), expected);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
