import assert from 'node:assert/strict';
import * as S from '../../../src/api/schemas';
import { call, login, P, sandbox, type TestSandbox, wienRuns } from './helpers';

describe('sandbox: tenant isolation and scope headers', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  const tenantRoutes = (runId: string): [string, string, unknown?][] => [
    ['GET', `${P}/status`],
    ['GET', `${P}/runs`],
    ['GET', `${P}/runs/${runId}`],
    [
      'POST',
      `${P}/runs/${runId}/publish`,
      { approver_id: 'x', approver_role: 'platform_admin', reason: 'cross tenant try' },
    ],
    [
      'POST',
      `${P}/runs/${runId}/lock`,
      { approver_id: 'x', approver_role: 'platform_admin', reason: 'cross tenant' },
    ],
    ['GET', `${P}/evidence/${runId}`],
    ['GET', `${P}/evidence/${runId}/checksums`],
    ['POST', `${P}/kill-switch`, { action: 'disable', mode: 'emergency', reason: 'cross tenant try' }],
    ['GET', `${P}/fire-drills`],
    ['GET', `${P}/drift`],
    ['GET', '/api/v1/platform/incidents'],
    ['GET', '/api/v1/tenant/status'],
    ['GET', '/api/v1/audit'],
  ];

  it('an lts credential asking for gurkerl gets 403 TENANT_MISMATCH on every tenant route, never data', async () => {
    const ltsAdmin = sb.key('platform_admin');
    const gurkerlRuns = await call(sb, 'GET', `${P}/runs?limit=1`, {
      auth: sb.key('dispatcher', 'gurkerl'),
      tenant: 'gurkerl',
    });
    const gRun = gurkerlRuns.json.runs[0].run_id;
    for (const [method, path, body] of tenantRoutes(gRun)) {
      const r = await call(sb, method, path, { auth: ltsAdmin, tenant: 'gurkerl', site: 'graz', body });
      assert.equal(r.status, 403, `${method} ${path}`);
      const e = S.ErrorBody.parse(r.json);
      assert.equal(e.error, 'TENANT_MISMATCH', `${method} ${path}`);
      assert.doesNotMatch(r.text, /RUN-|INC-|graz/i);
    }
    const s = await call(sb, 'GET', `${P}/status`, {
      auth: sb.key('dispatcher', 'gurkerl'),
      tenant: 'gurkerl',
    });
    assert.equal(S.SystemStatus.parse(s.json).kill_switch_active, false, 'gurkerl kill switch untouched');
    const logged = sb.db
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE event_type = 'TENANT_MISMATCH'")
      .get() as {
      n: number;
    };
    assert.equal(logged.n, tenantRoutes(gRun).length);
  });

  it('a session token is bound to its tenant too', async () => {
    const { json } = await login(sb, 'dispatcher@gurkerl.demo');
    const r = await call(sb, 'GET', `${P}/runs`, { auth: json.token, tenant: 'lts', site: 'wien' });
    assert.equal(r.status, 403);
    assert.equal(r.json.error, 'TENANT_MISMATCH');
    const own = S.RunList.parse(
      (await call(sb, 'GET', `${P}/runs`, { auth: json.token, tenant: 'gurkerl' })).json,
    );
    assert.ok(own.runs.length >= 5);
    assert.ok(own.runs.every((run) => run.tenant_code === 'gurkerl' && run.site_code === 'graz'));
  });

  it('login with another tenant_id is refused', async () => {
    const r = await call(sb, 'POST', '/api/auth/login', {
      body: { email: 'dispatcher@lts.demo', password: 'solvereign-demo', tenant_id: 'gurkerl' },
    });
    assert.equal(r.status, 403);
    assert.equal(r.json.detail.error_code, 'TENANT_MISMATCH');
  });

  it('an lts run id does not exist on a gurkerl site', async () => {
    const runs = await wienRuns(sb, sb.key('dispatcher'));
    const r = await call(sb, 'GET', `${P}/runs/${runs[0].run_id}`, {
      auth: sb.key('dispatcher', 'gurkerl'),
      tenant: 'gurkerl',
    });
    assert.ok(r.status === 404, `status ${r.status}`);
    assert.equal(r.json.error, 'not_found');
  });

  it('missing X-Tenant-Code / X-Site-Code: 422 validation_error naming the header', async () => {
    const auth = sb.key('dispatcher');
    const noTenant = await call(sb, 'GET', `${P}/status`, { auth, tenant: null });
    assert.equal(noTenant.status, 422);
    assert.equal(S.ErrorBody.parse(noTenant.json).error, 'validation_error');
    assert.match(noTenant.json.message, /X-Tenant-Code/);
    const noSite = await call(sb, 'GET', `${P}/runs`, { auth, site: null });
    assert.equal(noSite.status, 422);
    assert.match(noSite.json.message, /X-Site-Code/);
    const incidents = await call(sb, 'GET', '/api/v1/platform/incidents', { auth, tenant: null, site: null });
    assert.equal(incidents.status, 422);
    const ok = await call(sb, 'GET', '/api/v1/platform/incidents', { auth, site: null });
    assert.equal(ok.status, 200, 'incidents need the tenant, not the site');
  });

  it('an unknown site is 404', async () => {
    const r = await call(sb, 'GET', `${P}/status`, { auth: sb.key('dispatcher'), site: 'linz' });
    assert.equal(r.status, 404);
    assert.equal(S.ErrorBody.parse(r.json).error, 'not_found');
    assert.match(r.json.message, /linz/);
  });

  it('ops_readonly reads everything but writes nothing', async () => {
    const ro = sb.key('ops_readonly');
    const runs = await wienRuns(sb, ro);
    for (const path of [
      `${P}/status`,
      `${P}/runs`,
      `${P}/runs/${runs[0].run_id}`,
      `${P}/drift`,
      `${P}/fire-drills`,
    ]) {
      assert.equal((await call(sb, 'GET', path, { auth: ro })).status, 200, path);
    }
    const writes: [string, string, unknown][] = [
      [
        'POST',
        `${P}/runs/${runs[0].run_id}/publish`,
        { approver_id: 'r', approver_role: 'dispatcher', reason: 'readonly try' },
      ],
      ['POST', `${P}/kill-switch`, { action: 'disable', mode: 'drill', reason: 'readonly try!' }],
      ['PUT', `${P}/drift/baseline`, { values: { total_drivers: 1 }, reason: 'readonly try!' }],
      ['POST', '/api/v1/platform/incidents', { type: 'perf', severity: 'S3', summary: 'x' }],
    ];
    for (const [method, path, body] of writes) {
      const r = await call(sb, method, path, { auth: ro, body });
      assert.equal(r.status, 403, `${method} ${path}`);
      assert.equal(r.json.error, 'PERMISSION_DENIED');
    }
  });
});
