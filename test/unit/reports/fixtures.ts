// Sample API answers for the report tests (shapes of src/api/schemas.ts, values like the sandbox's).
import type { DriftReport, FireDrill, RunDetail } from '../../../src/api/schemas';
import { AUDIT_CHECKS } from '../../../src/shared/runbook';

export const NOW = '2026-11-27T06:00:00.000Z';

export function run(over: Partial<RunDetail> = {}): RunDetail {
  return {
    run_id: 'RUN-20261120-001',
    week_id: '2026-W47',
    timestamp: '2026-11-20T03:16:58.986Z',
    status: 'FAIL',
    tenant_code: 'lts',
    site_code: 'wien',
    headcount: 146,
    coverage_percent: 100,
    evidence_path: 'evidence/lts/wien/RUN-20261120-001.zip',
    kpi_drift_status: 'OK',
    published: false,
    published_at: null,
    published_by: null,
    locked: false,
    locked_at: null,
    locked_by: null,
    notes: null,
    error_code: null,
    error_message: null,
    audit_results: AUDIT_CHECKS.map((name) => ({
      check_name: name,
      status: 'PASS' as const,
      violation_count: 0,
      details: { message: `${name} ok`, violations: [] },
    })),
    kpis: {
      headcount: 146,
      coverage_percent: 100,
      fte_ratio: 0.986,
      pt_ratio: 0.014,
      runtime_seconds: 30.5,
      drift_status: 'OK',
      total_tours: 1385,
    },
    input_hash: 'sha256:2e735d16543e',
    output_hash: 'sha256:2d545aa3d00b',
    evidence_hash: 'sha256:341856553026',
    artifact_uri: 'sandbox://evidence/lts/wien/RUN-20261120-001.zip',
    seed: 94,
    ...over,
  };
}

/** A run whose Overlap check failed, with one violation pointing at forecast line 12. */
export function failingRun(over: Partial<RunDetail> = {}): RunDetail {
  const r = run(over);
  r.audit_results = r.audit_results.map((a) =>
    a.check_name === 'Overlap'
      ? {
          check_name: 'Overlap',
          status: 'FAIL',
          violation_count: 2,
          details: {
            message: '2 overlapping assignments',
            violations: [
              {
                message: 'Driver D-035 is on T-0278 and T-0278-dup at the same time',
                driver_id: 'D-035',
                tour_ids: ['T-0278', 'T-0278-dup'],
                day: 'Di',
                line: 12,
              },
              {
                message: 'Driver D-104 is on T-0694 and T-0694-dup',
                driver_id: 'D-104',
                tour_ids: ['T-0694'],
                day: 'Do',
              },
            ],
          },
        }
      : a,
  );
  return r;
}

export function drift(over: Partial<DriftReport> = {}): DriftReport {
  return {
    tenant_code: 'lts',
    site_code: 'wien',
    run_id: 'RUN-20261106-001',
    baseline_date: '2026-01-08',
    verdict: 'WARN',
    metrics: [
      {
        kpi: 'headcount',
        baseline: 145,
        current: 154,
        drift_pct: 6.21,
        rule: 'headcount drift > 5 % -> WARN (investigate input)',
        verdict: 'WARN',
      },
      {
        kpi: 'coverage_percent',
        baseline: 100,
        current: 100,
        drift_pct: 0,
        rule: 'coverage < 100 % -> BLOCK (block, investigate)',
        verdict: 'OK',
      },
      {
        kpi: 'fte_ratio',
        baseline: 1,
        current: 0.97,
        drift_pct: -3,
        rule: 'FTE ratio < 95 % -> WARN (review driver pool)',
        verdict: 'OK',
      },
    ],
    score: 33.16,
    level: 'ALERT',
    ...over,
  };
}

export function drills(): FireDrill[] {
  return [
    {
      id: 'FD-20261116-7FB4',
      site_code: 'wien',
      started_at: '2026-11-16T08:00:00.000Z',
      disable_ms: 780,
      enable_ms: 760,
      verified_disabled: true,
      verified_enabled: true,
      result: 'PASS',
      notes: 'Weekly Monday fire drill (SP-005)',
      by: 'dispatcher@lts.demo',
    },
    {
      id: 'FD-20261109-0001',
      site_code: 'wien',
      started_at: '2026-11-09T08:00:00.000Z',
      disable_ms: 6200,
      enable_ms: null,
      verified_disabled: true,
      verified_enabled: false,
      result: 'FAIL',
      notes: 'publish <b>stayed</b> on',
      by: 'opslead@lts.demo',
    },
  ];
}
