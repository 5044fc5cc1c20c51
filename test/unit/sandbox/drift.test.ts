import assert from 'node:assert/strict';
import {
  asPercent,
  asRatio,
  type DriftBaseline,
  detectorScore,
  levelForScore,
  mean,
  runbookMetrics,
  runbookVerdict,
  stdDev,
  worstVerdict,
} from '../../../src/sandbox/drift';

const baseline: DriftBaseline = {
  baseline_date: '2026-01-08',
  roster_kpis: {
    total_drivers: { expected: 145, min: 140, max: 155 },
    fte_ratio: { expected: 1.0, min: 0.95, max: 1.0 },
    coverage: { expected: 1.0, min: 0.98, max: 1.0 },
  },
};

const byKpi = (m: ReturnType<typeof runbookMetrics>) => Object.fromEntries(m.map((x) => [x.kpi, x]));

describe('sandbox drift: runbook rules (SP-004)', () => {
  it('a normal week is OK on all three rules', () => {
    const m = runbookMetrics(baseline, { headcount: 146, coverage_percent: 100, fte_ratio: 0.98 });
    assert.equal(runbookVerdict(m), 'OK');
    const k = byKpi(m);
    assert.equal(k.headcount.drift_pct, 0.69);
    assert.equal(k.coverage_percent.baseline, 100, 'ratio baseline read as percent');
    assert.equal(k.fte_ratio.current, 0.98);
  });

  it('headcount drift > 5 % is WARN; exactly 5 % is still OK', () => {
    const warn = byKpi(runbookMetrics(baseline, { headcount: 153, coverage_percent: 100, fte_ratio: 1 }));
    assert.equal(warn.headcount.verdict, 'WARN');
    assert.equal(warn.headcount.drift_pct, 5.52);
    const low = byKpi(runbookMetrics(baseline, { headcount: 137, coverage_percent: 100, fte_ratio: 1 }));
    assert.equal(low.headcount.verdict, 'WARN', 'drift counts both ways');
    const edge = runbookMetrics(
      { ...baseline, roster_kpis: { ...baseline.roster_kpis, total_drivers: { expected: 100 } } },
      { headcount: 105, coverage_percent: 100, fte_ratio: 1 },
    );
    assert.equal(byKpi(edge).headcount.verdict, 'OK');
  });

  it('coverage below 100 % is BLOCK and wins over WARN', () => {
    const m = runbookMetrics(baseline, { headcount: 160, coverage_percent: 99.9, fte_ratio: 0.9 });
    assert.equal(byKpi(m).coverage_percent.verdict, 'BLOCK');
    assert.equal(runbookVerdict(m), 'BLOCK');
  });

  it('FTE ratio below 95 % is WARN; a percent value is read as percent', () => {
    assert.equal(
      byKpi(runbookMetrics(baseline, { headcount: 145, coverage_percent: 100, fte_ratio: 0.94 })).fte_ratio
        .verdict,
      'WARN',
    );
    assert.equal(
      byKpi(runbookMetrics(baseline, { headcount: 145, coverage_percent: 100, fte_ratio: 96 })).fte_ratio
        .verdict,
      'OK',
    );
    assert.equal(asRatio(96), 0.96);
    assert.equal(asPercent(0.985), 98.5);
  });

  it('missing KPIs (an ERROR run) are not OK', () => {
    const m = runbookMetrics(baseline, { headcount: null, coverage_percent: null, fte_ratio: null });
    assert.equal(runbookVerdict(m), 'BLOCK');
    assert.equal(byKpi(m).headcount.verdict, 'WARN');
  });

  it('worstVerdict orders OK < WARN < BLOCK', () => {
    assert.equal(worstVerdict([]), 'OK');
    assert.equal(worstVerdict(['OK', 'WARN', 'OK']), 'WARN');
    assert.equal(worstVerdict(['BLOCK', 'WARN']), 'BLOCK');
  });
});

describe('sandbox drift: live detector score', () => {
  it('mean and sample standard deviation', () => {
    assert.equal(mean([1, 2, 3, 4]), 2.5);
    assert.equal(stdDev([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7));
    assert.equal(stdDev([5]), 0);
  });

  it('levels: OK < 10 <= WARNING < 25 <= ALERT < 50 <= INCIDENT', () => {
    assert.equal(levelForScore(0), 'OK');
    assert.equal(levelForScore(9.99), 'OK');
    assert.equal(levelForScore(10), 'WARNING');
    assert.equal(levelForScore(25), 'ALERT');
    assert.equal(levelForScore(49.9), 'ALERT');
    assert.equal(levelForScore(50), 'INCIDENT');
  });

  it('no history scores 0 / OK', () => {
    assert.deepEqual(
      {
        score: detectorScore({ total_drivers: 145 }, []).score,
        level: detectorScore({ total_drivers: 145 }, []).level,
      },
      { score: 0, level: 'OK' },
    );
  });

  it('std 0 and an equal value gives z 0; a different value gives z 3', () => {
    const same = detectorScore({ coverage_pct: 100 }, [{ coverage_pct: 100 }, { coverage_pct: 100 }]);
    assert.equal(same.metrics[0].z, 0);
    assert.equal(same.score, 0);
    const diff = detectorScore({ coverage_pct: 99 }, [{ coverage_pct: 100 }, { coverage_pct: 100 }]);
    assert.equal(diff.metrics[0].z, 3);
    // weighted = max(3·2, 1·2/10) = 6; score = 6/2·10 = 30 -> ALERT
    assert.equal(diff.metrics[0].weighted, 6);
    assert.equal(diff.score, 30);
    assert.equal(diff.level, 'ALERT');
  });

  it('combines metrics with the contract weights: score = Σ|weighted| / Σw × 10', () => {
    const history = [
      { total_drivers: 140, fte_ratio: 1 },
      { total_drivers: 150, fte_ratio: 1 },
    ];
    // total_drivers: mean 145, std √50 ≈ 7.071, z = 5/7.071 = 0.7071, pct = 3.448 %
    //   weighted = max(0.7071·2, 3.448·2/10) = 1.4142
    // fte_ratio: std 0, value differs -> z 3, weighted = max(4.5, 5·1.5/10) = 4.5
    const r = detectorScore({ total_drivers: 150, fte_ratio: 0.95 }, history);
    const expected = ((Math.SQRT2 + 4.5) / 3.5) * 10;
    assert.ok(Math.abs(r.score - expected) < 0.01, `${r.score} vs ${expected}`);
    assert.equal(r.level, 'WARNING');
    assert.deepEqual(
      r.metrics.map((m) => m.weight),
      [2, 1.5],
    );
  });

  it('a large percentage change dominates a small z', () => {
    const history = [{ max_weekly_hours: 40 }, { max_weekly_hours: 60 }];
    // mean 50, std 14.14, current 80: z 2.12·1.5 = 3.18; pct 60 % ·1.5/10 = 9 -> weighted 9
    const r = detectorScore({ max_weekly_hours: 80 }, history);
    assert.equal(r.metrics[0].weighted, 9);
    assert.equal(r.score, 60);
    assert.equal(r.level, 'INCIDENT');
  });

  it('metrics without a current value or history are skipped', () => {
    const r = detectorScore({ total_drivers: null, audit_pass_rate: 1 }, [{ total_drivers: 145 }]);
    assert.equal(r.metrics.length, 0);
    assert.equal(r.score, 0);
  });
});
