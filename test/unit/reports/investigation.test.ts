import assert from 'node:assert/strict';
import type { RunDetail } from '../../../src/api/schemas';
import { diffForecasts, findDuplicates } from '../../../src/procedures/analysis';
import { renderReportHtml } from '../../../src/reports/html';
import {
  buildInvestigationReport,
  type InvestigationInput,
  investigationSummary,
} from '../../../src/reports/investigation';
import { renderReportMarkdown } from '../../../src/reports/markdown';
import { type Block, ReportDoc as ReportDocSchema, type ReportDoc } from '../../../src/reports/model';
import { failingRun, NOW } from './fixtures';

const EVIL = '<script>alert("tour")</script>';

/** A FAIL run with both an Overlap FAIL (fixture) and a Coverage FAIL naming uncovered tours. */
function overlapAndCoverage(): RunDetail {
  const r = failingRun({ coverage_percent: 99.86 });
  r.audit_results = r.audit_results.map((a) =>
    a.check_name === 'Coverage'
      ? {
          check_name: 'Coverage',
          status: 'FAIL',
          violation_count: 2,
          details: {
            message: '2 of 1385 tours unassigned',
            violations: [
              {
                message: `Tour T-1398 (So 22:00-06:00) has no driver ${EVIL}`,
                tour_ids: ['T-1398'],
                day: 'So',
              },
              { message: 'Tour T-1399 has no driver', tour_ids: ['T-1399'], day: 'So', line: 7 },
            ],
          },
        }
      : a,
  );
  return r;
}

const PREVIOUS = ['Mo 06:00-14:00 2', 'So 06:00-14:00 1'].join('\n');
const FORECAST = ['Mo 06:00-14:00 2', 'Mo 06:00-14:00 2', 'So 06:00-14:00 1', 'So 22:00-06:00 1'].join('\n');

function input(over: Partial<InvestigationInput> = {}): InvestigationInput {
  return {
    run: overlapAndCoverage(),
    forecast: FORECAST,
    diff: diffForecasts(PREVIOUS, FORECAST),
    duplicates: findDuplicates(FORECAST),
    previous: undefined,
    generatedAt: NOW,
    ...over,
  };
}

function table(doc: ReportDoc, id: string): Extract<Block, { kind: 'table' }> {
  for (const s of doc.sections) for (const b of s.blocks) if (b.kind === 'table' && b.id === id) return b;
  throw new Error(`no table ${id}`);
}

describe('SP-002 investigation panel', () => {
  it('leads with the uncovered tours and their forecast lines, then the duplicates', () => {
    const doc = buildInvestigationReport(input());
    assert.ok(ReportDocSchema.safeParse(doc).success, 'the document passes the protocol schema');
    const ids = doc.sections.map((s) => s.id);
    assert.equal(ids[0], 'summary');
    assert.equal(ids[1], 'symptom-coverage', ids.join(', '));
    assert.ok(ids.indexOf('symptom-overlap') > ids.indexOf('symptom-coverage'));
    assert.ok(ids.indexOf('classification') > ids.indexOf('symptom-overlap'));
    const uncovered = table(doc, 'uncovered-tours');
    assert.deepEqual(
      uncovered.rows.map((r) => [r.cells[0]!.text, r.cells[2]!.text]),
      [
        ['T-1398', '4'],
        ['T-1399', '7'],
      ],
    );
    // The server's line links to the forecast.
    assert.deepEqual(uncovered.rows[1]!.action, { type: 'openSource', runId: 'RUN-20261120-001', line: 7 });
    assert.ok(table(doc, 'duplicate-lines').rows.length > 0);
    const s = investigationSummary(input());
    assert.deepEqual((s.symptoms as string[]).slice(0, 2), ['coverage', 'overlap']);
    assert.equal(s.classification, 'input');
    assert.equal(s.recommended, 'message');
  });

  it('offers the three resolutions as buttons, the classification recommended', () => {
    const doc = buildInvestigationReport(input());
    const actions = doc.sections
      .flatMap((s) => s.blocks)
      .find((b): b is Extract<Block, { kind: 'actions' }> => b.kind === 'actions');
    assert.ok(actions);
    assert.deepEqual(
      actions.actions.map((a) => [a.action.type === 'resolve' && a.action.resolution, a.recommended]),
      [
        ['message', true],
        ['escalate', false],
        ['infrastructure', false],
      ],
    );
  });

  it('escapes server text in HTML and markdown exports', () => {
    const doc = buildInvestigationReport(input());
    const html = renderReportHtml(doc);
    assert.ok(!html.includes('<script>alert'), 'a violation message became a script element');
    assert.ok(html.includes('&lt;script&gt;'));
    const md = renderReportMarkdown(doc);
    assert.ok(!md.includes('<script>'), 'raw <script> in markdown');
  });

  it('shows free-form audit details as they are, and why there are no forecast lines', () => {
    const r = overlapAndCoverage();
    r.audit_results = r.audit_results.map((a) =>
      a.check_name === 'Coverage'
        ? { ...a, violation_count: 3, details: { unassigned: ['T-1', 'T-2', 'T-3'], note: 'live format' } }
        : a,
    );
    const doc = buildInvestigationReport(
      input({ run: r, forecast: undefined, diff: undefined, evidenceProblem: 'HTTP 404 evidence' }),
    );
    const pre = doc.sections.find((s) => s.id === 'audit-details')?.blocks[0];
    assert.ok(pre?.kind === 'pre' && pre.text.includes('live format') && pre.text.includes('T-3'));
    const coverage = doc.sections.find((s) => s.id === 'symptom-coverage')!;
    assert.ok(
      coverage.blocks.some((b) => b.kind === 'notice' && b.text === 'HTTP 404 evidence'),
      'the missing evidence is said',
    );
  });
});
