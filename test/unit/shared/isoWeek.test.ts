import assert from 'node:assert/strict';
import * as flows from '../../../src/procedures/flows/common';
import * as format from '../../../src/reports/format';
import * as week from '../../../src/roster/week';
import * as time from '../../../src/sandbox/time';
import {
  invalidIsoWeekMessage,
  isIsoWeek,
  isoWeekId,
  isoWeeksInYear,
  mondayOfIsoWeek,
  shiftIsoWeek,
  startOfIsoWeek,
} from '../../../src/shared/isoWeek';

const day = (d: Date | undefined) => d?.toISOString().slice(0, 10);

describe('shared ISO week', () => {
  it('W53 exists only in long years', () => {
    assert.equal(isoWeeksInYear(2020), 53);
    assert.equal(isoWeeksInYear(2025), 52);
    assert.equal(isoWeeksInYear(2026), 53);
    assert.equal(isIsoWeek('2025-W53'), false);
    assert.equal(isIsoWeek('2026-W53'), true);
    assert.equal(isIsoWeek('2026-W00'), false);
    assert.equal(isIsoWeek('2026-W3'), false);
    assert.equal(mondayOfIsoWeek('2025-W53'), undefined);
    assert.match(invalidIsoWeekMessage('2025-W53'), /2025 has only 52 ISO weeks/);
    assert.match(invalidIsoWeekMessage('week 3'), /YYYY-Www/);
  });

  it('weeks of dates across year boundaries, Mondays and shifts', () => {
    assert.equal(isoWeekId(new Date('2027-01-01T12:00:00Z')), '2026-W53');
    assert.equal(isoWeekId(new Date('2025-12-29T00:00:00Z')), '2026-W01');
    assert.equal(day(mondayOfIsoWeek('2026-W01')), '2025-12-29');
    assert.equal(day(mondayOfIsoWeek('2020-W53')), '2020-12-28');
    assert.equal(day(startOfIsoWeek(new Date('2026-01-18T23:59:00Z'))), '2026-01-12');
    assert.equal(shiftIsoWeek('2021-W01', -1), '2020-W53');
    assert.equal(shiftIsoWeek('2026-W53', 1), '2027-W01');
    assert.equal(shiftIsoWeek('2025-W53', 1), undefined);
  });

  it('every place that speaks of weeks uses this rule', () => {
    assert.equal(format.previousWeekId('2025-W53'), undefined);
    assert.equal(format.isoWeekMonday('2025-W53'), undefined);
    assert.equal(flows.shiftIsoWeek('2025-W53', -1), undefined);
    assert.equal(time.mondayOfIsoWeek('2025-W53'), undefined);
    assert.throws(() => week.isoWeekMonday('2025-W53'), /2025 has only 52 ISO weeks/);
  });
});
