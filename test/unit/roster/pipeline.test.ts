import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { forecastCheck, solveLocal } from '../../../src/roster/cli-commands';
import { isForecastCsv, parseForecastInput } from '../../../src/roster/forecast';
import { ForecastBlockedError, gateForecast, solveForecast } from '../../../src/roster/pipeline';

const FIX = path.resolve(__dirname, '../../fixtures/roster');
const TEMPLATE = readFileSync(path.join(FIX, 'forecast_template.txt'), 'utf8');
const CI_CSV = readFileSync(path.join(FIX, 'forecast_ci_test.csv'), 'utf8');

describe('roster pipeline: one input parser, invalid forecasts refused', () => {
  it('reads the CSV form through the same entry as forecast text', () => {
    assert.equal(isForecastCsv(CI_CSV), true);
    assert.equal(isForecastCsv(`# comment\n\nDay,start_time,end_time\nMon,06:00,14:00`), true);
    assert.equal(isForecastCsv(TEMPLATE), false);
    const csv = parseForecastInput(CI_CSV);
    assert.equal(csv.format, 'csv');
    assert.equal(csv.verdict, 'PASS');
    assert.ok(csv.tourCount > 50, `${csv.tourCount} tours`);
    assert.equal(parseForecastInput(TEMPLATE).format, 'text');
    const check = forecastCheck(CI_CSV);
    assert.equal(check.format, 'csv');
    assert.equal(check.tours, csv.tourCount);
  });

  it('the CI CSV solves to a full plan (every tour covered, every audit PASS)', () => {
    const r = solveLocal(CI_CSV, { week: '2026-W03' });
    assert.notEqual(r.status, 'BLOCKED');
    if (r.status === 'BLOCKED') return;
    assert.equal(r.forecast.format, 'csv');
    assert.ok(r.headcount > 0);
    assert.equal(r.coverage_percent, 100);
    assert.equal(r.assignments.length, parseForecastInput(CI_CSV).tourCount);
    assert.equal(r.status, 'PASS');
  });

  it('a FAIL forecast is BLOCKED with its failing lines, never solved silently', () => {
    const text = `${TEMPLATE.trimEnd()}\nFr 25:00-14:00 3 Fahrer\n`;
    const lineNo = text.trimEnd().split('\n').length;
    const r = solveLocal(text, { week: '2026-W03' });
    assert.equal(r.status, 'BLOCKED');
    if (r.status !== 'BLOCKED') return;
    assert.equal(r.error_code, 'FORECAST_FAIL');
    assert.deepEqual(
      r.forecast.failed_lines.map((l) => [l.line, l.codes, l.tours]),
      [[lineNo, ['INVALID_HOUR'], 3]],
    );
    assert.match(r.error_message, new RegExp(`line ${lineNo}: INVALID_HOUR`));
    assert.throws(() => solveForecast(text, { week: '2026-W03' }), ForecastBlockedError);
  });

  it('dropping invalid lines is explicit and the dropped lines and tours are reported', () => {
    const text = `${TEMPLATE.trimEnd()}\nFr 25:00-14:00 3 Fahrer\nXx 06:00-14:00\n`;
    const r = solveLocal(text, { week: '2026-W03', dropInvalid: true });
    assert.notEqual(r.status, 'BLOCKED');
    if (r.status === 'BLOCKED') return;
    const n = text.trimEnd().split('\n').length;
    assert.deepEqual(r.forecast.dropped, { lines: [n - 1, n], tours: 4 });
    assert.equal(r.forecast.verdict, 'FAIL');
    assert.equal(r.coverage_percent, 100, 'the valid rest is fully covered');
    assert.equal(gateForecast(parseForecastInput(TEMPLATE), true).dropped, null, 'nothing dropped');
  });
});
