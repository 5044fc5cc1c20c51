import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderReportHtml } from '../../../src/reports/html';
import { renderReportMarkdown } from '../../../src/reports/markdown';
import {
  axisTicks,
  buildTimelineReport,
  driverAccessibleLabel,
  filterTimeline,
  rowWindow,
  scrollTopFor,
  type TimelineBlock,
  timelineSummaryTable,
  tourAccessibleLabel,
  tourTimeText,
  WEEK_MINUTES,
} from '../../../src/reports/timeline';
import { parseHostMessage } from '../../../src/webviews/protocol';

const DAY = 1440;
const at = (day: number, h: number, m = 0) => (day - 1) * DAY + h * 60 + m;

/** D2: a Tuesday split tour with an Overlap FAIL and a Sunday night tour; D10: a Monday tour, a
 * driver-level WARN; D017: a Wednesday tour in Süd. */
function block(): TimelineBlock {
  return {
    kind: 'timeline',
    id: 'roster',
    caption: 'Roster timeline of RUN-1',
    runId: 'RUN-1',
    week: '2026-W03',
    monday: '2026-01-12',
    timed: true,
    planFile: 'plan.json',
    violations: [
      { audit: 'Overlap', status: 'FAIL', message: 'D2 overlaps', code: 'ERR_AUDIT_002' },
      { audit: 'Fatigue', status: 'WARN', message: 'D10 is tired' },
      { audit: 'Reproducibility', status: 'FAIL', message: 'hash mismatch' },
    ],
    unplaced: [2],
    drivers: [
      {
        id: 'D2',
        workMinutes: 16 * 60,
        tours: [
          {
            id: 'T0003',
            day: 2,
            parts: [
              [at(2, 6), at(2, 10)],
              [at(2, 15), at(2, 19)],
            ],
            depot: 'Nord',
            line: 4,
            v: [0],
          },
          { id: 'T0004', day: 7, parts: [[at(7, 22), at(8, 6)]], depot: 'Nord', line: 5 },
        ],
      },
      {
        id: 'D10',
        workMinutes: 480,
        v: [1],
        tours: [{ id: 'T0001', day: 1, parts: [[at(1, 6), at(1, 14)]], depot: 'Nord', line: 2 }],
      },
      {
        id: 'D017',
        workMinutes: 480,
        tours: [{ id: 'T0123', day: 3, parts: [[at(3, 6), at(3, 14)]], depot: 'Süd', line: 9 }],
      },
    ],
    facets: {
      days: [1, 2, 3, 7],
      depots: ['Nord', 'Süd'],
      audits: [
        { name: 'Overlap', status: 'FAIL', count: 1 },
        { name: 'Fatigue', status: 'WARN', count: 1 },
      ],
    },
  };
}

describe('roster timeline: labels', () => {
  const b = block();

  it('names a tour for a screen reader: driver, day and times, depot, tour, its violations', () => {
    const t = {
      ...b.drivers[2]!.tours[0]!,
      day: 2,
      parts: [[at(2, 6), at(2, 14)]] as [number, number][],
      v: [0],
      depot: 'Nord',
    };
    assert.equal(
      tourAccessibleLabel(b, b.drivers[2]!, t),
      'D017, Tuesday 06:00–14:00 Depot Nord, tour T0123, Overlap FAIL',
    );
  });

  it('says a split tour’s break, a night tour’s next day, and an end at midnight as 24:00', () => {
    assert.equal(
      tourTimeText(b.drivers[0]!.tours[0]!),
      'Tuesday 06:00–10:00, break 10:00–15:00, 15:00–19:00',
    );
    assert.equal(tourTimeText(b.drivers[0]!.tours[1]!), 'Sunday 22:00–Monday 06:00');
    assert.equal(tourTimeText({ id: 'x', day: 1, parts: [[at(1, 16), at(2, 0)]] }), 'Monday 16:00–24:00');
    assert.equal(tourTimeText({ id: 'x', day: 4 }), 'Thursday, time not in the evidence');
    assert.match(tourAccessibleLabel(b, b.drivers[0]!, b.drivers[0]!.tours[0]!), /, split, Overlap FAIL$/);
  });

  it('names a driver row with its tours, hours and violations (its own and its tours’)', () => {
    assert.equal(
      driverAccessibleLabel(b, b.drivers[0]!),
      'Driver D2, 2 tours, 16 h, 1 violation: Overlap FAIL',
    );
    assert.equal(
      driverAccessibleLabel(b, b.drivers[1]!),
      'Driver D10, 1 tour, 8 h, 1 violation: Fatigue WARN',
    );
    assert.equal(driverAccessibleLabel(b, b.drivers[2]!), 'Driver D017, 1 tour, 8 h');
  });
});

describe('roster timeline: filters', () => {
  const b = block();
  const ids = (f: ReturnType<typeof filterTimeline>) =>
    f.rows.map(
      (r) => `${b.drivers[r.driver]!.id}:${r.tours.map((t) => b.drivers[r.driver]!.tours[t]!.id).join('+')}`,
    );

  it('shows everything without a filter, over the week and on to the end of the last night tour', () => {
    const f = filterTimeline(b);
    assert.deepEqual(ids(f), ['D2:T0003+T0004', 'D10:T0001', 'D017:T0123']);
    assert.deepEqual(f.range, [0, WEEK_MINUTES + 6 * 60]);
    assert.equal(f.tours, 4);
    // The unplaced violation is not on the timeline.
    assert.equal(f.violations, 2);
  });

  it('filters drivers by part of their id, ignoring case and blanks', () => {
    assert.deepEqual(ids(filterTimeline(b, { driver: ' d01 ' })), ['D017:T0123']);
    assert.deepEqual(ids(filterTimeline(b, { driver: '1' })), ['D10:T0001', 'D017:T0123']);
    assert.deepEqual(ids(filterTimeline(b, { driver: 'nobody' })), []);
  });

  it("a day keeps that day's tours and narrows the axis to it (and past midnight for night tours)", () => {
    const tue = filterTimeline(b, { day: 2 });
    assert.deepEqual(ids(tue), ['D2:T0003']);
    assert.deepEqual(tue.range, [DAY, 2 * DAY]);
    const sun = filterTimeline(b, { day: 7 });
    assert.deepEqual(sun.range, [6 * DAY, 7 * DAY + 6 * 60]);
  });

  it('a depot keeps its tours; drivers with none there drop out', () => {
    assert.deepEqual(ids(filterTimeline(b, { depot: 'Süd' })), ['D017:T0123']);
  });

  it('a violation filter keeps tours with that audit, and drivers whose own violation matches', () => {
    assert.deepEqual(ids(filterTimeline(b, { audit: 'Overlap' })), ['D2:T0003']);
    const fatigue = filterTimeline(b, { audit: 'Fatigue' });
    assert.deepEqual(ids(fatigue), ['D10:']);
    assert.equal(fatigue.violations, 1);
    assert.deepEqual(ids(filterTimeline(b, { audit: '*' })), ['D2:T0003', 'D10:']);
  });

  it('combines filters', () => {
    // A driver's own violation (weekly, no day or depot) does not match a day or depot filter.
    assert.deepEqual(ids(filterTimeline(b, { audit: '*', day: 7 })), []);
    assert.deepEqual(ids(filterTimeline(b, { audit: 'Fatigue', depot: 'Nord' })), []);
    assert.deepEqual(ids(filterTimeline(b, { depot: 'Nord', driver: 'D2' })), ['D2:T0003+T0004']);
  });
});

describe('roster timeline: the virtualised window', () => {
  const base = { viewportHeight: 300, rowHeight: 30, rowCount: 150, overscan: 8 };

  it('renders the rows in view plus the overscan at the top, middle and bottom', () => {
    assert.deepEqual(rowWindow({ ...base, scrollTop: 0 }), {
      first: 0,
      last: 18,
      firstVisible: 0,
      lastVisible: 10,
      totalHeight: 4500,
    });
    const mid = rowWindow({ ...base, scrollTop: 1515 });
    assert.deepEqual([mid.firstVisible, mid.lastVisible, mid.first, mid.last], [50, 61, 42, 69]);
    // Scrolled past the end (elastic scrolling) clamps to the last page.
    const end = rowWindow({ ...base, scrollTop: 99999 });
    assert.deepEqual([end.firstVisible, end.lastVisible, end.first, end.last], [140, 150, 132, 150]);
  });

  it('handles no rows and a view taller than the content', () => {
    assert.deepEqual(rowWindow({ ...base, rowCount: 0, scrollTop: 0 }), {
      first: 0,
      last: 0,
      firstVisible: 0,
      lastVisible: 0,
      totalHeight: 0,
    });
    const few = rowWindow({ ...base, rowCount: 4, scrollTop: 50 });
    assert.deepEqual([few.first, few.last], [0, 4]);
  });

  it('always covers the rows in view and never more than view + 2 × overscan rows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 1, max: 2000 }),
        fc.integer({ min: 10, max: 60 }),
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: -100, max: 20000 }),
        (rowCount, viewportHeight, rowHeight, overscan, scrollTop) => {
          const w = rowWindow({ rowCount, viewportHeight, rowHeight, overscan, scrollTop });
          const top = Math.min(Math.max(0, scrollTop), Math.max(0, rowCount * rowHeight - viewportHeight));
          for (let i = 0; i < rowCount; i++) {
            const inView = i * rowHeight < top + viewportHeight && (i + 1) * rowHeight > top;
            if (inView) assert.ok(i >= w.first && i < w.last, `row ${i} in view but not rendered`);
          }
          assert.ok(w.first >= 0 && w.last <= rowCount && w.first <= w.last);
          assert.ok(w.last - w.first <= Math.ceil(viewportHeight / rowHeight) + 1 + 2 * overscan);
        },
      ),
    );
  });

  it('scrolls a row into view only as far as needed', () => {
    const v = { scrollTop: 300, viewportHeight: 300, rowHeight: 30 };
    assert.equal(scrollTopFor(12, v), 300, 'already in view');
    assert.equal(scrollTopFor(5, v), 150, 'above: aligned to the top');
    assert.equal(scrollTopFor(25, v), 480, 'below: aligned to the bottom');
  });
});

describe('roster timeline: axis', () => {
  it('labels each day of the week with its date and the 6-hour marks between', () => {
    const ticks = axisTicks([0, WEEK_MINUTES], '2026-01-12');
    const majors = ticks.filter((t) => t.major && t.label).map((t) => `${t.label} ${t.date}`);
    assert.deepEqual(majors, [
      'Mo 12.01.',
      'Di 13.01.',
      'Mi 14.01.',
      'Do 15.01.',
      'Fr 16.01.',
      'Sa 17.01.',
      'So 18.01.',
    ]);
    assert.deepEqual(
      ticks.filter((t) => !t.major && t.at < DAY).map((t) => t.label),
      ['06', '12', '18'],
    );
    assert.equal(ticks.at(-1)!.pct, 100);
  });

  it('leaves the boundary just before the end unlabelled (a night tour’s next Monday)', () => {
    const ticks = axisTicks([0, WEEK_MINUTES + 360], '2026-01-12');
    assert.equal(ticks.find((t) => t.at === WEEK_MINUTES)?.label, undefined);
  });

  it('shows a single day by the hour, labelled every two hours', () => {
    const ticks = axisTicks([DAY, 2 * DAY + 120]);
    assert.equal(ticks.length, 27);
    assert.deepEqual(
      ticks.slice(0, 5).map((t) => t.label),
      ['Di', undefined, '02:00', undefined, '04:00'],
    );
  });
});

describe('roster timeline: report and export', () => {
  it('builds a report whose status is the worst violation, with the timeline block valid for the webview', () => {
    const doc = buildTimelineReport({
      block: block(),
      generatedAt: '2026-01-20T10:00:00Z',
      source: 'sandbox',
    });
    assert.equal(doc.kind, 'timeline');
    assert.deepEqual(doc.status, { label: 'FAIL', tone: 'fail' });
    assert.equal(doc.sections[0]!.blocks[0]!.kind, 'timeline');
    const pre = doc.sections[1]!.blocks.find((x) => x.kind === 'pre');
    assert.match(pre && pre.kind === 'pre' ? pre.text : '', /^Reproducibility FAIL: hash mismatch$/);
    assert.ok(parseHostMessage({ type: 'render', doc }), 'the webview accepts the document');
    const broken = structuredClone(doc);
    (broken.sections[0]!.blocks[0] as unknown as { drivers: { tours: { day: unknown }[] }[] }).drivers[0]!
      .tours[0]!.day = 'Tuesday';
    assert.equal(parseHostMessage({ type: 'render', doc: broken }), undefined, 'a malformed tour is refused');
  });

  it('says so when the tours come from the plan only', () => {
    const doc = buildTimelineReport({ block: { ...block(), timed: false }, generatedAt: 'now' });
    const [notice, timeline] = doc.sections[0]!.blocks;
    assert.equal(notice!.kind, 'notice');
    assert.equal(timeline!.kind, 'timeline', 'the notice stands above the timeline');
    assert.match(notice!.kind === 'notice' ? notice!.text : '', /no input forecast/);
  });

  it('exports one text row per driver, escaped in markdown and HTML', () => {
    const b = block();
    b.drivers[2]!.id = 'D<b>|9';
    const table = timelineSummaryTable(b);
    assert.deepEqual(
      table.rows.map((r) => r.cells.map((c) => c.text)),
      [
        [
          'D2',
          '2',
          '16 h',
          'Di 06:00-10:00+15:00-19:00 Nord T0003; So 22:00-06:00 Nord T0004',
          'Overlap FAIL',
        ],
        ['D10', '1', '8 h', 'Mo 06:00-14:00 Nord T0001', 'Fatigue WARN'],
        ['D<b>|9', '1', '8 h', 'Mi 06:00-14:00 Süd T0123', '—'],
      ],
    );
    const doc = buildTimelineReport({ block: b, generatedAt: 'now' });
    const md = renderReportMarkdown(doc);
    assert.ok(
      md.includes(
        '| `D2` | 2 | 16 h | `Di 06:00-10:00+15:00-19:00 Nord T0003; So 22:00-06:00 Nord T0004` | Overlap FAIL |',
      ),
      md,
    );
    // In a code span the tag stays text; the pipe cannot end the cell.
    assert.ok(md.includes('| `D<b>\\|9` |'), md);
    const html = renderReportHtml(doc);
    assert.ok(html.includes('D&lt;b&gt;|9') && !html.includes('<b>|9'));
  });
});
