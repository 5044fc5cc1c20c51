import assert from 'node:assert/strict';
import { parseForecast } from '../../../src/roster/forecast';
import { generateForecast } from '../../../src/roster/generate';
import { solveForecast } from '../../../src/roster/pipeline';

const statuses = (run: ReturnType<typeof solveForecast>) =>
  Object.fromEntries(run.audit_results.map((a) => [a.check_name, a.status]));

describe('roster forecast generator', () => {
  it('is deterministic by (week, seed) and varies week to week', () => {
    const a = generateForecast('2026-W03');
    assert.equal(generateForecast('2026-W03').text, a.text);
    assert.notEqual(generateForecast('2026-W04').text, a.text);
    assert.notEqual(generateForecast('2026-W03', { seed: 1 }).text, a.text);
  });

  it('writes a clean Wien-sized week over several depots', () => {
    const g = generateForecast('2026-W05');
    const p = parseForecast(g.text);
    assert.equal(p.verdict, 'PASS');
    assert.equal(p.duplicates.length, 0);
    assert.equal(p.tourCount, g.tourCount);
    assert.ok(g.tourCount >= 1350 && g.tourCount <= 1420, String(g.tourCount));
    assert.deepEqual([...new Set(p.tours.map((t) => t.depot))].sort(), ['Nord', 'Ost', 'Sued', 'West']);
    assert.deepEqual([...new Set(p.tours.map((t) => t.day))].sort(), [1, 2, 3, 4, 5, 6, 7]);
  });

  it('normal week: all seven audits pass', () => {
    const g = generateForecast('2026-W06', { targetTours: 400 });
    const run = solveForecast(g.text, { week: g.week, ...g.solveOptions });
    assert.equal(run.status, 'PASS', JSON.stringify(statuses(run)));
  });

  it('a normal Wien week solves within the baseline: headcount 145 +-5 %, FTE >= 0.95, 7/7 PASS', () => {
    for (const week of ['2026-W10', '2026-W11']) {
      const g = generateForecast(week);
      const run = solveForecast(g.text, { week, ...g.solveOptions, searchBudget: 200_000 });
      assert.equal(run.status, 'PASS', JSON.stringify(statuses(run)));
      assert.ok(Math.abs(run.kpis.headcount - 145) <= 7, `headcount ${run.kpis.headcount}`);
      assert.ok(run.kpis.fte_ratio >= 0.95, `fte ${run.kpis.fte_ratio}`);
      assert.equal(run.kpis.coverage_percent, 100);
    }
  });

  it('variation keys the tours instead of the week; holiday keeps the peak with fewer hours', () => {
    const a = generateForecast('2026-W10', { variation: 'slot-1' });
    const b = generateForecast('2026-W30', { variation: 'slot-1' });
    assert.equal(parseForecast(a.text).inputHash, parseForecast(b.text).inputHash);
    assert.notEqual(a.text, b.text, 'the header names the week');
    const h = generateForecast('2026-W10', { variation: 'slot-1', variant: 'holiday' });
    assert.ok(h.tourCount < a.tourCount * 0.95);
    const run = solveForecast(h.text, { week: h.week, searchBudget: 200_000, checkReproducibility: false });
    assert.ok(run.kpis.fte_ratio < 0.95, `fte ${run.kpis.fte_ratio}`);
    assert.equal(run.kpis.coverage_percent, 100);
  });

  it('duplicates: repeated lines are reported and the run fails Overlap', () => {
    const g = generateForecast('2026-W06', { targetTours: 400, variant: 'duplicates' });
    assert.ok(parseForecast(g.text).duplicates.length > 0);
    const run = solveForecast(g.text, { week: g.week, ...g.solveOptions });
    assert.equal(statuses(run).Overlap, 'FAIL');
    assert.equal(statuses(run).Coverage, 'PASS');
  });

  it('uncoverable: coverage below 100 % with ERR_SOLVE_002', () => {
    const g = generateForecast('2026-W06', { targetTours: 400, variant: 'uncoverable' });
    const run = solveForecast(g.text, { week: g.week, ...g.solveOptions });
    assert.equal(run.error_code, 'ERR_SOLVE_002');
    assert.ok(run.kpis.coverage_percent < 100);
    assert.equal(statuses(run).Coverage, 'FAIL');
    assert.deepEqual([...new Set(run.solver.uncovered.map((u) => u.line))], g.expected.injected_lines);
  });

  it('nondeterministic: the re-solve hash differs and Reproducibility fails', () => {
    const g = generateForecast('2026-W06', { targetTours: 400, variant: 'nondeterministic' });
    const run = solveForecast(g.text, { week: g.week, ...g.solveOptions });
    assert.equal(statuses(run).Reproducibility, 'FAIL');
    assert.equal(statuses(run).Coverage, 'PASS');
  });
});
