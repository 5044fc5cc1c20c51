import assert from 'node:assert/strict';
import * as S from '../../../src/api/schemas';
import { call, sandbox, type TestSandbox, validateIncident } from './helpers';

describe('sandbox: incidents, tenant status, audit trail', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('seeded incidents are valid against incident.schema.json: one active S2, one resolved', async () => {
    const r = await call(sb, 'GET', '/api/v1/platform/incidents', { auth: sb.key('ops_readonly') });
    assert.equal(r.status, 200);
    const list = S.IncidentList.parse(r.json);
    for (const i of r.json.incidents) assert.ok(validateIncident(i), JSON.stringify(validateIncident.errors));
    const active = list.incidents.filter(S.isActiveIncident);
    assert.equal(active.length, 1);
    assert.equal(active[0].severity, 'S2');
    assert.ok(list.incidents.some((i) => i.status === 'resolved' && i.resolved_at && i.root_cause));
    assert.ok(
      list.incidents.every((i) => i.tenant_id === 'lts'),
      'no gurkerl incidents',
    );
  });

  it('POST creates an incident (INC-YYYYMMDD-XXXXXX, schema-valid, audited); readonly may not', async () => {
    const body = { type: 'stability', severity: 'S1', summary: 'Lock broken on wien after deploy' };
    const r = await call(sb, 'POST', '/api/v1/platform/incidents', { auth: sb.key('dispatcher'), body });
    assert.equal(r.status, 201);
    const i = S.Incident.parse(r.json);
    assert.ok(validateIncident(r.json), JSON.stringify(validateIncident.errors));
    assert.match(i.id, /^INC-\d{8}-[A-Z0-9]{6}$/);
    assert.equal(i.status, 'new');
    assert.equal(i.tenant_id, 'lts');
    assert.equal(i.timeline?.at(-1)?.actor, 'dispatcher@lts.demo');
    const ro = await call(sb, 'POST', '/api/v1/platform/incidents', { auth: sb.key('ops_readonly'), body });
    assert.equal(ro.status, 403);
    const bad = await call(sb, 'POST', '/api/v1/platform/incidents', {
      auth: sb.key('dispatcher'),
      body: { type: 'weird', severity: 'S9', summary: '' },
    });
    assert.equal(bad.status, 422);
    for (const f of ['type', 'severity', 'summary']) assert.match(bad.json.message, new RegExp(f));
    const tenant = S.TenantStatus.parse(
      (await call(sb, 'GET', '/api/v1/tenant/status', { auth: sb.key('dispatcher') })).json,
    );
    assert.equal(tenant.overall_status, 'blocked', 'an active S1 stops the line');
    assert.equal(tenant.highest_severity, 'S1');
    assert.equal(tenant.blocked_count, 1);
    assert.equal(tenant.degraded_count, 1);
    assert.equal(tenant.total_active, 2);
  });

  it('PATCH updates status/root cause, appends the timeline, sets resolved_at; audited', async () => {
    const created = S.Incident.parse(
      (
        await call(sb, 'POST', '/api/v1/platform/incidents', {
          auth: sb.key('ops_lead'),
          body: { type: 'perf', severity: 'S3', summary: 'Slow evidence download' },
        })
      ).json,
    );
    const r = await call(sb, 'PATCH', `/api/v1/platform/incidents/${created.id}`, {
      auth: sb.key('ops_lead'),
      body: {
        status: 'resolved',
        root_cause: 'Cold cache after restart',
        timeline_entry: { action: 'Verified download time back under 1 s' },
      },
    });
    assert.equal(r.status, 200);
    const i = S.Incident.parse(r.json);
    assert.ok(validateIncident(r.json), JSON.stringify(validateIncident.errors));
    assert.equal(i.status, 'resolved');
    assert.ok(i.resolved_at);
    assert.equal(i.root_cause, 'Cold cache after restart');
    const actions = i.timeline!.map((t) => t.action);
    assert.ok(actions.includes('Status new -> resolved'));
    assert.ok(actions.includes('Verified download time back under 1 s'));
    const audit = S.AuditList.parse(
      (await call(sb, 'GET', '/api/v1/audit?event_type=INCIDENT_UPDATED', { auth: sb.key('ops_lead') })).json,
    );
    assert.ok(audit.total >= 1);
    const unknown = await call(sb, 'PATCH', '/api/v1/platform/incidents/INC-20990101-AAAAAA', {
      auth: sb.key('ops_lead'),
      body: { status: 'resolved' },
    });
    assert.equal(unknown.status, 404);
  });

  it('another tenant cannot see or change lts incidents', async () => {
    const lts = S.IncidentList.parse(
      (await call(sb, 'GET', '/api/v1/platform/incidents', { auth: sb.key('dispatcher') })).json,
    );
    const g = S.IncidentList.parse(
      (
        await call(sb, 'GET', '/api/v1/platform/incidents', {
          auth: sb.key('dispatcher', 'gurkerl'),
          tenant: 'gurkerl',
        })
      ).json,
    );
    const ltsIds = new Set(lts.incidents.map((i) => i.id));
    assert.ok(g.incidents.every((i) => !ltsIds.has(i.id) && i.tenant_id === 'gurkerl'));
    const patch = await call(sb, 'PATCH', `/api/v1/platform/incidents/${lts.incidents[0].id}`, {
      auth: sb.key('platform_admin', 'gurkerl'),
      tenant: 'gurkerl',
      body: { status: 'resolved' },
    });
    assert.equal(patch.status, 404);
  });

  it('GET /api/v1/audit lists entries newest first with filters and paging', async () => {
    const auth = sb.key('dispatcher');
    const all = S.AuditList.parse((await call(sb, 'GET', '/api/v1/audit?limit=200', { auth })).json);
    assert.equal(all.success, true);
    assert.ok(all.total >= 10);
    for (let i = 1; i < all.entries.length; i++)
      assert.ok(Number(all.entries[i - 1].id) > Number(all.entries[i].id));
    assert.ok(all.entries.every((e) => e.tenant_id === 'lts'));
    const page = S.AuditList.parse((await call(sb, 'GET', '/api/v1/audit?limit=2&offset=2', { auth })).json);
    assert.deepEqual(
      page.entries.map((e) => e.id),
      all.entries.slice(2, 4).map((e) => e.id),
    );
    const byUser = S.AuditList.parse(
      (await call(sb, 'GET', '/api/v1/audit?user_email=opslead@lts.demo', { auth })).json,
    );
    assert.ok(byUser.total >= 1);
    assert.ok(byUser.entries.every((e) => e.user_email === 'opslead@lts.demo'));
    const future = S.AuditList.parse(
      (await call(sb, 'GET', '/api/v1/audit?from_date=2999-01-01T00:00:00Z', { auth })).json,
    );
    assert.equal(future.total, 0);
    assert.equal((await call(sb, 'GET', '/api/v1/audit?limit=201', { auth })).status, 422);
    const one = await call(sb, 'GET', `/api/v1/audit/${all.entries[0].id}`, { auth });
    const detail = S.AuditEntryDetail.parse(one.json);
    assert.equal(detail.id, all.entries[0].id);
    assert.ok(detail.details && 'request_id' in detail.details);
    assert.equal((await call(sb, 'GET', '/api/v1/audit/999999', { auth })).status, 404);
    assert.equal((await call(sb, 'GET', '/api/v1/audit/abc', { auth })).status, 404);
  });

  it('another tenant cannot read lts audit entries by id', async () => {
    const all = S.AuditList.parse(
      (await call(sb, 'GET', '/api/v1/audit?limit=1', { auth: sb.key('dispatcher') })).json,
    );
    const r = await call(sb, 'GET', `/api/v1/audit/${all.entries[0].id}`, {
      auth: sb.key('dispatcher', 'gurkerl'),
      tenant: 'gurkerl',
    });
    assert.equal(r.status, 404);
  });

  it('the database refuses UPDATE and DELETE on audit_log (triggers)', () => {
    const count = (sb.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;
    assert.throws(() => sb.db.prepare("UPDATE audit_log SET reason = 'tampered'").run(), /append-only/);
    assert.throws(() => sb.db.prepare('DELETE FROM audit_log WHERE id = 1').run(), /append-only/);
    assert.throws(() => sb.db.exec('DELETE FROM audit_log'), /append-only/);
    assert.equal((sb.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n, count);
    const reasons = sb.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE reason = 'tampered'").get() as {
      n: number;
    };
    assert.equal(reasons.n, 0);
  });
});
