import assert from 'node:assert/strict';
import * as S from '../../../src/api/schemas';
import { call, login, P, sandbox, type TestSandbox } from './helpers';

describe('sandbox: health and auth', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('GET /health, /health/ready, /health/live answer without credentials', async () => {
    const h = await call(sb, 'GET', '/health', { tenant: null, site: null });
    assert.equal(h.status, 200);
    const health = S.Health.parse(h.json);
    assert.equal(health.status, 'healthy');
    assert.equal(health.db, 'connected');
    assert.equal(health.redis, 'not_configured');
    assert.ok(health.version && health.timestamp);
    const ready = S.Readiness.parse((await call(sb, 'GET', '/health/ready')).json);
    assert.equal(ready.status, 'ready');
    assert.equal(ready.checks.database, 'healthy');
    assert.deepEqual(S.Liveness.parse((await call(sb, 'GET', '/health/live')).json), { status: 'alive' });
  });

  it('login returns the session with token, cookie and available_tenants', async () => {
    const r = await login(sb, 'dispatcher@lts.demo');
    assert.equal(r.status, 200);
    const s = S.Session.parse(r.json);
    assert.equal(s.success, true);
    assert.equal(s.role_name, 'dispatcher');
    assert.equal(s.tenant_id, 'lts');
    assert.equal(s.site_id, 'wien');
    assert.equal(s.is_platform_admin, false);
    assert.ok(s.permissions.includes('runs:publish'));
    assert.ok(s.token?.startsWith('svs_'));
    assert.deepEqual(s.available_tenants, [
      {
        tenant_code: 'lts',
        tenant_name: 'LTS Transport & Logistik',
        sites: [{ site_code: 'wien', site_name: 'Wien' }],
      },
    ]);
    const cookie = r.headers.get('set-cookie') ?? '';
    assert.match(cookie, new RegExp(`^sv_platform_session=${s.token}; `));
    assert.match(cookie, /HttpOnly/);
    const exp = Date.parse(s.expires_at!);
    assert.ok(Math.abs(exp - Date.now() - 8 * 3600_000) < 60_000, 'expires in 8 h');
  });

  it('the session token works as Bearer and as cookie; /api/auth/me describes the user', async () => {
    const { json } = await login(sb, 'opslead@lts.demo');
    const me = await call(sb, 'GET', '/api/auth/me', { auth: json.token, tenant: null, site: null });
    assert.equal(me.status, 200);
    const s = S.Session.parse(me.json);
    assert.equal(s.email, 'opslead@lts.demo');
    assert.equal(s.role_name, 'ops_lead');
    assert.equal(s.token, undefined);
    const viaCookie = await call(sb, 'GET', `${P}/status`, {
      headers: { Cookie: `sv_platform_session=${json.token}` },
    });
    assert.equal(viaCookie.status, 200);
    S.SystemStatus.parse(viaCookie.json);
  });

  it('an API key works on /api/auth/me and reports the key owner', async () => {
    const me = await call(sb, 'GET', '/api/auth/me', {
      auth: sb.key('platform_admin'),
      tenant: null,
      site: null,
    });
    assert.equal(me.status, 200);
    const s = S.Session.parse(me.json);
    assert.equal(s.email, 'platform@lts.demo');
    assert.equal(s.is_platform_admin, true);
  });

  it('logout ends the session', async () => {
    const { json } = await login(sb, 'readonly@lts.demo');
    const out = await call(sb, 'POST', '/api/auth/logout', { auth: json.token, tenant: null, site: null });
    assert.equal(out.status, 200);
    assert.match(out.headers.get('set-cookie') ?? '', /Max-Age=0/);
    const after = await call(sb, 'GET', '/api/auth/me', { auth: json.token, tenant: null, site: null });
    assert.equal(after.status, 401);
    assert.equal(S.ErrorBody.parse(after.json).error, 'ERR_AUTH_001');
  });

  it('refresh returns a new token; the old one stops working', async () => {
    const { json } = await login(sb, 'dispatcher@lts.demo');
    const r = await call(sb, 'POST', '/api/auth/refresh', { auth: json.token, tenant: null, site: null });
    assert.equal(r.status, 200);
    const fresh = S.RefreshResponse.parse(r.json);
    assert.notEqual(fresh.token, json.token);
    assert.equal((await call(sb, 'GET', '/api/auth/me', { auth: fresh.token })).status, 200);
    assert.equal((await call(sb, 'GET', '/api/auth/me', { auth: json.token })).status, 401);
  });

  it('refresh with an API key is a validation error', async () => {
    const r = await call(sb, 'POST', '/api/auth/refresh', { auth: sb.key('dispatcher') });
    assert.equal(r.status, 422);
    assert.equal(S.ErrorBody.parse(r.json).error, 'validation_error');
  });

  it('an expired session token answers 401 ERR_AUTH_002 and cannot be refreshed', async () => {
    const { json } = await login(sb, 'dispatcher@lts.demo');
    sb.advance(8 * 3600_000 + 1000);
    try {
      const r = await call(sb, 'GET', `${P}/status`, { auth: json.token });
      assert.equal(r.status, 401);
      const e = S.ErrorBody.parse(r.json);
      assert.equal(e.error, 'ERR_AUTH_002');
      const refresh = await call(sb, 'POST', '/api/auth/refresh', { auth: json.token });
      assert.equal(refresh.status, 401);
      assert.equal(refresh.json.error, 'ERR_AUTH_002');
      // API keys do not expire.
      assert.equal((await call(sb, 'GET', `${P}/status`, { auth: sb.key('dispatcher') })).status, 200);
    } finally {
      sb.advance(-(8 * 3600_000 + 1000));
    }
  });

  it('a bad API key answers 401 ERR_AUTH_001; no credentials too', async () => {
    const bad = await call(sb, 'GET', `${P}/status`, { auth: 'sv_lts_dispatcher_demo_wrong' });
    assert.equal(bad.status, 401);
    assert.equal(S.ErrorBody.parse(bad.json).error, 'ERR_AUTH_001');
    const none = await call(sb, 'GET', `${P}/status`, {});
    assert.equal(none.status, 401);
    assert.equal(none.json.error, 'ERR_AUTH_001');
    const basic = await call(sb, 'GET', `${P}/status`, { headers: { Authorization: 'Basic abc' } });
    assert.equal(basic.status, 401);
  });

  it('wrong password: 401 {"detail":{"success":false,"error_code":"INVALID_CREDENTIALS"}}', async () => {
    const r = await login(sb, 'dispatcher@lts.demo', 'wrong-password');
    assert.equal(r.status, 401);
    assert.equal(r.json.detail.success, false);
    assert.equal(r.json.detail.error_code, 'INVALID_CREDENTIALS');
    const unknown = await login(sb, 'nobody@lts.demo');
    assert.equal(unknown.status, 401);
    assert.equal(unknown.json.detail.error_code, 'INVALID_CREDENTIALS');
  });

  it('locked and inactive accounts: 403 ACCOUNT_LOCKED / ACCOUNT_INACTIVE', async () => {
    const locked = await login(sb, 'locked@lts.demo');
    assert.equal(locked.status, 403);
    assert.deepEqual(
      { success: locked.json.detail.success, error_code: locked.json.detail.error_code },
      { success: false, error_code: 'ACCOUNT_LOCKED' },
    );
    const inactive = await login(sb, 'inactive@lts.demo');
    assert.equal(inactive.status, 403);
    assert.equal(inactive.json.detail.error_code, 'ACCOUNT_INACTIVE');
  });

  it('a malformed login body is 422 naming the field', async () => {
    const r = await call(sb, 'POST', '/api/auth/login', { body: { email: 'dispatcher@lts.demo' } });
    assert.equal(r.status, 422);
    const e = S.ErrorBody.parse(r.json);
    assert.equal(e.error, 'validation_error');
    assert.match(e.message, /password/);
  });

  it('X-API-Key or X-SV-* on /api/v1/platform/* -> 400 auth_method_mismatch', async () => {
    const k = await call(sb, 'GET', `${P}/status`, { headers: { 'X-API-Key': sb.key('dispatcher') } });
    assert.equal(k.status, 400);
    assert.equal(S.ErrorBody.parse(k.json).error, 'auth_method_mismatch');
    const sv = await call(sb, 'GET', '/api/v1/platform/incidents', {
      auth: sb.key('dispatcher'),
      headers: { 'X-SV-Signature': 'abc' },
    });
    assert.equal(sv.status, 400);
    assert.equal(sv.json.error, 'auth_method_mismatch');
  });

  it('X-API-Key is not a credential outside /api/v1/runs and /api/v1/plans', async () => {
    const r = await call(sb, 'GET', '/api/v1/audit', { headers: { 'X-API-Key': sb.key('dispatcher') } });
    assert.equal(r.status, 401);
    assert.equal(r.json.error, 'ERR_AUTH_001');
  });
});

describe('sandbox: login lockout', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('answers 429 after 5 failed tries in 15 min from one address, and again after the window', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await login(sb, 'dispatcher@lts.demo', `wrong-${i}`);
      assert.equal(r.status, 401, `try ${i + 1}`);
    }
    const blocked = await login(sb, 'dispatcher@lts.demo');
    assert.equal(blocked.status, 429);
    assert.equal(S.ErrorBody.parse(blocked.json).error, 'RATE_LIMIT_EXCEEDED');
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    sb.advance(15 * 60_000 + 1000);
    const ok = await login(sb, 'dispatcher@lts.demo');
    assert.equal(ok.status, 200);
  });

  it('writes AUTH_FAILED and LOGIN audit events', async () => {
    const rows = sb.db
      .prepare(
        "SELECT event_type, COUNT(*) AS n FROM audit_log WHERE event_type IN ('AUTH_FAILED','LOGIN') GROUP BY event_type",
      )
      .all() as { event_type: string; n: number }[];
    const by = Object.fromEntries(rows.map((r) => [r.event_type, r.n]));
    assert.equal(by.AUTH_FAILED, 5);
    assert.equal(by.LOGIN, 1);
  });
});
