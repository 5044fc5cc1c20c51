import assert from 'node:assert/strict';
import type { ComparePack } from '../../../src/evidence/compare';
import { buildCompareReport, type CompareReportInput, compareSummary } from '../../../src/reports/compare';
import { renderReportMarkdown } from '../../../src/reports/markdown';
import type { Block, ReportDoc } from '../../../src/reports/model';
import { parseHostMessage, parsePanelState } from '../../../src/webviews/protocol';
import { failingRun, NOW, run } from './fixtures';

const ERROR_RUN = run({
  run_id: 'RUN-20261101-001',
  week_id: '2026-W44',
  timestamp: '2026-11-01T06:00:00.000Z',
  status: 'ERROR',
  headcount: null,
  coverage_percent: null,
  error_code: 'ERR_SOLVE_001',
  error_message: 'Solver time limit reached',
  audit_results: [],
  kpis: { headcount: null, coverage_percent: null, fte_ratio: null, pt_ratio: null, runtime_seconds: 60 },
  output_hash: null,
});
const RERUN = run({
  run_id: 'RUN-20261101-002',
  week_id: '2026-W44',
  timestamp: '2026-11-01T08:00:00.000Z',
  status: 'PASS',
  kpis: { ...run().kpis, avg_weekly_hours: 40.2, max_weekly_hours: 48, avg_changeover_minutes: 95 },
});

const full = (runId: string): ComparePack => ({
  runId,
  files: ['audits.json', 'input/forecast.txt', 'kpis.json', 'manifest.json', 'plan.json'],
  input: { file: 'input/forecast.txt', tourLines: 1385 },
  plan: { file: 'plan-summary.txt', drivers: 146, assignments: 1385 },
  audits: 7,
});
const errorPack: ComparePack = {
  runId: ERROR_RUN.run_id,
  files: ['audits.json', 'error.json', 'input/forecast.txt', 'kpis.json', 'manifest.json'],
  input: { file: 'input/forecast.txt', tourLines: 1385 },
  error: { code: 'ERR_SOLVE_001', message: 'Solver time limit reached' },
  audits: 0,
};

const input = (over: Partial<CompareReportInput> = {}): CompareReportInput => ({
  older: ERROR_RUN,
  newer: RERUN,
  packs: { older: errorPack, newer: full(RERUN.run_id) },
  generatedAt: NOW,
  ...over,
});

const table = (doc: ReportDoc, id: string) =>
  doc.sections.flatMap((s) => s.blocks).find((b) => b.kind === 'table' && b.id === id) as Extract<
    Block,
    { kind: 'table' }
  >;
const blocks = (doc: ReportDoc) => doc.sections.flatMap((s) => s.blocks);
const row = (doc: ReportDoc, id: string, first: string) =>
  table(doc, id)
    .rows.find((r) => r.cells[0]!.text === first)!
    .cells.map((c) => c.text);

describe('compare report', () => {
  it('an ERROR run and its re-run: the same input, what the ERROR run has, audits not run → PASS', () => {
    const doc = buildCompareReport(input());
    assert.equal(doc.kind, 'compare');
    assert.equal(doc.title, 'Compare RUN-20261101-001 ↔ RUN-20261101-002');
    assert.deepEqual(row(doc, 'identity', 'Status'), ['Status', 'ERROR', 'PASS', 'differs']);
    assert.deepEqual(row(doc, 'identity', 'Input hash'), [
      'Input hash',
      'sha256:2e735d16543e',
      'sha256:2e735d16543e',
      'same input',
    ]);
    assert.deepEqual(row(doc, 'identity', 'Output hash'), [
      'Output hash',
      '—',
      'sha256:2d545aa3d00b',
      'differs: other plan',
    ]);
    assert.deepEqual(row(doc, 'identity', 'Error'), [
      'Error',
      'ERR_SOLVE_001: Solver time limit reached',
      '—',
      'differs',
    ]);
    const audits = table(doc, 'audits');
    assert.equal(audits.rows.length, 7);
    assert.deepEqual(
      audits.rows[0]!.cells.map((c) => c.text),
      ['Coverage', 'not run', '—', 'PASS', '0', 'differs: status not run → PASS'],
    );
    const facts = blocks(doc).flatMap((b) => (b.kind === 'facts' ? b.facts : []));
    assert.match(facts.find((f) => f.label === 'Runs')!.value, /^Both runs are of week 2026-W44/);
    assert.equal(facts.find((f) => f.label === 'Input')!.value, 'the same input (input hashes equal)');
    // What the ERROR run has instead of a plan, and that only the inputs are compared.
    const notices = blocks(doc).filter((b) => b.kind === 'notice') as Extract<Block, { kind: 'notice' }>[];
    assert.equal(notices.length, 1);
    assert.equal(notices[0]!.title, 'Plans not compared');
    assert.match(notices[0]!.text, /^RUN-20261101-001 has no plan: its pack holds audits\.json, error\.json/);
    assert.match(notices[0]!.text, /error\.json says ERR_SOLVE_001: Solver time limit reached/);
    const s = compareSummary(input());
    assert.deepEqual(s.diffs, ['input']);
    assert.equal(s.sameInput, true);
    assert.equal(s.changedAudits.length, 7);
  });

  it('KPIs side by side with the difference (later − earlier), and "changed" in text', () => {
    const older = run({ run_id: 'RUN-A', timestamp: '2026-11-13T06:00:00.000Z', week_id: '2026-W46' });
    const newer = failingRun({
      run_id: 'RUN-B',
      week_id: '2026-W47',
      kpis: { ...run().kpis, headcount: 150, fte_ratio: 0.986 },
    });
    const doc = buildCompareReport(
      input({ older, newer, packs: { older: full('RUN-A'), newer: full('RUN-B') } }),
    );
    assert.deepEqual(row(doc, 'kpis', 'Headcount (drivers)'), [
      'Headcount (drivers)',
      '146',
      '150',
      '+4 (+2.7 %)',
      'changed',
    ]);
    assert.deepEqual(row(doc, 'kpis', 'FTE ratio'), ['FTE ratio', '0.986', '0.986', '±0', 'same']);
    assert.deepEqual(row(doc, 'audits', 'Overlap').slice(1), [
      'PASS',
      '0',
      'FAIL',
      '2',
      'differs: status PASS → FAIL, violations 0 → 2',
    ]);
    assert.deepEqual(row(doc, 'audits', 'Rest').slice(5), ['same']);
    // Every row says in words whether it differs: colour is never the only signal.
    for (const id of ['kpis', 'audits'])
      for (const r of table(doc, id).rows) assert.match(r.cells.at(-1)!.text, /^(same|changed|differs: .+)/);
    const s = compareSummary(input({ older, newer, packs: { older: full('RUN-A'), newer: full('RUN-B') } }));
    assert.deepEqual(s.changedKpis, ['headcount']);
    assert.deepEqual(s.changedAudits, ['Overlap']);
    assert.deepEqual(s.diffs, ['input', 'plan summary']);
    assert.equal(s.tables, 3);
    assert.equal(s.rows, table(doc, 'identity').rows.length + table(doc, 'kpis').rows.length + 7);
  });

  it("live's packs without input: says so, and only the plan summaries are compared", () => {
    const noInput = (id: string): ComparePack => {
      const { input: _, ...rest } = full(id);
      return { ...rest, files: ['audit_results.json', 'metadata.json', 'plan.json'] };
    };
    const older = run({ run_id: 'RUN-A', timestamp: '2026-11-13T06:00:00.000Z' });
    const newer = run({ run_id: 'RUN-B' });
    const i = input({ older, newer, packs: { older: noInput('RUN-A'), newer: noInput('RUN-B') } });
    const doc = buildCompareReport(i);
    const texts = blocks(doc).flatMap((b) => (b.kind === 'notice' || b.kind === 'text' ? [b] : []));
    assert.ok(
      texts.some((b) => /^Neither evidence pack holds an input forecast \(live SOLVEREIGN/.test(b.text)),
      JSON.stringify(texts),
    );
    assert.ok(texts.some((b) => /side by side .*: plan summary\.$/.test(b.text)));
    const groups = blocks(doc).find((b) => b.kind === 'columns') as Extract<Block, { kind: 'columns' }>;
    assert.equal(groups.groups[0]!.facts.find((f) => f.label === 'Input')!.value, 'none in this pack');
    assert.deepEqual(compareSummary(i).diffs, ['plan summary']);
  });

  it('a pack that failed verification is a failure notice, not a silent gap', () => {
    const problem = 'The evidence pack of RUN-20261101-002 failed verification: plan.json: sha256 differs.';
    const i = input({ packs: { older: errorPack, newer: { problem } } });
    const doc = buildCompareReport(i);
    const notice = blocks(doc).find((b) => b.kind === 'notice' && b.tone === 'fail') as Extract<
      Block,
      { kind: 'notice' }
    >;
    assert.equal(notice.title, 'Evidence not compared');
    assert.equal(notice.text, problem);
    const s = compareSummary(i);
    assert.deepEqual(s.problems, [problem]);
    assert.deepEqual(s.diffs, []);
  });

  it('travels over the webview protocol and renders to markdown with the differences as text', () => {
    const doc = buildCompareReport(input());
    assert.equal(parseHostMessage({ type: 'render', doc })?.type, 'render');
    const state = parsePanelState({
      v: 1,
      target: { kind: 'compare', runId: RERUN.run_id, otherRunId: ERROR_RUN.run_id },
    });
    assert.equal(state?.target.otherRunId, ERROR_RUN.run_id);
    const md = renderReportMarkdown(doc);
    assert.match(md, /\| Coverage \| not run \| — \| PASS \| 0 \| differs: status not run → PASS \|/);
    assert.match(md, /same input/);
  });
});
