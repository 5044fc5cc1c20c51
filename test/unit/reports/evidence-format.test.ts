import assert from 'node:assert/strict';
import { findLine, forecastEntryName, forecastFromZip } from '../../../src/reports/evidence';
import { fmtDelta, fmtMs, fmtNumber, fmtTime, previousWeekId } from '../../../src/reports/format';
import { createZip } from '../../../src/sandbox/zip';

// The zip reader itself is tested in test/unit/shared/zip.test.ts.

const FORECAST = '# week\nMo 06:00-14:00\nDi 06:00-14:00 2 Fahrer\n';

describe('evidence helpers', () => {
  it("reads the forecast of the sandbox's stored evidence packs", () => {
    const zip = createZip([
      { name: 'manifest.json', data: '{"a":1}\n' },
      { name: 'input/forecast.txt', data: FORECAST },
    ]);
    assert.deepEqual(forecastFromZip(zip), { name: 'input/forecast.txt', text: FORECAST });
  });

  it('finds the forecast entry and the line of a violation', () => {
    assert.equal(
      forecastEntryName(['manifest.json', 'input/forecast.txt', 'plan.json']),
      'input/forecast.txt',
    );
    assert.equal(forecastEntryName(['x/forecast.csv']), 'x/forecast.csv');
    assert.equal(forecastEntryName(['a.json']), undefined);
    const audits = JSON.stringify(
      { v: [{ message: 'Driver "D-1" on T-0278' }, { message: 'other' }] },
      null,
      2,
    );
    assert.equal(findLine(audits, 'Driver "D-1" on T-0278'), 3);
    assert.equal(findLine(audits, 'nothing like it'), -1);
    assert.equal(findLine('a\nb T-0278 c\n', 'Tour T-0278 was changed in ways not in the file'), 1);
  });
});

describe('report formatting', () => {
  it('finds the previous ISO week, across year ends', () => {
    assert.equal(previousWeekId('2026-W48'), '2026-W47');
    assert.equal(previousWeekId('2026-W01'), '2025-W52');
    assert.equal(previousWeekId('2021-W01'), '2020-W53');
    assert.equal(previousWeekId('week 3'), undefined);
  });

  it('formats numbers, deltas, durations and times', () => {
    assert.equal(fmtNumber(0.9860001), '0.986');
    assert.equal(fmtNumber(null), '—');
    assert.equal(fmtDelta(146, 144), '+2 (+1.4 %)');
    assert.equal(fmtDelta(0.97, 1), '−0.03 (−3 %)');
    assert.equal(fmtDelta(5, 5), '±0');
    assert.equal(fmtDelta(5, null), '—');
    assert.equal(fmtMs(780), '780 ms');
    assert.equal(fmtMs(6200), '6.2 s');
    assert.equal(fmtTime('2026-11-16T08:00:00.000Z'), '2026-11-16 08:00 UTC');
    assert.equal(fmtTime('yesterday'), 'yesterday');
  });
});
