import assert from 'node:assert/strict';
import { buildDriftReport, type TrendPoint } from '../../../src/reports/drift';
import { buildFireDrillReport } from '../../../src/reports/fireDrills';
import { type Block, type ReportDoc, ReportDoc as ReportDocSchema } from '../../../src/reports/model';
import { drift, drills, NOW } from './fixtures';

const blocks = (doc: ReportDoc) => doc.sections.flatMap((s) => s.blocks);
function find<K extends Block['kind']>(doc: ReportDoc, kind: K, id?: string): Extract<Block, { kind: K }> {
  const b = blocks(doc).find((x) => x.kind === kind && (!id || ('id' in x && x.id === id)));
  if (!b) throw new Error(`no ${kind} ${id ?? ''}`);
  return b as Extract<Block, { kind: K }>;
}

const trend: TrendPoint[] = [
  {
    run_id: 'RUN-A',
    week_id: '2026-W43',
    timestamp: '1',
    status: 'PASS',
    headcount: 144,
    coverage_percent: 100,
    fte_ratio: 0.99,
  },
  {
    run_id: 'RUN-B',
    week_id: '2026-W44',
    timestamp: '2',
    status: 'PASS',
    headcount: 145,
    coverage_percent: 100,
    fte_ratio: 0.98,
  },
  {
    run_id: 'RUN-C',
    week_id: '2026-W45',
    timestamp: '3',
    status: 'WARN',
    headcount: 154,
    coverage_percent: 100,
    fte_ratio: 0.97,
    drift_status: 'WARN',
  },
];

describe('drift report', () => {
  it('shows each KPI against the baseline with the runbook rule and verdict', () => {
    const doc = buildDriftReport({ drift: drift(), trend, generatedAt: NOW });
    const t = find(doc, 'table', 'drift-metrics');
    assert.deepEqual(
      t.rows[0]!.cells.map((c) => c.text),
      [
        'Headcount (drivers)',
        '145',
        '154',
        '+6.21 %',
        'headcount drift > 5 % -> WARN (investigate input)',
        'WARN',
      ],
    );
    assert.equal(t.rows[2]!.cells[3]!.text, '−3 %');
    assert.equal(doc.status?.label, 'WARN');
  });

  it('puts the live detector beside the runbook verdict, each labelled', () => {
    const doc = buildDriftReport({ drift: drift(), trend, generatedAt: NOW });
    const cols = find(doc, 'columns');
    assert.deepEqual(
      cols.groups.map((g) => g.title),
      ['Runbook rule', 'Live detector (z-score)'],
    );
    const detector = cols.groups[1]!.facts;
    assert.equal(detector.find((f) => f.label === 'Level')?.value, 'ALERT');
    assert.equal(detector.find((f) => f.label === 'Score')?.value, '33.16');
    assert.equal(
      cols.groups[0]!.facts.find((f) => f.label === 'Largest drift')?.value,
      'Headcount (drivers): +6.21 % (WARN)',
    );
  });

  it('lists the detector per metric when the server sends it, and only then', () => {
    const withDetector = buildDriftReport({
      drift: drift({
        detector: {
          history_size: 8,
          metrics: [
            {
              metric: 'total_drivers',
              current: 160,
              mean: 146,
              std: 4,
              z: 3.5,
              pct: 9.59,
              weight: 2,
              weighted: 7,
            },
          ],
        },
      }),
      trend,
      generatedAt: NOW,
    });
    const tables = withDetector.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'table');
    const detector = tables.find((t) => t.kind === 'table' && t.id === 'drift-detector');
    assert.ok(detector && detector.kind === 'table');
    assert.match(detector.caption, /last 8 runs/);
    assert.deepEqual(
      detector.rows[0]?.cells.map((c) => c.text),
      ['total_drivers', '160', '146', '4', '3.5', '+9.59 %', '2', '7'],
    );
    const without = buildDriftReport({ drift: drift(), trend, generatedAt: NOW });
    assert.ok(
      !without.sections.flatMap((s) => s.blocks).some((b) => b.kind === 'table' && b.id === 'drift-detector'),
    );
  });

  it('says when a server has no detector', () => {
    const doc = buildDriftReport({
      drift: drift({ score: undefined, level: undefined }),
      trend: [],
      generatedAt: NOW,
    });
    assert.equal(find(doc, 'columns').groups[1]!.facts[0]!.value, 'not reported by this server');
  });

  it('charts the trend oldest first with the baseline and thresholds', () => {
    const doc = buildDriftReport({ drift: drift(), trend, generatedAt: NOW });
    const c = find(doc, 'chart', 'trend-headcount');
    assert.deepEqual(
      c.series[0]!.points.map((p) => [p.x, p.y]),
      [
        ['2026-W43', 144],
        ['2026-W44', 145],
        ['2026-W45', 154],
      ],
    );
    assert.deepEqual(
      c.references?.map((r) => r.label),
      ['baseline 145', 'WARN above +5 %', 'WARN below −5 %'],
    );
    assert.match(c.description, /from 144 \(2026-W43\) to 154 \(2026-W45\)/);
    const table = find(doc, 'table', 'trend');
    assert.equal(table.rows.length, 3);
    assert.deepEqual(table.rows[2]!.action, { type: 'openReport', kind: 'audit', runId: 'RUN-C' });
    assert.equal(ReportDocSchema.safeParse(doc).success, true);
  });

  it('names two runs of one week by their run ids on the x axis', () => {
    const repeated = [...trend, { ...trend[2]!, run_id: 'RUN-D', timestamp: '4' }];
    const doc = buildDriftReport({ drift: drift(), trend: repeated, generatedAt: NOW });
    const c = find(doc, 'chart', 'trend-headcount');
    assert.deepEqual(
      c.series[0]!.points.map((p) => p.x),
      ['2026-W43', '2026-W44', 'RUN-C', 'RUN-D'],
    );
    assert.match(c.description, /to 154 \(RUN-D\)/);
    // The baseline is not drawn in the series' colour.
    assert.equal(c.references?.[0]?.tone, 'neutral');
  });

  it('shows the fallback when the server has no drift endpoint, and still the trend', () => {
    const doc = buildDriftReport({
      driftProblem: {
        title: 'This server does not offer the KPI drift check',
        text: 'Instead: run kpi_drift.',
        tone: 'info',
      },
      trend,
      generatedAt: NOW,
    });
    assert.equal(find(doc, 'notice').title, 'This server does not offer the KPI drift check');
    assert.equal(find(doc, 'table', 'trend').rows.length, 3);
    assert.equal(doc.status, undefined);
  });
});

describe('fire-drill history', () => {
  it('judges each toggle against the 5 s target, newest drill first', () => {
    const doc = buildFireDrillReport({ drills: drills().reverse(), generatedAt: NOW });
    const t = find(doc, 'table', 'drills');
    assert.equal(t.rows[0]!.cells[8]!.text, 'FD-20261116-7FB4');
    assert.equal(t.rows[0]!.cells[1]!.text, '780 ms ≤ 5 s');
    assert.equal(t.rows[0]!.cells[1]!.tone, 'pass');
    const failed = t.rows[1]!;
    assert.equal(failed.cells[1]!.text, '6.2 s > 5 s');
    assert.equal(failed.cells[1]!.tone, 'fail');
    assert.equal(failed.cells[2]!.text, 'not measured');
    assert.equal(failed.cells[4]!.text, 'no');
    assert.equal(failed.cells[5]!.text, 'FAIL');
    const facts = find(doc, 'facts').facts;
    assert.equal(facts.find((f) => f.label === 'Failed')?.value, '1');
    assert.equal(facts.find((f) => f.label === 'Slowest toggle')?.value, '6.2 s (target 5 s)');
    assert.equal(doc.status?.label, 'PASS');
    assert.equal(ReportDocSchema.safeParse(doc).success, true);
  });

  it('explains an empty history and an unsupported server', () => {
    const empty = buildFireDrillReport({ drills: [], generatedAt: NOW });
    assert.match(find(empty, 'table').empty ?? '', /No fire drill recorded yet/);
    assert.equal(empty.status?.label, 'NONE');
    const unsupported = buildFireDrillReport({
      problem: {
        title: 'This server does not offer fire-drill history (SP-005)',
        text: 'Instead: keep records.',
        tone: 'info',
      },
      generatedAt: NOW,
    });
    assert.equal(blocks(unsupported).length, 1);
    assert.equal(find(unsupported, 'notice').tone, 'info');
  });
});
