import assert from 'node:assert/strict';
import {
  auditFindings,
  auditRunbookCode,
  buildPlanSummary,
  lineRange,
  planAssignments,
  runFindings,
} from '../../../src/evidence/findings';
import { readRunEvidence } from '../../../src/evidence/runEvidence';
import { runAudits } from '../../../src/roster/audits';
import { sha256Hex } from '../../../src/sandbox/crypto';
import { createZip } from '../../../src/sandbox/zip';
import { parseForecast } from '../../../src/roster/forecast';
import { expandWeek } from '../../../src/roster/week';

const WEEK = '2026-W03';
const FORECAST = [
  '# Week: 2026-W03',
  'Mo 06:00-14:00 Depot Nord',
  '  Mo 14:10-20:00 Depot Süd  ',
  'Di 06:00-10:00 + 15:00-19:00 Depot Nord',
  'Di 10:00-14:30 Depot Nord',
  '',
].join('\n');
const tours = expandWeek(parseForecast(FORECAST).tours, WEEK).tours;
// T0001 line 2, T0002 line 3, T0003 line 4 (split), T0004 line 5 (inside T0003's break).
const badAssignments = [
  { driver_id: 'D001', tour_id: 'T0001', day: 1 },
  { driver_id: 'D001', tour_id: 'T0002', day: 1 },
  { driver_id: 'D002', tour_id: 'T0003', day: 2 },
  { driver_id: 'D002', tour_id: 'T0004', day: 2 },
];
const audits = runAudits({ tours, assignments: badAssignments, output_hash: 'h' }, { second_hash: 'h' });

describe('L3 findings: audit violations located on input lines and the plan summary', () => {
  it('expands the run input to the tour ids the solver used, with their lines', () => {
    assert.deepEqual(
      tours.map((t) => [t.id, t.line]),
      [
        ['T0001', 2],
        ['T0002', 3],
        ['T0003', 4],
        ['T0004', 5],
      ],
    );
  });

  it('writes one plan line per driver and locates each driver/day segment', () => {
    const s = buildPlanSummary('RUN-1', badAssignments, tours, { week: WEEK, output_hash: 'sha256:x' });
    const lines = s.text.trimEnd().split('\n');
    assert.equal(s.drivers, 2);
    assert.match(lines[0]!, /^# Plan of RUN-1 · week 2026-W03 · 2 drivers · 4 assignments · sha256:x$/);
    assert.equal(lines.length, 4);
    assert.match(lines[2]!, /^D001 {2}Mo 06:00-14:00 Nord \[T0001 L2\], 14:10-20:00 Süd \[T0002 L3\]$/);
    const seg = s.locate('D002', 2)!;
    assert.equal(seg.line, 3);
    assert.equal(
      lines[3]!.slice(seg.start, seg.end),
      'Di 06:00-10:00+15:00-19:00 Nord [T0003 L4], 10:00-14:30 Nord [T0004 L5]',
    );
    assert.deepEqual(s.locate('D001'), { line: 2, start: 0, end: 4 });
    assert.equal(s.locate('NOPE'), undefined);
  });

  it('names tours by id under the plan day when the pack has no input', () => {
    const s = buildPlanSummary('RUN-2', [{ driver_id: 'D9', tour_id: 'T7', day: 3 }]);
    assert.match(s.text, /no input forecast/);
    assert.match(s.text, /^D9 {4}Mi \[T7\]$/m);
  });

  it("turns an Overlap violation into a finding on both tours' lines, the audit's line first, with the runbook code", () => {
    const overlap = audits.find((a) => a.check_name === 'Overlap')!;
    assert.equal(overlap.status, 'FAIL');
    const summary = buildPlanSummary('RUN-1', badAssignments, tours);
    const findings = auditFindings(audits, tours, summary).filter((f) => f.audit === 'Overlap');
    assert.ok(findings.length >= 2, 'the 10-minute changeover and the tour inside the split break');
    const gap = findings.find((f) => f.driver === 'D001')!;
    assert.equal(gap.code, 'ERR_AUDIT_002');
    assert.equal(gap.status, 'FAIL');
    // The audit's own line (the later tour) first, then the other tour's.
    assert.deepEqual(gap.lines, [3, 2]);
    assert.deepEqual(
      gap.tours.map((t) => t.label),
      ['T0001 Mo 06:00-14:00 Depot Nord, line 2', 'T0002 Mo 14:10-20:00 Depot Süd, line 3'],
    );
    assert.equal(gap.day, 1);
    assert.deepEqual(gap.plan, summary.locate('D001', 1));
    const split = findings.find((f) => f.driver === 'D002')!;
    assert.deepEqual(split.lines.sort(), [4, 5]);
  });

  it('gives PASS audits no findings and the other failing audits the lock gate code', () => {
    assert.equal(
      auditFindings(
        audits.filter((a) => a.status === 'PASS'),
        tours,
      ).length,
      0,
    );
    assert.equal(auditRunbookCode('Coverage', 'FAIL'), 'ERR_AUDIT_001');
    assert.equal(auditRunbookCode('Rest', 'FAIL'), 'ERR_LOCK_002');
    assert.equal(auditRunbookCode('Fatigue', 'WARN'), undefined);
  });

  it('puts an audit without listed violations on the plan header with its message', () => {
    const f = auditFindings([
      {
        check_name: 'Rest',
        status: 'FAIL',
        violation_count: 1,
        details: { message: 'rest broken', violations: [] },
      },
    ]);
    assert.equal(f.length, 1);
    assert.equal(f[0]!.message, 'rest broken');
    assert.deepEqual(f[0]!.plan, { line: 0, start: 0, end: 0 });
    assert.deepEqual(f[0]!.lines, []);
  });

  it('reads a run from its evidence: without a forecast, findings go on the plan only', () => {
    const withInput = runFindings({
      runId: 'RUN-1',
      scope: 's',
      files: new Map(),
      verification: { verified: true } as never,
      bytes: 0,
      week: WEEK,
      forecast: { name: 'input/forecast.txt', text: FORECAST },
      plan: { week_id: WEEK, assignments: badAssignments, output_hash: 'sha256:x' },
      audits,
    });
    assert.equal(withInput.inputLines, true);
    assert.equal(withInput.counts.fail, audits.filter((a) => a.status === 'FAIL').length);
    assert.ok(withInput.findings.every((f) => f.lines.length > 0 || f.audit === 'Reproducibility'));
    const live = runFindings({
      runId: 'RUN-2',
      scope: 's',
      files: new Map(),
      verification: { verified: true } as never,
      bytes: 0,
      plan: { assignments: badAssignments },
      audits,
    });
    assert.equal(live.inputLines, false);
    assert.equal(live.tours, undefined);
    const d1 = live.findings.find((f) => f.audit === 'Overlap' && f.driver === 'D001')!;
    assert.deepEqual(d1.lines, []);
    assert.equal(d1.plan.line, live.summary!.locate('D001', 1)!.line);
  });

  it('ranges a line without its indentation and trailing blanks', () => {
    assert.deepEqual(lineRange(FORECAST, 3), { line: 2, start: 2, end: 26 });
    assert.deepEqual(lineRange(FORECAST, 99), { line: 98, start: 0, end: 0 });
  });

  it('reads assignments defensively from any plan file', () => {
    assert.deepEqual(planAssignments(null), []);
    assert.deepEqual(planAssignments({ assignments: [{ driver_id: 1, tour_id: 'T1', day: 9 }, { x: 1 }] }), [
      { driver_id: '1', tour_id: 'T1' },
    ]);
  });

  it("reads live's pack layout: audit_results.json with free-form details, the week from metadata.json", () => {
    const files = [
      { name: 'metadata.json', data: JSON.stringify({ run_id: 'RUN-L', week_id: WEEK }) },
      { name: 'plan.json', data: JSON.stringify({ assignments: badAssignments }) },
      {
        name: 'audit_results.json',
        data: JSON.stringify({
          run_id: 'RUN-L',
          audit_results: [
            {
              check_name: 'Rest',
              status: 'FAIL',
              violation_count: 2,
              details: { message: '2 drivers with < 11h rest', drivers: ['D001', 'D002'] },
            },
            { check_name: 'Overlap', status: 'FAIL', violation_count: 3, details: null },
            { check_name: 'Coverage', status: 'PASS', violation_count: 0, details: null },
          ],
        }),
      },
    ];
    const zip = createZip(files, new Date('2026-01-12T06:00:00Z'));
    const sum = sha256Hex(zip);
    const checksums: Record<string, string> = { 'evidence.zip': sum, 'input_summary.json': 'ab'.repeat(32) };
    for (const f of files) checksums[f.name] = sha256Hex(f.data);
    const ev = readRunEvidence('RUN-L', 'live', zip, sum, checksums);
    assert.equal(ev.week, WEEK);
    assert.equal(ev.forecast, undefined);
    const rf = runFindings(ev);
    assert.equal(rf.inputLines, false);
    const rest = rf.findings.filter((f) => f.audit === 'Rest');
    assert.deepEqual(
      rest.map((f) => [f.driver, f.message, f.plan.line]),
      [
        ['D001', '2 drivers with < 11h rest (D001)', 2],
        ['D002', '2 drivers with < 11h rest (D002)', 3],
      ],
    );
    const overlap = rf.findings.filter((f) => f.audit === 'Overlap');
    assert.deepEqual(
      overlap.map((f) => f.message),
      ['Overlap FAIL: 3 violation(s), not itemised by this server'],
    );
  });

  it('gives an ERROR run without a plan no plan summary', () => {
    const rf = runFindings({
      runId: 'RUN-E',
      scope: 's',
      files: new Map(),
      verification: { verified: true } as never,
      bytes: 0,
      plan: null,
    });
    assert.equal(rf.summary, undefined);
    assert.deepEqual(rf.findings, []);
  });
});
