import assert from 'node:assert/strict';
import { assignLanes, buildTimeline, timelineSummary } from '../../../src/evidence/timeline';
import type { TimelineTour } from '../../../src/reports/timeline';
import { runAudits } from '../../../src/roster/audits';
import { parseForecast } from '../../../src/roster/forecast';
import type { AuditResult } from '../../../src/roster/types';
import { expandWeek } from '../../../src/roster/week';

const WEEK = '2026-W03';
const FORECAST = [
  '# Week: 2026-W03',
  'Mo 06:00-14:00 Depot Nord',
  'Mo 12:00-20:00 Depot Süd',
  'Di 06:00-10:00 + 15:00-19:00 Depot Nord',
  'So 22:00-06:00 Depot Nord',
  'Mi 08:00-16:00 Depot Süd',
  '',
].join('\n');
const tours = expandWeek(parseForecast(FORECAST).tours, WEEK).tours;
// T0001 Mo line 2, T0002 Mo line 3 (overlaps T0001), T0003 Di split line 4, T0004 So night line 5,
// T0005 Mi line 6 (nobody gets it).
const assignments = [
  { driver_id: 'D10', tour_id: 'T0001', day: 1 },
  { driver_id: 'D10', tour_id: 'T0002', day: 1 },
  { driver_id: 'D2', tour_id: 'T0004', day: 7 },
  { driver_id: 'D2', tour_id: 'T0003', day: 2 },
];
const weekly: AuditResult = {
  check_name: 'Fatigue',
  status: 'WARN',
  violation_count: 1,
  details: { message: '1 driver', violations: [{ message: 'Driver D2 works too much.', driver_id: 'D2' }] },
};
const audits = [...runAudits({ tours, assignments, output_hash: 'h' }, { second_hash: 'h' }), weekly];
const files = new Map([['plan.json', Buffer.from('')]]);
const ev = {
  runId: 'RUN-20260112-001',
  week: WEEK,
  forecast: { name: 'input/forecast.txt', text: FORECAST },
  plan: { assignments },
  audits,
  files,
};

describe('roster timeline: built from a run’s evidence', () => {
  const b = buildTimeline(ev);
  const row = (id: string) => b.drivers.find((d) => d.id === id)!;

  it('has one row per driver in natural order, the unassigned tours first', () => {
    assert.deepEqual(
      b.drivers.map((d) => [d.id, !!d.unassigned]),
      [
        ['Unassigned', true],
        ['D2', false],
        ['D10', false],
      ],
    );
    assert.equal(b.timed, true);
    assert.equal(b.week, WEEK);
    assert.equal(b.monday, '2026-01-12');
    assert.equal(b.planFile, 'plan.json');
    assert.match(b.caption, /2 drivers, one row each, and 1 unassigned tours/);
  });

  it('places each tour in the week from the input: day, absolute minutes, split parts, depot, line', () => {
    const d2 = row('D2');
    // Sorted by start: Tuesday's split tour before Sunday's night tour (the plan listed them the other way).
    assert.deepEqual(
      d2.tours.map((t) => [t.id, t.day, t.parts, t.depot, t.line]),
      [
        [
          'T0003',
          2,
          [
            [1800, 2040],
            [2340, 2580],
          ],
          'Nord',
          4,
        ],
        ['T0004', 7, [[9960, 10440]], 'Nord', 5],
      ],
    );
    // 4 h + 4 h + 8 h: the split break does not count.
    assert.equal(d2.workMinutes, 16 * 60);
    assert.equal(row('D10').workMinutes, 16 * 60);
  });

  it('puts an Overlap violation on both tours of its driver, with audit, status and runbook code', () => {
    const [t1, t2] = row('D10').tours;
    assert.equal(t1!.v?.length, 1);
    assert.deepEqual(t1!.v, t2!.v);
    const v = b.violations[t1!.v![0]!]!;
    assert.equal(v.audit, 'Overlap');
    assert.equal(v.status, 'FAIL');
    assert.equal(v.code, 'ERR_AUDIT_002');
    assert.match(v.message, /D10 has T0001/);
    assert.equal(row('D10').v, undefined, 'a violation on tours is not also on the driver');
  });

  it('draws overlapping tours on two lanes; a tour that overlaps nothing keeps the whole row', () => {
    const [t1, t2] = row('D10').tours;
    assert.deepEqual([t1!.lane, t1!.lanes, t2!.lane, t2!.lanes], [0, 2, 1, 2]);
    for (const t of row('D2').tours) assert.deepEqual([t.lane, t.lanes], [undefined, undefined]);
  });

  it('puts a violation that names only a driver on the driver, and a Coverage gap on the unassigned tour', () => {
    const d2 = row('D2');
    assert.equal(d2.v?.length, 1);
    assert.deepEqual(b.violations[d2.v![0]!], {
      audit: 'Fatigue',
      status: 'WARN',
      message: 'Driver D2 works too much.',
    });
    const un = row('Unassigned');
    assert.deepEqual(
      un.tours.map((t) => t.id),
      ['T0005'],
    );
    assert.equal(b.violations[un.tours[0]!.v![0]!]!.audit, 'Coverage');
    assert.equal(b.unplaced, undefined);
  });

  it('lists the facets: days, depots and audits with their counts, FAIL before WARN as the run ordered them', () => {
    assert.deepEqual(b.facets, {
      days: [1, 2, 3, 7],
      depots: ['Nord', 'Süd'],
      audits: [
        { name: 'Coverage', status: 'FAIL', count: 1 },
        { name: 'Overlap', status: 'FAIL', count: 1 },
        { name: 'Fatigue', status: 'WARN', count: 1 },
      ],
    });
    assert.deepEqual(
      {
        drivers: timelineSummary(b).drivers,
        rows: timelineSummary(b).rows,
        tours: timelineSummary(b).tours,
        unassigned: timelineSummary(b).unassigned,
        violations: timelineSummary(b).violations,
      },
      { drivers: 2, rows: 3, tours: 5, unassigned: 1, violations: 3 },
    );
  });

  it("without an input forecast (live): tours by id on the plan's day, no times, findings from free-form details", () => {
    const live = buildTimeline({
      runId: 'RUN-LIVE-1',
      week: WEEK,
      plan: {
        assignments: [
          { driver_id: 'D1', tour_id: 'T7', day: 3 },
          { driver_id: 'D1', tour_id: 'T8' },
        ],
        uncovered: [{ tour_id: 'T9', day: 5 }],
      },
      audits: [
        {
          check_name: 'Rest',
          status: 'FAIL',
          violation_count: 1,
          details: { message: 'Rest too short', drivers: ['D1'] } as never,
        },
        {
          check_name: 'Overlap',
          status: 'FAIL',
          violation_count: 2,
          details: { message: 'Overlaps' } as never,
        },
      ],
      files: new Map([['run/plan.json', Buffer.from('')]]),
    });
    assert.equal(live.timed, false);
    assert.equal(live.planFile, 'run/plan.json');
    const d1 = live.drivers.find((d) => d.id === 'D1')!;
    assert.deepEqual(
      d1.tours.map((t) => [t.id, t.day, t.parts, t.line]),
      [
        ['T8', 0, undefined, undefined],
        ['T7', 3, undefined, undefined],
      ],
    );
    assert.equal(d1.workMinutes, undefined);
    assert.equal(live.violations[d1.v![0]!]!.audit, 'Rest');
    assert.deepEqual(
      live.drivers[0]!.tours.map((t) => [t.id, t.day]),
      [['T9', 5]],
    );
    // A count with nothing named stays one violation the timeline cannot place.
    assert.equal(live.unplaced?.length, 1);
    assert.match(live.violations[live.unplaced![0]!]!.message, /Overlaps|not itemised/);
    // …and it is no filter choice: selecting it would show nothing.
    assert.deepEqual(live.facets.audits, [{ name: 'Rest', status: 'FAIL', count: 1 }]);
  });

  it('refuses a run without a plan (an ERROR run), with its error', () => {
    assert.throws(
      () =>
        buildTimeline({
          runId: 'RUN-E',
          plan: null,
          error: { error_code: 'ERR_SOLVE_001', message: 'timeout after 300 s' },
        } as never),
      /^Error: RUN-E has no plan in its evidence \(the run ended in ERR_SOLVE_001: timeout after 300 s\)/,
    );
  });

  it('keeps a tour the input does not know on the plan’s day (what Coverage reports)', () => {
    const b2 = buildTimeline({
      ...ev,
      plan: { assignments: [...assignments, { driver_id: 'D3', tour_id: 'T9999', day: 4 }] },
    });
    const d3 = b2.drivers.find((d) => d.id === 'D3')!;
    assert.deepEqual(
      d3.tours.map((t) => [t.id, t.day, t.parts]),
      [['T9999', 4, undefined]],
    );
  });
});

describe('roster timeline: lanes for overlapping tours', () => {
  const tour = (id: string, s: number, e: number): TimelineTour => ({ id, day: 1, parts: [[s, e]] });

  it('gives a group of overlapping tours as many lanes as it needs, and each later group its own count', () => {
    const ts = [
      tour('a', 0, 100),
      tour('b', 50, 150),
      tour('c', 60, 70),
      tour('d', 200, 300),
      tour('e', 400, 500),
      tour('f', 450, 460),
    ];
    assert.equal(assignLanes(ts), 3);
    assert.deepEqual(
      ts.map((t) => [t.id, t.lane, t.lanes]),
      [
        ['a', 0, 3],
        ['b', 1, 3],
        ['c', 2, 3],
        ['d', undefined, undefined],
        ['e', 0, 2],
        ['f', 1, 2],
      ],
    );
  });

  it('shares lanes beyond the maximum (the lane that frees first)', () => {
    const ts = [tour('a', 0, 100), tour('b', 0, 90), tour('c', 0, 80)];
    assert.equal(assignLanes(ts, 2), 2);
    assert.deepEqual(
      ts.map((t) => t.lane),
      [0, 1, 1],
    );
  });

  it('does not treat back-to-back tours as overlapping', () => {
    const ts = [tour('a', 0, 100), tour('b', 100, 200)];
    assert.equal(assignLanes(ts), 1);
    assert.deepEqual(
      ts.map((t) => t.lanes),
      [undefined, undefined],
    );
  });
});
