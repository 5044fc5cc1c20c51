import assert from 'node:assert/strict';
import { diffForecasts, findDuplicates, resolveTwice, suggestSplit } from '../../../src/procedures/analysis';
import { shiftIsoWeek } from '../../../src/procedures/flows/common';

const PREV = [
  '# week 9',
  'Mo 06:00-14:00 5 Fahrer Depot Nord',
  'Mo 14:00-22:00 3 Fahrer Depot Sued',
  'Di 06:00-14:00 4 Fahrer Depot Nord',
  '',
].join('\n');
const CUR = [
  '# week 10',
  'Mo 06:00-14:00 6 Fahrer Depot Nord',
  'Di 06:00-14:00 4 Fahrer Depot Nord',
  'Mi 22:00-06:00 2 Fahrer Depot West',
  '',
].join('\n');

describe('procedures: SP-002 analysis with the roster engine', () => {
  it('diffs two weeks: tours added, removed and changed with their lines', () => {
    const d = diffForecasts(PREV, CUR);
    assert.deepEqual(d.added, [{ tour: 'Mi 22:00-06:00 Depot West', count: 2, line: 4, depot: 'West' }]);
    assert.deepEqual(d.removed, [{ tour: 'Mo 14:00-22:00 Depot Sued', count: 3, line: 3, depot: 'Sued' }]);
    assert.deepEqual(d.changed, [
      { tour: 'Mo 06:00-14:00 Depot Nord', before: 5, after: 6, line: 2, depot: 'Nord' },
    ]);
    assert.equal(d.toursBefore, 12);
    assert.equal(d.toursAfter, 12);
    assert.equal(d.unchanged, false);
    assert.equal(diffForecasts(PREV, `${PREV}\n# only a comment\n`).unchanged, true);
  });

  it('reads the CSV form too', () => {
    const csv = 'day,start_time,end_time,location,qualifications\nMon,06:00,14:00,Nord,\n';
    const d = diffForecasts('Mo 06:00-14:00 Depot Nord\n', csv);
    assert.equal(d.unchanged, true);
  });

  it('finds duplicate tour lines with their depots', () => {
    const r = findDuplicates('Mo 06:00-14:00 Depot Nord\nDi 08:00-16:00\nMo 6:00-14:00 depot nord\n');
    assert.deepEqual(r.duplicates, [
      { tour: 'Mo 06:00-14:00 Depot Nord', lines: [1, 3], depot: 'Nord', count: 2 },
    ]);
    assert.equal(findDuplicates(PREV).duplicates.length, 0);
  });

  it('suggests a split by depot when there are depots, else by halves of the week', () => {
    const byDepot = suggestSplit(CUR);
    assert.equal(byDepot.tourCount, 12);
    assert.deepEqual(byDepot.byDepot[0], { depot: 'Nord', tours: 10 });
    assert.match(byDepot.suggestion, /split by depot into 2 solves \(Nord 10, West 2 tours\)/);
    assert.match(
      suggestSplit('Mo 06:00-14:00 3 Fahrer\nFr 06:00-14:00\n').suggestion,
      /Mo–Mi 3 and Do–So 1 tours/,
    );
  });

  it('re-solves twice with the same seed and compares the output hashes', () => {
    const r = resolveTwice(CUR, '2026-W10', 94, 5000);
    assert.equal(r.same, true);
    assert.match(r.first, /^sha256:[a-f0-9]{64}$/);
    assert.equal(r.first, r.second);
    assert.equal(r.tours, 12);
    assert.equal(r.seed, 94);
  });

  it('shifts ISO weeks across year boundaries', () => {
    assert.equal(shiftIsoWeek('2026-W10', -1), '2026-W09');
    assert.equal(shiftIsoWeek('2026-W01', -1), '2025-W52');
    assert.equal(shiftIsoWeek('2021-W01', -1), '2020-W53');
    assert.equal(shiftIsoWeek('bad', -1), undefined);
  });
});
