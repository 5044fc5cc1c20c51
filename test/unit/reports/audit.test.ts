import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { RunDetail, type RunSummary } from '../../../src/api/schemas';
import {
  auditSummary,
  buildAuditReport,
  parseAuditDetails,
  pickPreviousRun,
} from '../../../src/reports/audit';
import type { Block, ReportDoc } from '../../../src/reports/model';
import { ReportDoc as ReportDocSchema } from '../../../src/reports/model';
import { failingRun, NOW, run } from './fixtures';

function table(doc: ReportDoc, id: string): Extract<Block, { kind: 'table' }> {
  for (const s of doc.sections) for (const b of s.blocks) if (b.kind === 'table' && b.id === id) return b;
  throw new Error(`no table ${id}`);
}
const blocks = (doc: ReportDoc) => doc.sections.flatMap((s) => s.blocks);

describe('audit report', () => {
  it('lists the seven checks in runbook order with status and violation count', () => {
    const doc = buildAuditReport({ run: failingRun(), generatedAt: NOW });
    const checks = table(doc, 'checks');
    assert.deepEqual(
      checks.rows.map((r) => r.cells[0]!.text),
      ['Coverage', 'Overlap', 'Rest', 'SpanRegular', 'SpanSplit', 'Fatigue', 'Reproducibility'],
    );
    const overlap = checks.rows[1]!;
    assert.equal(overlap.cells[1]!.text, 'FAIL');
    assert.equal(overlap.cells[1]!.tone, 'fail');
    assert.equal(overlap.cells[2]!.text, '2');
    assert.deepEqual(overlap.action, { type: 'openSource', runId: 'RUN-20261120-001', line: 12 });
    assert.equal(doc.status?.label, 'FAIL');
  });

  it('marks a check the server did not report', () => {
    const r = run();
    r.audit_results = r.audit_results.filter((a) => a.check_name !== 'Fatigue');
    const row = table(buildAuditReport({ run: r, generatedAt: NOW }), 'checks').rows.find(
      (x) => x.cells[0]!.text === 'Fatigue',
    );
    assert.equal(row?.cells[1]?.text, 'not reported');
  });

  it('shows each violation with drivers, tours, day and a link to its forecast line or evidence file', () => {
    const v = table(buildAuditReport({ run: failingRun(), generatedAt: NOW }), 'violations');
    assert.equal(v.rows.length, 2);
    const [first, second] = v.rows;
    assert.deepEqual(
      first!.cells.map((c) => c.text),
      [
        'Overlap',
        'FAIL',
        'Driver D-035 is on T-0278 and T-0278-dup at the same time',
        'D-035',
        'T-0278, T-0278-dup',
        'Di',
        'forecast line 12',
      ],
    );
    assert.deepEqual(first!.cells[6]!.action, { type: 'openSource', runId: 'RUN-20261120-001', line: 12 });
    assert.equal(second!.cells[6]!.text, 'audits.json');
    assert.deepEqual(second!.action, {
      type: 'openSource',
      runId: 'RUN-20261120-001',
      file: 'audits.json',
      search: 'Driver D-104 is on T-0694 and T-0694-dup',
    });
  });

  it('renders free-form live details as text instead of failing', () => {
    const r = run();
    r.audit_results[0] = {
      check_name: 'Coverage',
      status: 'FAIL',
      violation_count: 3,
      details: 'plain text <b>from live</b>',
    };
    r.audit_results[1] = {
      check_name: 'Overlap',
      status: 'WARN',
      violation_count: 1,
      details: { pairs: [['T1', 'T2']], violations: 'not a list' },
    };
    const doc = buildAuditReport({ run: r, generatedAt: NOW });
    const pres = blocks(doc).filter((b) => b.kind === 'pre') as Extract<Block, { kind: 'pre' }>[];
    assert.equal(pres.length, 2);
    assert.equal(pres[0]!.text, 'plain text <b>from live</b>');
    assert.match(pres[1]!.text, /"pairs"/);
    assert.equal(table(doc, 'checks').rows[0]!.cells[3]!.text, 'plain text <b>from live</b>');
  });

  it('parses details defensively', () => {
    assert.deepEqual(parseAuditDetails(null), { violations: [] });
    assert.equal(parseAuditDetails(42).raw, '42');
    const withExtra = parseAuditDetails({ message: 'm', violations: [], extra: 1 });
    assert.equal(withExtra.message, 'm');
    assert.match(withExtra.raw ?? '', /"extra": 1/);
  });

  it('compares KPIs with the previous week side by side with deltas', () => {
    const prev = run({ run_id: 'RUN-20261113-001', week_id: '2026-W46', status: 'PASS' });
    prev.kpis = { ...prev.kpis, headcount: 144, fte_ratio: 1 };
    const doc = buildAuditReport({ run: run(), previous: prev, generatedAt: NOW });
    const kpis = table(doc, 'kpis');
    assert.equal(kpis.columns.length, 4);
    assert.match(kpis.columns[2]!.label, /RUN-20261113-001/);
    const head = kpis.rows.find((r) => r.cells[0]!.text === 'Headcount (drivers)')!;
    assert.deepEqual(
      head.cells.map((c) => c.text),
      ['Headcount (drivers)', '146', '144', '+2 (+1.4 %)'],
    );
    const fte = kpis.rows.find((r) => r.cells[0]!.text === 'FTE ratio')!;
    assert.equal(fte.cells[3]!.text, '−0.014 (−1.4 %)');
  });

  it('shows hashes, evidence checksums (each opening its file) and published/locked state', () => {
    const r = run({
      published: true,
      published_at: '2026-11-20T05:00:00Z',
      published_by: 'dispatcher@lts.demo',
    });
    const doc = buildAuditReport({
      run: r,
      checksums: { 'input/forecast.txt': 'a'.repeat(64), 'audits.json': 'b'.repeat(64) },
      generatedAt: NOW,
    });
    const sums = table(doc, 'checksums');
    assert.equal(sums.rows.length, 2);
    assert.deepEqual(sums.rows[0]!.action, {
      type: 'openSource',
      runId: r.run_id,
      file: 'input/forecast.txt',
    });
    const facts = blocks(doc).flatMap((b) => (b.kind === 'facts' ? b.facts : []));
    assert.equal(facts.find((f) => f.label === 'Input hash')?.value, 'sha256:2e735d16543e');
    assert.match(
      facts.find((f) => f.label === 'Published')?.value ?? '',
      /^yes — 2026-11-20 05:00 UTC by dispatcher@lts\.demo$/,
    );
    assert.equal(facts.find((f) => f.label === 'Locked')?.value, 'no');
  });

  it('says why checksums are missing', () => {
    const doc = buildAuditReport({
      run: run(),
      checksums: { error: 'evidence not found' },
      generatedAt: NOW,
    });
    const n = blocks(doc).find((b) => b.kind === 'notice');
    assert.equal(n?.kind === 'notice' && n.text, 'evidence not found');
  });

  it('every document it builds is valid against the protocol schema', () => {
    const doc = buildAuditReport({
      run: failingRun({ notes: '<script>alert(1)</script>' }),
      previous: run({ run_id: 'RUN-20261113-001', week_id: '2026-W46' }),
      checksums: { 'a.json': 'x' },
      generatedAt: NOW,
    });
    assert.equal(ReportDocSchema.safeParse(doc).success, true);
  });

  it('summarises for command results', () => {
    const s = auditSummary({ run: failingRun(), generatedAt: NOW });
    assert.equal(s.status, 'FAIL');
    assert.equal(s.violations, 2);
    assert.equal(s.checks.length, 7);
  });
});

describe('previous week run', () => {
  const summary = (run_id: string, week_id: string, timestamp: string, status = 'PASS') =>
    ({ run_id, week_id, timestamp, status }) as Pick<
      RunSummary,
      'run_id' | 'week_id' | 'timestamp' | 'status'
    >;
  const current = summary('RUN-20261120-001', '2026-W47', '2026-11-20T03:00:00Z');

  it('takes the latest non-ERROR run of the week before', () => {
    const runs = [
      current,
      summary('RUN-20261113-002', '2026-W46', '2026-11-13T09:00:00Z', 'ERROR'),
      summary('RUN-20261113-001', '2026-W46', '2026-11-13T03:00:00Z'),
      summary('RUN-20261106-001', '2026-W45', '2026-11-06T03:00:00Z'),
    ];
    const p = pickPreviousRun(runs, current);
    assert.equal(p.run?.run_id, 'RUN-20261113-001');
    assert.equal(p.note, undefined);
  });

  it('falls back to the latest earlier run and says so', () => {
    const runs = [current, summary('RUN-20261030-001', '2026-W44', '2026-10-30T03:00:00Z')];
    const p = pickPreviousRun(runs, current);
    assert.equal(p.run?.run_id, 'RUN-20261030-001');
    assert.match(p.note ?? '', /No run for 2026-W46/);
  });

  it('has nothing to compare with for the first run', () => {
    const p = pickPreviousRun([current], current);
    assert.equal(p.run, undefined);
    assert.match(p.note ?? '', /No earlier run/);
  });
});

describe("audit report of live's free-form details", () => {
  const live = JSON.parse(
    readFileSync(path.join(__dirname, '../api/fixtures/live-responses.json'), 'utf8'),
  ) as Record<string, { body: unknown }>;
  const failRun = () => RunDetail.parse(live['run-detail-fail']?.body);

  it('never says "no violations" beside a FAIL check: "3 violations, not itemised by this server"', () => {
    const doc = buildAuditReport({ run: failRun(), generatedAt: NOW });
    const v = table(doc, 'violations');
    const rest = v.rows.find((r) => r.cells[0]!.text === 'Rest');
    assert.ok(rest, 'the Rest FAIL has a row');
    assert.equal(rest.cells[1]!.text, 'FAIL');
    assert.match(
      rest.cells[2]!.text,
      /^3 violations, not itemised by this server: 3 drivers with < 11h rest/,
    );
    assert.match(v.caption ?? '', /Violations \(3\)/);
    assert.doesNotMatch(JSON.stringify(doc), /every check passed without findings/);
    const raw = blocks(doc).find((b) => b.kind === 'pre' && /Rest: details as sent/.test(b.title ?? ''));
    assert.ok(raw && raw.kind === 'pre' && /D-017/.test(raw.text), 'what the details hold is shown');
  });

  it("shows the run's own drift WARN when the summary field is absent", () => {
    const doc = buildAuditReport({ run: failRun(), generatedAt: NOW });
    const drift = JSON.stringify(doc).match(/"label":"KPI drift","value":"([^"]*)"/)?.[1];
    assert.equal(drift, "WARN (the run's own KPI check)");
  });
});
