import assert from 'node:assert/strict';
import { parseForecast } from '../../../src/roster/forecast';
import { expandWeek, isIsoWeek, isoWeekMonday, isoWeekOf, shiftIsoWeek } from '../../../src/roster/week';

describe('roster week expansion', () => {
  it('finds the Monday of ISO weeks, including year boundaries', () => {
    assert.equal(isoWeekMonday('2026-W03').toISOString().slice(0, 10), '2026-01-12');
    assert.equal(isoWeekMonday('2026-W01').toISOString().slice(0, 10), '2025-12-29');
    assert.equal(isoWeekMonday('2020-W53').toISOString().slice(0, 10), '2020-12-28');
    assert.equal(isoWeekOf(new Date('2027-01-01T00:00:00Z')).id, '2026-W53');
    assert.equal(shiftIsoWeek('2026-W01', -1), '2025-W52');
    assert.equal(shiftIsoWeek('2026-W03', 12), '2026-W15');
  });

  it('rejects malformed or non-existent weeks', () => {
    assert.equal(isIsoWeek('2026-W3'), false);
    assert.equal(isIsoWeek('2025-W53'), false);
    assert.equal(isIsoWeek('2026-W53'), true);
    assert.throws(() => expandWeek([], '2026-03'), /not an ISO week/);
  });

  it('expands counts into tours with stable ids and source lines', () => {
    const p = parseForecast('# w\nMo 06:00-14:00 2 Fahrer Depot Nord\nDi 08:00-12:00');
    const w = expandWeek(p.tours, '2026-W03');
    assert.equal(w.monday, '2026-01-12');
    assert.deepEqual(
      w.tours.map((t) => [t.id, t.line, t.copy, t.day, t.date, t.start, t.end, t.depot]),
      [
        ['T0001', 2, 1, 1, '2026-01-12', 360, 840, 'Nord'],
        ['T0002', 2, 2, 1, '2026-01-12', 360, 840, 'Nord'],
        ['T0003', 3, 1, 2, '2026-01-13', 1440 + 480, 1440 + 720, null],
      ],
    );
    assert.deepEqual(expandWeek(p.tours, '2026-W03'), w, 'same input, same ids');
  });

  it('puts cross-midnight ends on the next day and keeps split parts absolute', () => {
    const p = parseForecast('So 22:00-06:00\nMi 06:00-10:00 + 15:00-19:00');
    const [night, split] = expandWeek(p.tours, '2026-W03').tours;
    assert.equal(night!.start, 6 * 1440 + 22 * 60);
    assert.equal(night!.end, 7 * 1440 + 6 * 60, 'Sunday night ends in the next week');
    assert.deepEqual(split!.parts, [
      { start: 2 * 1440 + 360, end: 2 * 1440 + 600 },
      { start: 2 * 1440 + 900, end: 2 * 1440 + 1140 },
    ]);
    assert.equal(split!.workMinutes, 480);
  });
});
