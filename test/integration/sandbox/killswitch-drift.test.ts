import assert from 'node:assert/strict';
import * as S from '../../../src/api/schemas';
import { call, P, sandbox, type TestSandbox, wienRuns } from './helpers';

const ks = (
  action: 'disable' | 'enable',
  mode: 'drill' | 'emergency',
  extra: Record<string, string> = {},
) => ({
  action,
  mode,
  reason: `${mode} ${action} for the tests`,
  ...extra,
});

describe('sandbox: kill switch and fire drills', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('a drill disable by a dispatcher freezes publish and lock; enable restores them', async () => {
    const disp = sb.key('dispatcher');
    const off = await call(sb, 'POST', `${P}/kill-switch`, { auth: disp, body: ks('disable', 'drill') });
    assert.equal(off.status, 200);
    const s = S.SystemStatus.parse(off.json);
    assert.equal(s.kill_switch_active, true);
    assert.equal(s.publish_enabled, false);
    assert.equal(s.lock_enabled, false);
    assert.equal(s.kill_switch_mode, 'drill');
    assert.equal(s.kill_switch_activated_by, 'dispatcher@lts.demo');
    assert.equal(s.kill_switch_reason, 'drill disable for the tests');
    assert.ok(s.kill_switch_activated_at);

    const runs = await wienRuns(sb, disp);
    const pub = await call(sb, 'POST', `${P}/runs/${runs[0].run_id}/publish`, {
      auth: disp,
      body: { approver_id: 'd', approver_role: 'dispatcher', reason: 'publish while frozen' },
    });
    assert.equal(pub.status, 200);
    const p = S.PublishLockResponse.parse(pub.json);
    assert.equal(p.success, false);
    assert.equal(p.status, 'BLOCKED_KILL_SWITCH');
    assert.equal(p.error_code, 'FREEZE_ACTIVE');
    const published = runs.find((r) => r.published && !r.locked && r.status === 'PASS');
    const lock = S.PublishLockResponse.parse(
      (
        await call(sb, 'POST', `${P}/runs/${published.run_id}/lock`, {
          auth: disp,
          body: { approver_id: 'd', approver_role: 'dispatcher', reason: 'lock while frozen' },
        })
      ).json,
    );
    assert.equal(lock.status, 'BLOCKED_KILL_SWITCH');
    assert.equal(lock.error_code, 'FREEZE_ACTIVE');

    const tenant = S.TenantStatus.parse(
      (await call(sb, 'GET', '/api/v1/tenant/status', { auth: disp })).json,
    );
    assert.ok(
      tenant.active_escalations.some((e) => e.reason_code === 'KILL_SWITCH_ACTIVE' && e.scope_id === 'wien'),
    );

    const on = S.SystemStatus.parse(
      (await call(sb, 'POST', `${P}/kill-switch`, { auth: disp, body: ks('enable', 'drill') })).json,
    );
    assert.equal(on.kill_switch_active, false);
    assert.equal(on.publish_enabled, true);
    assert.equal(on.lock_enabled, true);
  });

  it('toggling to the current state is idempotent (200, unchanged) and still audited', async () => {
    const disp = sb.key('dispatcher');
    const before = (
      sb.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE event_type LIKE 'KILL_SWITCH_%'").get() as {
        n: number;
      }
    ).n;
    const r = await call(sb, 'POST', `${P}/kill-switch`, { auth: disp, body: ks('enable', 'drill') });
    assert.equal(r.status, 200);
    assert.equal(S.SystemStatus.parse(r.json).kill_switch_active, false);
    const after = (
      sb.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE event_type LIKE 'KILL_SWITCH_%'").get() as {
        n: number;
      }
    ).n;
    assert.equal(after, before + 1);
    const row = sb.db
      .prepare("SELECT * FROM audit_log WHERE event_type = 'KILL_SWITCH_ENABLE' ORDER BY id DESC LIMIT 1")
      .get() as {
      details: string;
      user_email: string;
      role_name: string;
      request_id: string;
      site_code: string;
    };
    assert.equal(JSON.parse(row.details).changed, false);
    assert.equal(row.user_email, 'dispatcher@lts.demo');
    assert.equal(row.role_name, 'dispatcher');
    assert.equal(row.site_code, 'wien');
    assert.ok(row.request_id);
  });

  it('emergency disable: ops_lead/platform_admin only', async () => {
    for (const role of ['ops_readonly', 'dispatcher', 'operator_admin', 'tenant_admin'] as const) {
      const r = await call(sb, 'POST', `${P}/kill-switch`, {
        auth: sb.key(role),
        body: ks('disable', 'emergency'),
      });
      assert.equal(r.status, 403, role);
      assert.equal(S.ErrorBody.parse(r.json).error, 'PERMISSION_DENIED');
    }
    const r = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('ops_lead'),
      body: ks('disable', 'emergency'),
    });
    assert.equal(r.status, 200);
    assert.equal(S.SystemStatus.parse(r.json).kill_switch_mode, 'emergency');
  });

  it('re-enable after an emergency: only platform_admin, only with rca_ref', async () => {
    for (const role of ['dispatcher', 'ops_lead'] as const) {
      for (const mode of ['drill', 'emergency'] as const) {
        const r = await call(sb, 'POST', `${P}/kill-switch`, {
          auth: sb.key(role),
          body: ks('enable', mode, { rca_ref: 'RCA-1' }),
        });
        assert.equal(r.status, 403, `${role} ${mode}`);
      }
    }
    const noRca = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('platform_admin'),
      body: ks('enable', 'emergency'),
    });
    assert.equal(noRca.status, 403);
    assert.match(noRca.json.message, /rca_ref/);
    const ok = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('platform_admin'),
      body: ks('enable', 'emergency', { rca_ref: 'RCA-2026-007' }),
    });
    assert.equal(ok.status, 200);
    assert.equal(S.SystemStatus.parse(ok.json).kill_switch_active, false);
    const row = sb.db
      .prepare(
        "SELECT details FROM audit_log WHERE event_type = 'KILL_SWITCH_ENABLE' ORDER BY id DESC LIMIT 1",
      )
      .get() as { details: string };
    assert.equal(JSON.parse(row.details).rca_ref, 'RCA-2026-007');
  });

  it('an emergency disable during a fire drill upgrades it: a dispatcher can no longer re-enable', async () => {
    const drill = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('dispatcher'),
      body: ks('disable', 'drill'),
    });
    assert.equal(S.SystemStatus.parse(drill.json).kill_switch_mode, 'drill');
    const emergency = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('ops_lead'),
      body: ks('disable', 'emergency'),
    });
    assert.equal(emergency.status, 200);
    const s = S.SystemStatus.parse(emergency.json);
    assert.equal(s.kill_switch_active, true);
    assert.equal(s.kill_switch_mode, 'emergency', 'the drill became an emergency stop');
    assert.equal(s.kill_switch_activated_by, 'opslead@lts.demo');
    assert.equal(s.kill_switch_reason, 'emergency disable for the tests');
    const row = sb.db
      .prepare(
        "SELECT details FROM audit_log WHERE event_type = 'KILL_SWITCH_DISABLE' ORDER BY id DESC LIMIT 1",
      )
      .get() as { details: string };
    assert.equal(JSON.parse(row.details).changed, true);
    const dispatcherEnable = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('dispatcher'),
      body: ks('enable', 'drill'),
    });
    assert.equal(dispatcherEnable.status, 403, 'the drill re-enable no longer lifts it');
    const again = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('ops_lead'),
      body: ks('disable', 'drill'),
    });
    assert.equal(
      S.SystemStatus.parse(again.json).kill_switch_mode,
      'emergency',
      'a drill never downgrades it',
    );
    const ok = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('platform_admin'),
      body: ks('enable', 'emergency', { rca_ref: 'RCA-2026-008' }),
    });
    assert.equal(S.SystemStatus.parse(ok.json).kill_switch_active, false);
  });

  it('validates the body: reason >= 10 characters, known action and mode', async () => {
    const r = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('platform_admin'),
      body: { action: 'pause', mode: 'drill', reason: 'short' },
    });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /action/);
    assert.match(r.json.message, /reason/);
    const padded = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('platform_admin'),
      body: { action: 'disable', mode: 'drill', reason: '   drill    ' },
    });
    assert.equal(padded.status, 422);
    assert.match(padded.json.message, /reason: must be at least 10 characters/);
  });

  it('fire drills: seeded history, record a drill, readonly may not record', async () => {
    const disp = sb.key('dispatcher');
    const list = S.FireDrillList.parse((await call(sb, 'GET', `${P}/fire-drills`, { auth: disp })).json);
    assert.ok(list.drills.length >= 1);
    const body = {
      started_at: new Date().toISOString(),
      disable_ms: 812,
      enable_ms: 640,
      verified_disabled: true,
      verified_enabled: true,
      result: 'PASS',
      notes: 'Monday drill',
    };
    const r = await call(sb, 'POST', `${P}/fire-drills`, { auth: disp, body });
    assert.equal(r.status, 201);
    const d = S.FireDrill.parse(r.json);
    assert.equal(d.site_code, 'wien');
    assert.equal(d.by, 'dispatcher@lts.demo');
    assert.equal(d.disable_ms, 812);
    const again = S.FireDrillList.parse((await call(sb, 'GET', `${P}/fire-drills`, { auth: disp })).json);
    assert.equal(again.drills.length, list.drills.length + 1);
    assert.equal(again.drills[0].id, d.id);
    const ro = await call(sb, 'POST', `${P}/fire-drills`, { auth: sb.key('ops_readonly'), body });
    assert.equal(ro.status, 403);
  });
});

describe('sandbox: KPI drift', () => {
  let sb: TestSandbox;
  // biome-ignore lint/suspicious/noExplicitAny: run summaries
  let runs: any[];
  before(async () => {
    sb = await sandbox();
    runs = await wienRuns(sb, sb.key('dispatcher'));
  });
  after(async () => {
    await sb.stop();
  });

  it('GET /drift (latest run) gives the runbook verdict and the detector score/level', async () => {
    const r = await call(sb, 'GET', `${P}/drift`, { auth: sb.key('ops_readonly') });
    assert.equal(r.status, 200);
    const d = S.DriftReport.parse(r.json);
    assert.equal(d.run_id, runs[0].run_id);
    assert.equal(d.baseline_date, '2026-01-08');
    assert.deepEqual(
      d.metrics.map((m) => m.kpi),
      ['headcount', 'coverage_percent', 'fte_ratio'],
    );
    assert.equal(d.metrics[0].baseline, 145);
    assert.equal(d.verdict, 'OK');
    assert.equal(typeof d.score, 'number');
    assert.ok(['OK', 'WARNING', 'ALERT', 'INCIDENT'].includes(d.level!));
  });

  it('the bad coverage week is BLOCK; the headcount week is WARN', async () => {
    const blocked = runs.find((r) => r.status === 'BLOCKED');
    const b = S.DriftReport.parse(
      (await call(sb, 'GET', `${P}/drift?run_id=${blocked.run_id}`, { auth: sb.key('dispatcher') })).json,
    );
    assert.equal(b.verdict, 'BLOCK');
    assert.equal(b.metrics.find((m) => m.kpi === 'coverage_percent')!.verdict, 'BLOCK');
    const warn = runs.find((r) => r.status === 'WARN' && r.audit_pass_count === 7);
    const w = S.DriftReport.parse(
      (await call(sb, 'GET', `${P}/drift?run_id=${warn.run_id}`, { auth: sb.key('dispatcher') })).json,
    );
    assert.equal(w.verdict, 'WARN');
    const head = w.metrics.find((m) => m.kpi === 'headcount')!;
    assert.equal(head.verdict, 'WARN');
    assert.ok(head.drift_pct! > 5);
    assert.ok(w.score! > 10, `headcount outlier scores above OK (${w.score})`);
  });

  it('unknown run_id is 404', async () => {
    const r = await call(sb, 'GET', `${P}/drift?run_id=RUN-20990101-001`, { auth: sb.key('dispatcher') });
    assert.equal(r.status, 404);
  });

  it('PUT /drift/baseline: ops_lead/platform_admin only; updates the baseline and is audited', async () => {
    const body = { values: { total_drivers: 160 }, reason: 'Seasonal peak: more drivers expected' };
    for (const role of ['ops_readonly', 'dispatcher', 'operator_admin', 'tenant_admin'] as const) {
      const r = await call(sb, 'PUT', `${P}/drift/baseline`, { auth: sb.key(role), body });
      assert.equal(r.status, 403, role);
    }
    const r = await call(sb, 'PUT', `${P}/drift/baseline`, { auth: sb.key('ops_lead'), body });
    assert.equal(r.status, 200);
    const d = S.DriftReport.parse(r.json);
    assert.equal(d.metrics[0].baseline, 160);
    assert.equal(d.metrics[0].verdict, 'WARN', 'the normal week now drifts from 160');
    const again = S.DriftReport.parse(
      (await call(sb, 'GET', `${P}/drift`, { auth: sb.key('dispatcher') })).json,
    );
    assert.equal(again.metrics[0].baseline, 160);
    const audit = S.AuditList.parse(
      (
        await call(sb, 'GET', '/api/v1/audit?event_type=DRIFT_BASELINE_UPDATED', {
          auth: sb.key('dispatcher'),
        })
      ).json,
    );
    assert.equal(audit.total, 1);
    assert.equal(audit.entries[0].user_email, 'opslead@lts.demo');
    const short = await call(sb, 'PUT', `${P}/drift/baseline`, {
      auth: sb.key('platform_admin'),
      body: { values: { total_drivers: 150 }, reason: 'short' },
    });
    assert.equal(short.status, 422);
  });

  it('a band update with percent coverage is stored as a ratio band', async () => {
    const r = await call(sb, 'PUT', `${P}/drift/baseline`, {
      auth: sb.key('platform_admin'),
      body: {
        values: { coverage_percent: { expected: 100, min: 98 } },
        reason: 'Align coverage band with SLA',
      },
    });
    assert.equal(r.status, 200);
    assert.deepEqual(
      {
        expected: r.json.baseline.roster_kpis.coverage.expected,
        min: r.json.baseline.roster_kpis.coverage.min,
      },
      { expected: 1, min: 0.98 },
    );
  });
});
