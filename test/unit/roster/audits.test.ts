import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  auditCoverage,
  auditFatigue,
  auditMaxHours,
  auditOverlap,
  auditReproducibility,
  auditRest,
  auditSpanRegular,
  auditSpanSplit,
  type Plan,
  readPlan,
  runAudits,
} from '../../../src/roster/audits';
import { auditPlan, forecastCheck, solveLocal } from '../../../src/roster/cli-commands';
import { parseForecast } from '../../../src/roster/forecast';
import { changeoverGaps, changeoverHistogram, computeKpis } from '../../../src/roster/kpis';
import { DEFAULT_RULES } from '../../../src/roster/rules';
import { expandWeek } from '../../../src/roster/week';

const FIX = path.resolve(__dirname, '../../fixtures/roster');

/** A hand-made plan: forecast lines (one tour each) and driver -> line numbers. */
function plan(lines: string[], drivers: Record<string, number[]>): Plan {
  const tours = expandWeek(parseForecast(lines.join('\n')).tours, '2026-W03').tours;
  const assignments = Object.entries(drivers).flatMap(([driver_id, ls]) =>
    ls.map((l) => ({ driver_id, tour_id: tours.find((t) => t.line === l)!.id })),
  );
  return { tours, assignments };
}

describe('roster audits', () => {
  it('Coverage fails on an unassigned, a doubly assigned and an unknown tour', () => {
    const p = plan(['Mo 06:00-10:00', 'Di 06:00-10:00', 'Mi 06:00-10:00'], { D1: [1, 2], D2: [2] });
    p.assignments.push({ driver_id: 'D3', tour_id: 'T9999' });
    const r = auditCoverage(p);
    assert.equal(r.status, 'FAIL');
    assert.equal(r.violation_count, 3);
    const v = (r.details as { violations: { tour_ids?: string[]; line?: number }[] }).violations;
    assert.ok(v.some((x) => x.tour_ids?.[0] === 'T0003' && x.line === 3));
    assert.equal(auditCoverage(plan(['Mo 06:00-10:00'], { D1: [1] })).status, 'PASS');
  });

  it('Overlap fails when one driver has two tours at once', () => {
    const bad = auditOverlap(plan(['Mo 06:00-10:00', 'Mo 09:00-12:00'], { D1: [1, 2] }));
    assert.equal(bad.status, 'FAIL');
    assert.deepEqual(
      (bad.details as { violations: { tour_ids: string[]; driver_id: string }[] }).violations[0],
      {
        message: (bad.details as { violations: { message: string }[] }).violations[0]!.message,
        driver_id: 'D1',
        tour_ids: ['T0001', 'T0002'],
        day: 'Mo',
        line: 2,
      },
    );
    assert.equal(auditOverlap(plan(['Mo 22:00-06:00', 'Di 05:00-07:00'], { D1: [1, 2] })).status, 'FAIL');
  });

  it('Overlap fails on a tour inside a split break: the break belongs to its shift', () => {
    const r = auditOverlap(plan(['Mo 06:00-10:00 + 15:00-19:00', 'Mo 10:00-14:30'], { D1: [1, 2] }));
    assert.equal(r.status, 'FAIL');
    const v = r.details.violations[0]!;
    assert.equal(v.driver_id, 'D1');
    assert.deepEqual(v.tour_ids, ['T0001', 'T0002']);
    assert.equal(v.day, 'Mo');
    assert.match(v.message, /T0002 \(Mo 10:00-14:30\) inside the split break of T0001/);
  });

  it('Overlap fails on a changeover shorter than the minimum pause and names the gap', () => {
    const p = plan(['Mo 06:00-10:00', 'Mo 10:00-14:00', 'Di 06:00-10:00', 'Di 10:20-14:00'], {
      D1: [1, 2],
      D2: [3, 4],
    });
    const r = auditOverlap(p);
    assert.equal(r.status, 'FAIL');
    assert.deepEqual(
      r.details.violations.map((v) => [v.driver_id, v.day, v.tour_ids, v.gap_minutes]),
      [
        ['D1', 'Mo', ['T0001', 'T0002'], 0],
        ['D2', 'Di', ['T0003', 'T0004'], 20],
      ],
    );
    assert.match(r.details.violations[1]!.message, /changes over in 20 min .* \(minimum 30 min\)/);
    assert.equal(auditOverlap(plan(['Mo 06:00-10:00', 'Mo 10:30-14:00'], { D1: [1, 2] })).status, 'PASS');
    const rules = { ...DEFAULT_RULES, minPauseMinutes: 0 };
    assert.equal(auditOverlap(p, rules).status, 'PASS', 'the pause is a setting');
    assert.equal(runAudits(p, {}, rules)[1]!.status, 'PASS', 'runAudits passes the rules on');
  });

  it('KPIs report the average and shortest changeover', () => {
    const p = plan(['Mo 06:00-10:00', 'Mo 10:30-12:00', 'Mo 13:00-14:00', 'Di 06:00-10:00'], {
      D1: [1, 2, 3],
      D2: [4],
    });
    assert.deepEqual(changeoverGaps(p), [30, 60]);
    const k = computeKpis(p);
    assert.equal(k.avg_changeover_minutes, 45);
    assert.equal(k.min_changeover_minutes, 30);
    assert.equal(computeKpis(plan(['Mo 06:00-10:00'], { D1: [1] })).min_changeover_minutes, null);
    assert.deepEqual(changeoverHistogram([0, -5, 12, 30, 59, 60, 239, 240]), {
      '0': 2,
      '1-29': 1,
      '30-59': 2,
      '60-239': 2,
      '>=240': 1,
    });
  });

  it('Rest fails under 11 h between working days and over 55 h a week', () => {
    const short = auditRest(plan(['Mo 14:00-22:00', 'Di 06:00-10:00'], { D1: [1, 2] }));
    assert.equal(short.status, 'FAIL');
    assert.match(
      (short.details as { violations: { message: string }[] }).violations[0]!.message,
      /rests 8 h/,
    );
    assert.equal(auditRest(plan(['Mo 14:00-19:00', 'Di 06:00-10:00'], { D1: [1, 2] })).status, 'PASS');
    const week = ['Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'].map((d) => `${d} 06:00-14:00`);
    const long = plan(week, { D1: [1, 2, 3, 4, 5, 6, 7] }); // 56 h
    assert.equal(auditRest(long).status, 'FAIL');
    assert.equal(auditMaxHours(long).violation_count, 1);
    assert.equal(auditMaxHours(plan(week.slice(0, 6), { D1: [1, 2, 3, 4, 5, 6] })).status, 'PASS');
  });

  it('SpanRegular fails over 14 h on a regular day', () => {
    const p = plan(['Mo 05:00-09:00', 'Mo 09:30-13:00', 'Mo 16:00-19:30'], { D1: [1, 2, 3] });
    assert.equal(auditSpanRegular(p).status, 'FAIL');
    assert.equal(auditSpanSplit(p).status, 'PASS', 'a 3 h break is not a split');
    assert.equal(auditSpanRegular(plan(['Mo 05:00-09:00', 'Mo 09:30-19:00'], { D1: [1, 2] })).status, 'PASS');
  });

  it('SpanSplit fails over 16 h on a split day', () => {
    const p = plan(['Mo 05:00-09:00 + 17:00-21:30'], { D1: [1] });
    assert.equal(auditSpanSplit(p).status, 'FAIL');
    assert.equal(auditSpanRegular(p).status, 'PASS');
    const gap = plan(['Mo 05:00-09:00', 'Mo 14:00-20:30'], { D1: [1, 2] }); // 4 h+ break: split, 15.5 h
    assert.equal(auditSpanSplit(gap).status, 'PASS');
    assert.equal(auditSpanRegular(gap).status, 'PASS');
  });

  it('Fatigue fails on two triple-tour days in a row and on more than 3 tours a day', () => {
    const triple = (d: string) => [`${d} 06:00-08:00`, `${d} 08:30-10:00`, `${d} 10:30-12:00`];
    const bad = auditFatigue(plan([...triple('Mo'), ...triple('Di')], { D1: [1, 2, 3, 4, 5, 6] }));
    assert.equal(bad.status, 'FAIL');
    assert.equal(bad.violation_count, 1);
    assert.equal(
      auditFatigue(plan([...triple('Mo'), ...triple('Mi')], { D1: [1, 2, 3, 4, 5, 6] })).status,
      'PASS',
    );
    const four = plan([...triple('Mo'), 'Mo 13:00-14:00'], { D1: [1, 2, 3, 4] });
    assert.equal(auditFatigue(four).violation_count, 1);
  });

  it('Reproducibility compares hashes, re-solves on request, and warns when it cannot check', () => {
    assert.equal(auditReproducibility({ output_hash: 'a', second_hash: 'a' }).status, 'PASS');
    assert.equal(auditReproducibility({ output_hash: 'a', second_hash: 'b' }).status, 'FAIL');
    assert.equal(auditReproducibility({ output_hash: 'a', resolve: () => 'b' }).status, 'FAIL');
    assert.equal(
      auditReproducibility({
        output_hash: 'a',
        resolve: () => {
          throw new Error('boom');
        },
      }).status,
      'FAIL',
    );
    assert.equal(auditReproducibility({ output_hash: 'a' }).status, 'WARN');
  });

  it('returns the seven checks in order in the API shape', () => {
    const r = runAudits(plan(['Mo 06:00-10:00'], { D1: [1] }), { output_hash: 'h', second_hash: 'h' });
    assert.deepEqual(
      r.map((a) => a.check_name),
      ['Coverage', 'Overlap', 'Rest', 'SpanRegular', 'SpanSplit', 'Fatigue', 'Reproducibility'],
    );
    for (const a of r) {
      assert.deepEqual(Object.keys(a).sort(), ['check_name', 'details', 'status', 'violation_count']);
      assert.deepEqual(Object.keys(a.details as object).sort(), ['message', 'violations']);
    }
  });

  it('reads plan files in the JSON forecast form and the tour-instance form', () => {
    const input = JSON.parse(readFileSync(path.join(FIX, 'golden/gurkerl_small/input.json'), 'utf8'));
    const oneDriverEach = {
      tours: input.tours,
      assignments: input.tours.map((t: { id: number }) => ({ driver_id: `D${t.id}`, tour_id: t.id })),
    };
    assert.ok(
      auditPlan(oneDriverEach)
        .slice(0, 6)
        .every((a) => a.status === 'PASS'),
    );
    const allOnOne = {
      ...oneDriverEach,
      assignments: input.tours.map((t: { id: number }) => ({ driver_id: 'D1', tour_id: t.id })),
    };
    const r = auditPlan(JSON.stringify(allOnOne));
    assert.equal(r.find((a) => a.check_name === 'Overlap')!.status, 'FAIL');
    assert.equal(readPlan(oneDriverEach).tours[3]!.start, 1440 + 8 * 60);
    const bad = auditPlan('{"tours": 1}');
    assert.equal(bad[0]!.status, 'FAIL');
    assert.match(String((bad[0]!.details as { message: string }).message), /tours/);
  });

  it('computes KPIs of a plan', () => {
    const week = ['Mo', 'Di', 'Mi', 'Do', 'Fr'].map((d) => `${d} 06:00-14:00`);
    const p = plan([...week, 'Sa 06:00-10:00', 'So 06:00-10:00'], { D1: [1, 2, 3, 4, 5], D2: [6] });
    const k = computeKpis(p, { runtime_ms: 1234, lower_bound: 2 });
    assert.deepEqual(
      [
        k.headcount,
        k.coverage_percent,
        k.fte_ratio,
        k.pt_ratio,
        k.pt_count,
        k.max_weekly_hours,
        k.avg_weekly_hours,
        k.total_tours,
        k.runtime_seconds,
        k.lower_bound,
      ],
      [2, 85.71, 0.5, 0.5, 1, 40, 22, 7, 1.234, 2],
    );
  });

  it('CLI functions: forecastCheck and solveLocal', () => {
    const c = forecastCheck('# x\nMo 06:00-14:00 2 Fahrer\nMon 1');
    assert.equal(c.verdict, 'FAIL');
    assert.equal(c.tours, 2);
    assert.deepEqual(
      c.lines.map((l) => [l.line, l.verdict, l.codes]),
      [
        [2, 'PASS', []],
        [3, 'FAIL', ['MISSING_DAY', 'INVALID_TIME_RANGE']],
      ],
    );
    const s = solveLocal(readFileSync(path.join(FIX, 'forecast_template.txt'), 'utf8'), { week: '2026-W03' });
    assert.equal(s.status, 'PASS');
    assert.equal(s.audit_pass_count, 7);
    assert.equal(s.kpis.total_tours, 72);
    assert.equal(s.lower_bound.value <= s.headcount, true);
    assert.match(s.output_hash, /^[0-9a-f]{64}$/);
  });
});
