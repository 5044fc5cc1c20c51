import assert from 'node:assert/strict';
import type { RunSummary } from '../../../src/api/schemas';
import { evaluateHealth, supersedingRuns } from '../../../src/ops/healthCheck';

const run = (run_id: string, week_id: string, status: string, timestamp: string): RunSummary =>
  ({
    run_id,
    week_id,
    status,
    timestamp,
    tenant_code: 'lts',
    site_code: 'wien',
    published: false,
    published_at: null,
    published_by: null,
    locked: false,
    locked_at: null,
    locked_by: null,
    evidence_path: null,
    notes: null,
    audit_pass_count: 7,
    audit_total: 7,
  }) as RunSummary;

const runsCriterion = (runs: RunSummary[]) =>
  evaluateHealth({ runs, incidents: [], errors: [] }).find((c) => c.id === 'runs')!;

describe('health check: recent runs, newest run of each week', () => {
  it('a FAIL week re-run with PASS is superseded, not a FAIL, and the detail says so', () => {
    const c = runsCriterion([
      run('RUN-20261130-002', '2026-W48', 'PASS', '2026-11-30T10:00:00Z'),
      run('RUN-20261129-001', '2026-W47', 'PASS', '2026-11-29T10:00:00Z'),
      run('RUN-20261128-001', '2026-W48', 'FAIL', '2026-11-28T10:00:00Z'),
    ]);
    assert.equal(c.verdict, 'PASS', c.detail);
    assert.match(c.detail, /RUN-20261128-001 FAIL superseded by RUN-20261130-002 \(PASS\)/);
  });

  it('a FAIL that is the newest run of its week still fails', () => {
    const c = runsCriterion([
      run('RUN-20261130-002', '2026-W48', 'FAIL', '2026-11-30T10:00:00Z'),
      run('RUN-20261128-001', '2026-W48', 'PASS', '2026-11-28T10:00:00Z'),
      run('RUN-20261129-001', '2026-W47', 'PASS', '2026-11-29T10:00:00Z'),
    ]);
    assert.equal(c.verdict, 'FAIL');
    assert.match(c.detail, /RUN-20261130-002 FAIL/);
    assert.doesNotMatch(c.detail, /superseded/, 'an older PASS is not worth mentioning');
  });

  it('a FAIL of another week, or of another site, is not superseded', () => {
    const other = {
      ...run('RUN-20261128-001', '2026-W48', 'FAIL', '2026-11-28T10:00:00Z'),
      site_code: 'graz',
    };
    const c = runsCriterion([
      run('RUN-20261130-002', '2026-W48', 'PASS', '2026-11-30T10:00:00Z'),
      other,
      run('RUN-20261127-001', '2026-W47', 'BLOCKED', '2026-11-27T10:00:00Z'),
    ]);
    assert.equal(c.verdict, 'FAIL');
    assert.match(c.detail, /RUN-20261128-001 FAIL, RUN-20261127-001 BLOCKED/);
  });

  it('equal timestamps: the higher run id is the newer run', () => {
    const a = run('RUN-20261130-001', '2026-W48', 'FAIL', '2026-11-30T10:00:00Z');
    const b = run('RUN-20261130-002', '2026-W48', 'PASS', '2026-11-30T10:00:00Z');
    const m = supersedingRuns([b, a]);
    assert.equal(m.get(a.run_id)?.run_id, b.run_id);
    assert.equal(m.has(b.run_id), false);
  });
});
