// Tolerant reading: every answer captured from live SOLVEREIGN parses, and every response schema
// survives extra fields, enum values it does not know and nested values, keeping what it can.
import assert from 'node:assert/strict';
import { describeValue, droppedNote, flattenChecks, isKnown, type Reader } from '../../../src/api/lenient';
import * as S from '../../../src/api/schemas';
import * as z from 'zod/mini';
import { evaluateHealth } from '../../../src/ops/healthCheck';
import live from './fixtures/live-responses.json';

type Capture = { request: { method: string; path: string }; status: number; body: unknown };
const captures = live as unknown as Record<string, Capture>;

/** The schema each successful live answer is read with, by its request. */
function schemaFor(c: Capture): Reader<unknown> | undefined {
  const path = c.request.path.replace(/\?.*$/, '');
  if (path === '/health') return S.Health;
  if (path === '/health/ready') return S.Readiness;
  if (path === '/health/live') return S.Liveness;
  if (path.endsWith('/dispatcher/status')) return S.SystemStatus;
  if (path.endsWith('/dispatcher/runs')) return S.RunList;
  if (/\/runs\/[^/]+\/(publish|lock)$/.test(path)) return S.PublishLockResponse;
  if (/\/runs\/[^/]+$/.test(path)) return S.RunDetail;
  if (/\/evidence\/[^/]+\/checksums$/.test(path)) return S.EvidenceChecksums;
  return undefined;
}

describe('schemas: every answer live SOLVEREIGN gave parses', () => {
  const ok = Object.entries(captures).filter(([, c]) => c.status >= 200 && c.status < 300);
  it('has the 35 captures, the successful ones all with a schema', () => {
    assert.equal(Object.keys(captures).length, 35);
    for (const [name, c] of ok) assert.ok(schemaFor(c), `no schema for ${name} ${c.request.path}`);
  });
  for (const [name, c] of ok) {
    it(`${name}: ${c.request.method} ${c.request.path}`, () => {
      const r = schemaFor(c)!.safeParse(c.body);
      assert.ok(r.success, r.success ? '' : JSON.stringify(r.error.issues));
      assert.equal((r.data as { dropped?: unknown }).dropped, undefined, 'nothing left out');
    });
  }
  it("keeps live's UNKNOWN drift and names it unknown for display", () => {
    const list = S.RunList.parse(captures['runs-with-unknown-drift-run']!.body);
    const run = list.runs.find((r) => r.kpi_drift_status === 'UNKNOWN');
    assert.ok(run, 'the UNKNOWN-drift run is in the list');
    assert.equal(isKnown(S.DRIFT_STATUSES, run.kpi_drift_status), false);
    assert.equal(describeValue(S.DRIFT_STATUSES, run.kpi_drift_status), "unknown: server sent 'UNKNOWN'");
    const status = S.SystemStatus.parse(captures['status-with-unknown-drift-run']!.body);
    assert.equal(status.latest_run?.kpi_drift_status, 'UNKNOWN');
  });
  it("reads live's nested readiness checks and the health check passes on them", () => {
    const ready = S.Readiness.parse(captures['health-ready']!.body);
    assert.deepEqual(flattenChecks(ready.checks), [
      { name: 'database', value: 'healthy' },
      { name: 'policy_service', value: 'healthy' },
      { name: 'packs.roster', value: 'available' },
      { name: 'packs.routing', value: 'available' },
    ]);
    const health = S.Health.parse(captures.health!.body);
    const [api] = evaluateHealth({ health, ready, incidents: [], errors: [] });
    assert.equal(api!.verdict, 'PASS', api!.detail);
  });
  it('names a failing nested check when the server is not ready', () => {
    const ready = S.Readiness.parse({
      status: 'not_ready',
      checks: { database: 'healthy', packs: { roster: 'available', routing: 'missing' } },
    });
    const [api] = evaluateHealth({ health: { status: 'healthy' }, ready, incidents: [], errors: [] });
    assert.equal(api!.verdict, 'FAIL');
    assert.match(api!.detail, /packs\.routing: missing/);
  });
  it("reads live's /me without a success field", () => {
    const me = S.Session.parse({
      user_id: 7,
      email: 'ops@lts.example',
      tenant_id: 1,
      site_id: null,
      role_name: 'dispatcher',
      permissions: [],
      expires_at: null,
    });
    assert.equal(me.success, undefined);
    assert.equal(me.role_name, 'dispatcher');
  });
});

// ---------------------------------------------------------------- every response type, perturbed

const run = (captures['runs']!.body as { runs: Record<string, unknown>[] }).runs[0]!;
const detail = captures['run-detail-fail']!.body as Record<string, unknown>;
const incident = {
  id: 'INC-20260113-ABC123',
  type: 'stability',
  severity: 'S1',
  status: 'active',
  summary: 'Solver timeouts',
  created_at: '2026-01-13T08:00:00Z',
  timeline: [{ timestamp: '2026-01-13T08:00:00Z', action: 'opened', actor: 'ops' }],
};
const samples: [string, Reader<unknown>, unknown][] = [
  ['Health', S.Health, captures.health!.body],
  ['Readiness', S.Readiness, captures['health-ready']!.body],
  ['Liveness', S.Liveness, captures['health-live']!.body],
  ['SystemStatus', S.SystemStatus, captures.status!.body],
  ['RunList', S.RunList, captures.runs!.body],
  ['RunDetail', S.RunDetail, detail],
  ['PublishLockResponse', S.PublishLockResponse, captures['publish-reason-short']!.body],
  [
    'RepairResponse',
    S.RepairResponse,
    { request_id: 'REP-1', run_id: 'RUN-1', status: 'PENDING', message: null },
  ],
  ['EvidenceChecksums', S.EvidenceChecksums, captures['evidence-checksums']!.body],
  [
    'FireDrillList',
    S.FireDrillList,
    {
      drills: [
        {
          id: 'FD-1',
          site_code: 'wien',
          started_at: '2026-01-13T08:00:00Z',
          disable_ms: 120,
          enable_ms: 130,
          verified_disabled: true,
          verified_enabled: true,
          result: 'PASS',
          notes: null,
          by: 'ops',
        },
      ],
    },
  ],
  [
    'DriftReport',
    S.DriftReport,
    {
      tenant_code: 'lts',
      site_code: 'wien',
      run_id: 'RUN-1',
      baseline_date: '2026-01-01',
      verdict: 'WARN',
      level: 'WARNING',
      score: 12,
      metrics: [
        { kpi: 'headcount', baseline: 140, current: 150, drift_pct: 7.1, rule: 'r', verdict: 'WARN' },
      ],
    },
  ],
  ['IncidentList', S.IncidentList, { incidents: [incident] }],
  [
    'TenantStatus',
    S.TenantStatus,
    {
      overall_status: 'degraded',
      highest_severity: 'S2',
      total_active: 1,
      blocked_count: 0,
      degraded_count: 1,
      active_escalations: [
        { id: 1, scope_type: 'site', scope_id: 'wien', status: 'active', severity: 'S2', reason_code: 'X' },
      ],
    },
  ],
  [
    'AuditList',
    S.AuditList,
    {
      success: true,
      total: 1,
      entries: [{ id: 1, event_type: 'publish', created_at: '2026-01-13T08:00:00Z' }],
    },
  ],
  ['CreateRunResponse', S.CreateRunResponse, { run_id: 'RUN-1', status: 'PENDING' }],
  ['SolveEvent', S.SolveEvent, { type: 'complete', run_id: 'RUN-1', status: 'PASS' }],
  ['Session (login)', S.Session, { ...detailless(), success: true }],
];
function detailless() {
  return { user_id: 1, email: 'a@b', role_name: 'dispatcher', permissions: ['x'], tenant_id: 1 };
}

const ENUM_VALUES = new Set<string>([
  ...S.RUN_STATUSES,
  ...S.DRIFT_STATUSES,
  ...S.AUDIT_STATUSES,
  ...S.PUBLISH_LOCK_STATUSES,
  ...S.KILL_SWITCH_MODES,
  ...S.DRIFT_LEVELS,
  ...S.READINESS_STATUSES,
  'degraded',
  'site',
  'S2',
  'S1',
]);
const NEW = 'SENT_BY_A_NEWER_SERVER';

/** Extra fields on every object, every enum value replaced, a nested object beside every map. */
function perturb(v: unknown, key = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => perturb(x));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = perturb(x, k);
    out.field_from_the_future = { nested: [1, { deeper: true }] };
    if (key === 'checks' || key === 'checksums') out.nested_map = { a: 'b' };
    return out;
  }
  if (typeof v === 'string' && ENUM_VALUES.has(v) && key !== 'type') return NEW;
  return v;
}

describe('schemas: extra fields, unknown enum values and nested values never fail an answer', () => {
  for (const [name, schema, body] of samples) {
    it(name, () => {
      const input = perturb(body);
      const r = schema.safeParse(input);
      if (name === 'EvidenceChecksums') {
        // A file name mapped to an object is not a checksum: reading it as one would be a lie.
        assert.equal(r.success, false);
        return;
      }
      assert.ok(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3)));
      const text = JSON.stringify(r.data);
      // Stripped from the record (maps and free-form `details` keep what they hold, by design).
      assert.equal((r.data as Record<string, unknown>).field_from_the_future, undefined);
      if (name === 'IncidentList') {
        // An incident outside incident.schema.json is left out with a note, not the whole list.
        const list = r.data as S.IncidentList;
        assert.equal(list.incidents.length, 0);
        assert.equal(list.dropped?.length, 1);
        assert.match(droppedNote(list.dropped) ?? '', /incidents\[0\] INC-20260113-ABC123/);
        return;
      }
      const sent = JSON.stringify(input).split(NEW).length - 1;
      assert.ok(
        sent > 0 ||
          name === 'Liveness' ||
          name.startsWith('Session') ||
          name === 'Health' ||
          name === 'AuditList' ||
          name === 'RepairResponse',
      );
      assert.equal(text.split(NEW).length - 1, sent, 'every unknown enum value is kept as sent');
    });
  }
});

describe('schemas: one odd record never fails a list or the status', () => {
  it('drops a run without an id from the list, with a note, and keeps the rest', () => {
    const body = {
      runs: [run, { ...run, run_id: undefined, status: 7 }, { ...run, run_id: 'RUN-X' }],
      total: 3,
    };
    const list = S.RunList.parse(body);
    assert.deepEqual(
      list.runs.map((r) => r.run_id),
      [run.run_id, 'RUN-X'],
    );
    assert.equal(list.dropped?.length, 1);
    assert.equal(list.dropped?.[0]?.at, 'runs[1]');
    assert.match(droppedNote(list.dropped) ?? '', /1 record .* left out \(runs\[1\]: run_id/);
  });
  it('keeps the status when its latest run cannot be read (latest_run null, with a note)', () => {
    const body = { ...(captures.status!.body as object), latest_run: { run_id: 'RUN-1' } };
    const s = S.SystemStatus.parse(body);
    assert.equal(s.latest_run, null);
    assert.equal(s.kill_switch_active, false);
    assert.equal(s.dropped?.[0]?.id, 'RUN-1');
  });
  it('requests stay strict: a publish reason under 10 characters and an unknown kill-switch mode are refused', () => {
    assert.equal(
      S.PublishRequest.safeParse({ approver_id: 'a', approver_role: 'dispatcher', reason: 'short' }).success,
      false,
    );
    assert.equal(
      S.KillSwitchRequest.safeParse({ action: 'disable', mode: 'panic', reason: 'long enough reason' })
        .success,
      false,
    );
  });
});

describe('schemas: built on first use, indistinguishable from the schema', () => {
  it('a stand-in answers like its schema: parse, shape, prototype, nested and in other schemas', () => {
    assert.equal(Object.getPrototypeOf(S.IncidentEvidence), Object.getPrototypeOf(z.strictObject({})));
    assert.deepEqual(S.IncidentEvidence.shape.type.options, [
      'log',
      'artifact',
      'screenshot',
      'dump',
      'config',
    ]);
    assert.ok('safeParse' in S.RunDetail);
    // A stand-in inside a schema of the caller's own.
    const wrapped = z.object({ evidence: z.array(S.IncidentEvidence) });
    assert.equal(wrapped.safeParse({ evidence: [{ type: 'log', path: 'a', extra: 1 }] }).success, false);
    assert.ok(wrapped.safeParse({ evidence: [{ type: 'log', path: 'a' }] }).success);
    const bad = S.KillSwitchRequest.safeParse({
      action: 'disable',
      mode: 'fire',
      reason: 'long enough reason',
    });
    assert.equal(bad.success, false);
    assert.deepEqual(
      bad.error?.issues.map((i) => i.path.join('.')),
      ['mode'],
    );
  });
});
