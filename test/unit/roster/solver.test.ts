import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as fc from 'fast-check';
import { runAudits } from '../../../src/roster/audits';
import { parseForecast, parseForecastCsv, parseForecastJson } from '../../../src/roster/forecast';
import { generateForecast } from '../../../src/roster/generate';
import { outputHash } from '../../../src/roster/hash';
import { changeoverGaps, computeKpis } from '../../../src/roster/kpis';
import { solveForecast } from '../../../src/roster/pipeline';
import { DEFAULT_RULES } from '../../../src/roster/rules';
import { lowerBound, solve } from '../../../src/roster/solver';
import { expandWeek, type TourInstance } from '../../../src/roster/week';

const FIX = path.resolve(__dirname, '../../fixtures/roster');
const weekOf = (text: string) => expandWeek(parseForecast(text).tours, '2026-W03').tours;

/** Every audit of the plan PASSes, over the tours the solver could cover. */
function assertAuditsPass(tours: TourInstance[], r: ReturnType<typeof solve>) {
  const uncovered = new Set(r.uncovered.map((u) => u.tour_id));
  const audits = runAudits(
    { tours: tours.filter((t) => !uncovered.has(t.id)), assignments: r.assignments },
    { second_hash: 'x', output_hash: 'x' },
  );
  for (const a of audits) assert.equal(a.status, 'PASS', `${a.check_name}: ${JSON.stringify(a.details)}`);
}

/** Candidate lists and the full scan made the same plan, the lists with no more rule checks. */
function assertSamePlan(indexed: ReturnType<typeof solve>, full: ReturnType<typeof solve>) {
  assert.deepEqual(indexed.drivers, full.drivers);
  assert.equal(indexed.output_hash, full.output_hash);
  assert.ok(indexed.checks <= full.checks, `${indexed.checks} > ${full.checks}`);
}

function auditsOf(tours: TourInstance[], seed = 94) {
  const r = solve(tours, { seed });
  return {
    r,
    audits: runAudits(
      { tours, assignments: r.assignments, output_hash: r.output_hash },
      { second_hash: r.output_hash },
    ),
  };
}

describe('roster solver', () => {
  it('is deterministic: three solves, one output_hash', () => {
    const tours = weekOf(readFileSync(path.join(FIX, 'forecast_template.txt'), 'utf8'));
    const hashes = new Set([1, 2, 3].map(() => solve(tours).output_hash));
    assert.equal(hashes.size, 1);
    assert.match([...hashes][0]!, /^[0-9a-f]{64}$/);
  });

  it('uses seed 94 by default and changes the config hash with the seed', () => {
    const tours = weekOf('Mo 06:00-14:00 3 Fahrer\nDi 06:00-14:00 3 Fahrer');
    const a = solve(tours);
    assert.equal(a.config.seed, 94);
    assert.equal(solve(tours, { seed: 94 }).output_hash, a.output_hash);
    assert.notEqual(solve(tours, { seed: 7 }).config_hash, a.config_hash);
  });

  it('computes output_hash from the config hash and the sorted assignments', () => {
    const r = solve(weekOf('Mo 06:00-14:00 2 Fahrer'));
    assert.equal(r.output_hash, outputHash(r.config_hash, [...r.assignments].reverse()));
  });

  it('covers every tour once and respects the hard rules on the template week', () => {
    const tours = weekOf(readFileSync(path.join(FIX, 'forecast_template.txt'), 'utf8'));
    const { r, audits } = auditsOf(tours);
    assert.equal(r.status, 'OK');
    assert.deepEqual(
      audits.map((a) => `${a.check_name}:${a.status}`),
      [
        'Coverage:PASS',
        'Overlap:PASS',
        'Rest:PASS',
        'SpanRegular:PASS',
        'SpanSplit:PASS',
        'Fatigue:PASS',
        'Reproducibility:PASS',
      ],
    );
    assert.ok(r.headcount >= r.lower_bound.value);
  });

  it('solves the CI CSV week with every audit PASS and at most one driver above the lower bound', () => {
    const tours = expandWeek(
      parseForecastCsv(readFileSync(path.join(FIX, 'forecast_ci_test.csv'), 'utf8')).tours,
      '2026-W03',
    ).tours;
    const { r, audits } = auditsOf(tours);
    assert.ok(audits.every((a) => a.status === 'PASS'));
    assert.ok(r.headcount <= r.lower_bound.value + 1, `${r.headcount} vs bound ${r.lower_bound.value}`);
  });

  it('plans no changeover under the minimum pause and no tour inside a split break', () => {
    // Without the rule one driver would take 06-10 and 10-14 (0 min) and 10:00-14:30 inside the split.
    const tours = weekOf(
      [
        'Mo 06:00-10:00',
        'Mo 10:00-14:00',
        'Mo 10:15-13:00',
        'Di 06:00-10:00 + 15:00-19:00',
        'Di 10:00-14:30',
      ].join('\n'),
    );
    const r = solve(tours);
    const plan = { tours, assignments: r.assignments };
    const gaps = changeoverGaps(plan);
    assert.ok(
      gaps.every((g) => g >= 30),
      `gaps ${gaps}`,
    );
    assert.equal(runAudits(plan, { second_hash: 'x', output_hash: 'x' })[1]!.status, 'PASS');
    const driverOf = (id: string) => r.assignments.find((a) => a.tour_id === id)!.driver_id;
    assert.notEqual(driverOf('T0004'), driverOf('T0005'), 'the split break is reserved');
    // With a 0-minute pause the first two tours may share a driver; the split break stays reserved.
    const loose = solve(tours, { rules: { minPauseMinutes: 0 } });
    assert.notEqual(loose.config_hash, r.config_hash, 'the pause is part of the config behind output_hash');
    const looseDriver = (id: string) => loose.assignments.find((a) => a.tour_id === id)!.driver_id;
    assert.notEqual(looseDriver('T0004'), looseDriver('T0005'));
  });

  it('the Wien-size bench week needs at most 3 % above its pause-aware lower bound, every audit PASS, no changeover under 30 min', function () {
    this.timeout(120_000);
    const g = generateForecast('2026-W03');
    const tours = expandWeek(parseForecast(g.text).tours, '2026-W03').tours;
    const { r, audits } = auditsOf(tours);
    assert.deepEqual(
      audits.filter((a) => a.status !== 'PASS').map((a) => a.check_name),
      [],
    );
    assert.ok(r.headcount <= r.lower_bound.value * 1.03, `${r.headcount} vs bound ${r.lower_bound.value}`);
    const gaps = changeoverGaps({ tours, assignments: r.assignments });
    assert.equal(gaps.filter((x) => x < 30).length, 0);
  });

  it('computes the lower bound parts', () => {
    const tours = weekOf('Mo 06:00-14:00 4 Fahrer\nMo 20:00-23:00\nDi 06:00-10:00');
    const lb = lowerBound(tours);
    assert.equal(lb.peak_concurrent_tours, 4);
    // At Tue 06:00 one tour runs; the Monday 20:00-23:00 driver cannot start before Tue 10:00.
    assert.ok(lb.peak_with_rest >= 4);
    assert.equal(lb.daily_tours, 2);
    assert.equal(
      lb.value,
      Math.max(
        lb.peak_concurrent_tours,
        lb.peak_with_pause,
        lb.peak_with_rest,
        lb.weekly_hours,
        lb.daily_tours,
      ),
    );
    // Back-to-back tours need two drivers under the 30-minute pause; a tour in a split break too.
    assert.equal(lowerBound(weekOf('Mo 06:00-10:00\nMo 10:15-14:00')).peak_with_pause, 2);
    assert.equal(lowerBound(weekOf('Mo 06:00-10:00\nMo 10:15-14:00')).peak_concurrent_tours, 1);
    assert.equal(lowerBound(weekOf('Mo 06:00-10:00 + 15:00-19:00\nMo 11:00-14:00')).value, 2);
    // Rest: a Monday tour ending exactly 11 h before a Tuesday start leaves one driver enough.
    assert.equal(lowerBound(weekOf('Mo 10:00-19:00\nDi 06:00-08:00')).peak_with_rest, 1);
    assert.equal(lowerBound(weekOf('Mo 10:00-19:15\nDi 06:00-08:00')).peak_with_rest, 2);
  });

  it('reports tours that break a hard limit alone as ERR_SOLVE_002 and plans the rest', () => {
    const tours = weekOf('Mo 06:00-14:00\nMi 04:00-19:30\nDo 05:00-09:00 + 18:00-22:00');
    const r = solve(tours);
    assert.equal(r.status, 'ERROR');
    assert.equal(r.error_code, 'ERR_SOLVE_002');
    assert.deepEqual(
      r.uncovered.map((u) => [u.tour_id, u.line]),
      [
        ['T0002', 2],
        ['T0003', 3],
      ],
    );
    assert.match(r.error_message!, /line 2/);
    assert.deepEqual(
      r.assignments.map((a) => a.tour_id),
      ['T0001'],
    );
  });

  it('returns the plan so far with ERR_SOLVE_001 when the time limit is hit', () => {
    const g = generateForecast('2026-W03', { targetTours: 300 });
    const r = solve(weekOf(g.text), { timeLimitMs: 0 });
    assert.equal(r.error_code, 'ERR_SOLVE_001');
    assert.equal(r.timed_out, true);
    assert.equal(
      new Set(r.assignments.map((a) => a.tour_id)).size,
      g.tourCount,
      'every tour still has a driver',
    );
  });

  it('solves the golden gurkerl_small input and it passes all audits', () => {
    const input = readFileSync(path.join(FIX, 'golden/gurkerl_small/input.json'), 'utf8');
    const expected = JSON.parse(
      readFileSync(path.join(FIX, 'golden/gurkerl_small/expected/audits.json'), 'utf8'),
    );
    const parsed = parseForecastJson(input);
    assert.equal(parsed.config?.max_weekly_hours, 55);
    const tours = expandWeek(parsed.tours, '2026-W02').tours;
    const r = solve(tours, { seed: 94 });
    const audits = runAudits(
      { tours, assignments: r.assignments, output_hash: r.output_hash },
      { resolve: () => solve(tours, { seed: 94 }).output_hash },
    );
    assert.ok(Object.values(expected).every((v) => v === 'PASS'));
    assert.deepEqual(
      audits.filter((a) => a.status !== 'PASS'),
      [],
    );
    const kpis = computeKpis({ tours, assignments: r.assignments });
    assert.equal(kpis.coverage_percent, 100);
    assert.ok(kpis.max_weekly_hours <= 55);
  });

  it('balances hours: part-timers only when total work cannot make everyone full-time', () => {
    const g = generateForecast('2026-W04');
    const run = solveForecast(g.text, { week: '2026-W04', checkReproducibility: false });
    const k = run.kpis;
    assert.deepEqual(
      run.audit_results.filter((a) => a.status !== 'PASS').map((a) => a.check_name),
      ['Reproducibility'],
    );
    const possibleFt = Math.floor((k.avg_weekly_hours * k.headcount) / 40);
    assert.ok(k.headcount - k.pt_count >= Math.min(k.headcount, possibleFt) - 2, JSON.stringify(k));
  });

  describe('properties', () => {
    const line = fc
      .record({
        day: fc.constantFrom('Mo', 'Di', 'Mi', 'Do', 'Fr', 'Sa', 'So'),
        start: fc.integer({ min: 0, max: 95 }),
        len: fc.integer({ min: 4, max: 60 }),
        split: fc.option(
          fc.record({ gap: fc.integer({ min: 1, max: 24 }), len: fc.integer({ min: 4, max: 24 }) }),
          { nil: undefined },
        ),
        count: fc.integer({ min: 1, max: 4 }),
      })
      .map(({ day, start, len, split, count }) => {
        const q = (x: number) => {
          const m = (((x * 15) % 1440) + 1440) % 1440;
          return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
        };
        const a = `${q(start)}-${q(start + len)}`;
        const b = split ? ` + ${q(start + len + split.gap)}-${q(start + len + split.gap + split.len)}` : '';
        return `${day} ${a}${b} ${count} Fahrer`;
      });

    /** Checks `check` on random weeks (up to `lines` forecast lines) and seeds. */
    const forRandomWeeks = (
      lines: number,
      numRuns: number,
      check: (tours: TourInstance[], seed: number) => void,
    ) =>
      fc.assert(
        fc.property(
          fc.array(line, { minLength: 1, maxLength: lines }),
          fc.integer({ min: 0, max: 1000 }),
          (ls, seed) => check(weekOf(ls.join('\n')), seed),
        ),
        { numRuns },
      );

    it('the lower bound equals its definition counted out moment by moment', () => {
      // The definition, directly: the most spans open at one of their starts (half-open spans).
      const peak = (spans: { start: number; end: number }[]) =>
        Math.max(0, ...spans.map((s) => spans.filter((o) => o.start <= s.start && s.start < o.end).length));
      const reference = (tours: TourInstance[], pause: number, rest: number) => {
        const occupied = (t: TourInstance) => ({ start: t.start, end: t.end + pause });
        let restPeak = 0;
        for (const m of new Set(tours.map((t) => t.start))) {
          const day = Math.floor(m / 1440) + 1;
          const on = (d: number) => tours.filter((t) => t.day === d);
          const today = on(day).filter((t) => t.start <= m && m < t.end + pause).length;
          const running = [...on(day), ...on(day - 1)].filter((t) => t.start <= m && m < t.end).length;
          const before = peak(
            on(day - 1)
              .filter((t) => t.end > m - rest)
              .map(occupied),
          );
          const after = peak(
            on(day + 1)
              .filter((t) => t.start < m + rest)
              .map(occupied),
          );
          restPeak = Math.max(restPeak, today + before, running + after);
        }
        return {
          peak: peak(tours.flatMap((t) => t.parts)),
          pause: peak(tours.map(occupied)),
          rest: restPeak,
        };
      };
      fc.assert(
        fc.property(
          fc.array(line, { minLength: 1, maxLength: 30 }),
          // Quarter hours like the tours' times, so that ends meet starts and rest limits often.
          fc.integer({ min: 0, max: 6 }).map((q) => q * 15),
          fc.integer({ min: 0, max: 60 }).map((q) => q * 15),
          (ls, pause, rest) => {
            const tours = weekOf(ls.join('\n'));
            const lb = lowerBound(tours, { ...DEFAULT_RULES, minPauseMinutes: pause, minRestMinutes: rest });
            const want = reference(tours, pause, rest);
            assert.deepEqual(
              { peak: lb.peak_concurrent_tours, pause: lb.peak_with_pause, rest: lb.peak_with_rest },
              want,
            );
          },
        ),
        { numRuns: 150 },
      );
    });

    it('every plan the solver returns passes every audit its constraints promise', () => {
      forRandomWeeks(25, 60, (tours, seed) => {
        const r = solve(tours, { seed });
        assertAuditsPass(tours, r);
        assert.ok(r.headcount >= r.lower_bound.value || r.uncovered.length === tours.length);
        assert.equal(solve(tours, { seed }).output_hash, r.output_hash);
      });
    });

    it('the candidate index picks the same driver for every tour as trying every driver', () => {
      forRandomWeeks(40, 80, (tours, seed) =>
        // Budget 0: the plan is the first plan as built, so equal plans mean equal choices.
        assertSamePlan(
          solve(tours, { seed, searchBudget: 0 }),
          solve(tours, { seed, searchBudget: 0, constructionScan: 'full' }),
        ),
      );
    });

    it("the search's candidate lists make the same moves as trying every driver, all legal", () => {
      forRandomWeeks(40, 80, (tours, seed) => {
        const indexed = solve(tours, { seed });
        assertSamePlan(indexed, solve(tours, { seed, searchScan: 'full' }));
        assertAuditsPass(tours, indexed);
      });
    });
  });

  it("the search's candidate lists agree with trying every driver on a Wien week and its doubled copy", function () {
    this.timeout(120_000);
    const text = generateForecast('2026-W10').text;
    const doubled = `${text}\n${text.replace(/Depot (\S+)/g, (_, d) => `Depot ${d}2`)}`;
    for (const tours of [weekOf(text), weekOf(doubled)]) {
      const indexed = solve(tours);
      const full = solve(tours, { searchScan: 'full' });
      assert.equal(indexed.output_hash, full.output_hash);
      // A move asks the few drivers whose free windows hold the work, not all of them.
      assert.ok(indexed.checks * 10 < full.checks, `${indexed.checks} vs ${full.checks}`);
    }
  });

  it('rule checks grow near-linearly: the bench week twice and four times over (depots renamed)', function () {
    this.timeout(120_000);
    const text = generateForecast('2026-W03').text;
    const copies = (k: number) =>
      weekOf(
        Array.from({ length: k }, (_, i) =>
          i === 0 ? text : text.replace(/Depot (\S+)/g, (_, d) => `Depot ${d}${i + 1}`),
        ).join('\n'),
      );
    const [one, two, four] = [1, 2, 4].map((k) => solve(copies(k)));
    assert.ok(two!.checks <= 2.25 * one!.checks, `2x: ${two!.checks} vs ${one!.checks}`);
    assert.ok(four!.checks <= 4.5 * one!.checks, `4x: ${four!.checks} vs ${one!.checks}`);
    // Same quality at every size: the copies need exactly their bound.
    for (const r of [one, two, four]) assert.equal(r!.headcount, r!.lower_bound.value);
  });

  it('the candidate index agrees with the full scan on a Wien week and its doubled copy', function () {
    this.timeout(120_000);
    const text = generateForecast('2026-W10').text;
    const doubled = `${text}\n${text.replace(/Depot (\S+)/g, (_, d) => `Depot ${d}2`)}`;
    for (const tours of [weekOf(text), weekOf(doubled)]) {
      const indexed = solve(tours, { searchBudget: 0 });
      const full = solve(tours, { searchBudget: 0, constructionScan: 'full' });
      assert.equal(indexed.output_hash, full.output_hash);
      assert.equal(indexed.headcount, full.headcount);
      // The index asks a few drivers per tour, not all of them.
      assert.ok(indexed.checks * 5 < full.checks, `${indexed.checks} vs ${full.checks}`);
    }
  });
});
