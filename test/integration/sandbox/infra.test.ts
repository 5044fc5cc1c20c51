import assert from 'node:assert/strict';
import * as S from '../../../src/api/schemas';
import { call, P, sandbox, type TestSandbox, wienRuns } from './helpers';

describe('sandbox: request ids, idempotency, rate limits, errors', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('echoes X-Request-ID, or generates one, on every answer (errors too)', async () => {
    const echoed = await call(sb, 'GET', '/health', { headers: { 'X-Request-ID': 'req-123-abc' } });
    assert.equal(echoed.headers.get('x-request-id'), 'req-123-abc');
    const generated = await call(sb, 'GET', '/nope');
    assert.match(generated.headers.get('x-request-id') ?? '', /^[0-9a-f-]{36}$/);
    const err = await call(sb, 'GET', `${P}/status`, { headers: { 'X-Request-ID': 'err-1' } });
    assert.equal(err.status, 401);
    assert.equal(err.headers.get('x-request-id'), 'err-1');
  });

  it('sends x-ratelimit-limit/remaining/reset on every answer', async () => {
    const a = await call(sb, 'GET', '/health/live');
    const b = await call(sb, 'GET', '/health/live');
    assert.equal(a.headers.get('x-ratelimit-limit'), '3000');
    assert.equal(
      Number(a.headers.get('x-ratelimit-remaining')) - 1,
      Number(b.headers.get('x-ratelimit-remaining')),
    );
    assert.ok(Number(a.headers.get('x-ratelimit-reset')) > Date.now() / 1000);
  });

  it('unknown routes: 404 not_found; wrong method: 405; both in the contract error shape', async () => {
    const r = await call(sb, 'GET', '/api/v1/nothing', { auth: sb.key('dispatcher') });
    assert.equal(r.status, 404);
    assert.deepEqual(S.ErrorBody.parse(r.json), {
      error: 'not_found',
      message: 'No route for GET /api/v1/nothing',
    });
    const m = await call(sb, 'DELETE', `${P}/status`, { auth: sb.key('dispatcher') });
    assert.equal(m.status, 405);
    assert.equal(S.ErrorBody.parse(m.json).error, 'method_not_allowed');
  });

  it('malformed JSON is 422 validation_error naming the body, never a stack trace', async () => {
    const r = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('dispatcher'),
      rawBody: '{"action": "disable",',
    });
    assert.equal(r.status, 422);
    const e = S.ErrorBody.parse(r.json);
    assert.equal(e.error, 'validation_error');
    assert.match(e.message, /^body: Malformed JSON/);
    assert.doesNotMatch(r.text, /at .*\.ts:\d+/);
    const anonymous = await call(sb, 'POST', `${P}/kill-switch`, { rawBody: '{"action": "disable",' });
    assert.equal(anonymous.status, 401, 'credentials are checked before the body is read');
  });

  it('x-idempotency-key replays the first answer for the same tenant/user', async () => {
    const auth = sb.key('dispatcher');
    const key = '6f1c1f0e-1111-4c3b-9a1e-000000000001';
    const body = { type: 'perf', severity: 'S3', summary: 'idempotent create' };
    const first = await call(sb, 'POST', '/api/v1/platform/incidents', {
      auth,
      body,
      headers: { 'x-idempotency-key': key },
    });
    assert.equal(first.status, 201);
    const second = await call(sb, 'POST', '/api/v1/platform/incidents', {
      auth,
      body,
      headers: { 'x-idempotency-key': key },
    });
    assert.equal(second.status, 201);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get('x-idempotency-replayed'), 'true');
    const list = S.IncidentList.parse((await call(sb, 'GET', '/api/v1/platform/incidents', { auth })).json);
    assert.equal(list.incidents.filter((i) => i.summary === 'idempotent create').length, 1);
    // Another user with the same key is a different request.
    const other = await call(sb, 'POST', '/api/v1/platform/incidents', {
      auth: sb.key('ops_lead'),
      body,
      headers: { 'x-idempotency-key': key },
    });
    assert.equal(other.status, 201);
    assert.notEqual(other.json.id, first.json.id);
    assert.equal(other.headers.get('x-idempotency-replayed'), null);
  });

  it('a key reused for another request is 409 IDEMPOTENCY_CONFLICT', async () => {
    const auth = sb.key('dispatcher');
    const headers = { 'x-idempotency-key': 'conflict-key-1' };
    const a = await call(sb, 'POST', '/api/v1/platform/incidents', {
      auth,
      headers,
      body: { type: 'perf', severity: 'S3', summary: 'first use of the key' },
    });
    assert.equal(a.status, 201);
    const b = await call(sb, 'POST', `${P}/kill-switch`, {
      auth,
      headers,
      body: { action: 'enable', mode: 'drill', reason: 'reusing an old key' },
    });
    assert.equal(b.status, 409);
    assert.equal(S.ErrorBody.parse(b.json).error, 'IDEMPOTENCY_CONFLICT');
  });

  it('idempotent publish replays PUBLISHED instead of ALREADY_PUBLISHED', async () => {
    const auth = sb.key('dispatcher');
    const runs = await wienRuns(sb, auth);
    const body = { approver_id: 'd', approver_role: 'dispatcher', reason: 'idempotent publish test' };
    const headers = { 'x-idempotency-key': 'pub-key-1' };
    const a = await call(sb, 'POST', `${P}/runs/${runs[0].run_id}/publish`, { auth, body, headers });
    const b = await call(sb, 'POST', `${P}/runs/${runs[0].run_id}/publish`, { auth, body, headers });
    assert.equal(S.PublishLockResponse.parse(a.json).status, 'PUBLISHED');
    assert.deepEqual(b.json, a.json);
    const c = await call(sb, 'POST', `${P}/runs/${runs[0].run_id}/publish`, { auth, body });
    assert.equal(c.json.status, 'ALREADY_PUBLISHED');
  });

  it('an internal error is 500 internal_error without a stack trace', async () => {
    const lines: string[] = [];
    const broken = await sandbox({ log: (l) => lines.push(l) });
    try {
      broken.db.exec('DROP TABLE fire_drills');
      const r = await call(broken, 'GET', `${P}/fire-drills`, { auth: broken.key('dispatcher') });
      assert.equal(r.status, 500);
      assert.deepEqual(Object.keys(r.json).sort(), ['error', 'message']);
      assert.equal(r.json.error, 'internal_error');
      assert.doesNotMatch(r.text, /fire_drills|at |\.ts/);
      assert.ok(r.headers.get('x-request-id'));
      assert.ok(
        lines.some((l) => /no such table: fire_drills/.test(l)),
        'the cause goes to the log',
      );
    } finally {
      await broken.stop();
    }
  });

  it('migrations are recorded in order', () => {
    const rows = sb.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as {
      version: number;
      name: string;
    }[];
    assert.deepEqual(
      rows.map((r) => r.version),
      rows.map((_, i) => i + 1),
    );
    assert.equal(rows[0].name, '001_initial');
    assert.equal(sb.db.pragma('journal_mode', { simple: true }), 'wal');
  });
});

describe('sandbox: rate limit exceeded', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox({ rateLimit: { limit: 3, windowMs: 60_000 } });
  });
  after(async () => {
    await sb.stop();
  });

  it('answers 429 RATE_LIMIT_EXCEEDED with the headers past the limit', async () => {
    const auth = sb.key('dispatcher');
    for (let i = 0; i < 3; i++) assert.equal((await call(sb, 'GET', `${P}/status`, { auth })).status, 200);
    const r = await call(sb, 'GET', `${P}/status`, { auth });
    assert.equal(r.status, 429);
    assert.equal(S.ErrorBody.parse(r.json).error, 'RATE_LIMIT_EXCEEDED');
    assert.equal(r.headers.get('x-ratelimit-remaining'), '0');
    assert.equal(r.headers.get('x-ratelimit-limit'), '3');
    assert.ok(r.headers.get('retry-after'));
    // Another credential has its own budget.
    assert.equal((await call(sb, 'GET', `${P}/status`, { auth: sb.key('ops_lead') })).status, 200);
  });
});

describe('sandbox: fault injection', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox({ faults: true });
  });
  after(async () => {
    await sb.stop();
  });
  afterEach(async () => {
    await call(sb, 'DELETE', '/__sandbox/faults');
    await call(sb, 'POST', '/__sandbox/db', { body: { connected: true } });
  });

  const fault = (f: Record<string, unknown>) => call(sb, 'POST', '/__sandbox/faults', { body: f });

  it('answers the raw response for the next n matching requests', async () => {
    const auth = sb.key('dispatcher');
    assert.equal(
      (
        await fault({
          path_prefix: `${P}/runs`,
          status: 422,
          body: '{"detail":[{"loc":["query","limit"],"msg":"bad"}]}',
          times: 2,
        })
      ).status,
      201,
    );
    for (let i = 0; i < 2; i++) {
      const r = await call(sb, 'GET', `${P}/runs`, { auth });
      assert.equal(r.status, 422);
      assert.equal(r.json.detail[0].msg, 'bad');
    }
    assert.equal((await call(sb, 'GET', `${P}/runs`, { auth })).status, 200, 'third request is normal again');
  });

  it('plain text, {"detail": "..."} and schema-violating JSON', async () => {
    await fault({
      path_prefix: '/health',
      status: 500,
      body: 'Internal Server Error',
      content_type: 'text/plain',
    });
    const t = await call(sb, 'GET', '/health');
    assert.equal(t.status, 500);
    assert.equal(t.text, 'Internal Server Error');
    assert.match(t.headers.get('content-type') ?? '', /text\/plain/);
    await fault({
      path_prefix: `${P}/runs/`,
      status: 404,
      body: '{"detail":"Run \'X\' not found for site wien"}',
    });
    const d = await call(sb, 'GET', `${P}/runs/X`, { auth: sb.key('dispatcher') });
    assert.equal(d.json.detail, "Run 'X' not found for site wien");
    await fault({ path_prefix: `${P}/status`, status: 200, body: '{"kill_switch_active":"maybe"}' });
    const s = await call(sb, 'GET', `${P}/status`, { auth: sb.key('dispatcher') });
    assert.equal(s.status, 200);
    assert.equal(S.SystemStatus.safeParse(s.json).success, false);
  });

  it('method filter and slow answers (delay only passes through after the delay)', async () => {
    await fault({ path_prefix: `${P}/kill-switch`, method: 'POST', status: 503, body: '{"detail":"down"}' });
    const get = await call(sb, 'GET', `${P}/status`, { auth: sb.key('dispatcher') });
    assert.equal(get.status, 200);
    const post = await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('dispatcher'),
      body: { action: 'enable', mode: 'drill', reason: 'filter test run' },
    });
    assert.equal(post.status, 503);
    await fault({ path_prefix: '/health/live', delay_ms: 150 });
    const started = performance.now();
    const slow = await call(sb, 'GET', '/health/live');
    assert.equal(slow.status, 200);
    assert.equal(slow.json.status, 'alive');
    assert.ok(performance.now() - started >= 140, 'the answer waited for the delay');
  });

  it('DELETE /__sandbox/faults clears pending faults', async () => {
    await fault({ path_prefix: '/health', status: 500, body: 'x', times: 5 });
    const cleared = await call(sb, 'DELETE', '/__sandbox/faults');
    assert.equal(cleared.json.cleared, 1);
    assert.equal((await call(sb, 'GET', '/health')).status, 200);
  });

  it('POST /__sandbox/db {connected:false}: health says disconnected, data routes 503 ERR_DB_001', async () => {
    await call(sb, 'POST', '/__sandbox/db', { body: { connected: false } });
    const h = S.Health.parse((await call(sb, 'GET', '/health')).json);
    assert.equal(h.db, 'disconnected');
    const ready = await call(sb, 'GET', '/health/ready');
    assert.equal(ready.status, 200);
    const rd = S.Readiness.parse(ready.json);
    assert.equal(rd.status, 'not_ready');
    assert.match(String(rd.checks.database), /^unhealthy/);
    const data = await call(sb, 'GET', `${P}/runs`, { auth: sb.key('dispatcher') });
    assert.equal(data.status, 503);
    assert.equal(S.ErrorBody.parse(data.json).error, 'ERR_DB_001');
    await call(sb, 'POST', '/__sandbox/db', { body: { connected: true } });
    assert.equal((await call(sb, 'GET', `${P}/runs`, { auth: sb.key('dispatcher') })).status, 200);
  });

  it('validates fault definitions', async () => {
    const r = await fault({ path_prefix: 'health', status: 9999 });
    assert.equal(r.status, 422);
    assert.match(r.json.message, /path_prefix/);
    assert.match(r.json.message, /status/);
  });
});

describe('sandbox: faults are off by default', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('/__sandbox/* is 404 unless started with faults enabled', async () => {
    const r = await call(sb, 'POST', '/__sandbox/faults', { body: { path_prefix: '/health', status: 500 } });
    assert.equal(r.status, 404);
    assert.equal((await call(sb, 'POST', '/__sandbox/db', { body: { connected: false } })).status, 404);
    assert.equal(S.Health.parse((await call(sb, 'GET', '/health')).json).db, 'connected');
  });
});
