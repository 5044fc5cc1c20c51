// The API client against the real sandbox over HTTP on 127.0.0.1: every endpoint, the role rules,
// cross-tenant refusal, every error shape live SOLVEREIGN uses (through the sandbox's fault
// injection), schema-violating answers, retries, refresh, and no secret in any log line.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiKeyAuth, SessionAuth } from '../../src/api/auth';
import { SolvereignClient } from '../../src/api/client';
import { SolvereignApiError } from '../../src/api/errors';
import * as S from '../../src/api/schemas';
import { runFireDrill } from '../../src/ops/fireDrill';
import { checkGate, interpretPublishLock } from '../../src/ops/gates';
import { runHealthCheck } from '../../src/ops/healthCheck';
import { type SandboxHandle, startSandbox } from '../../src/sandbox/server';
import type { Role } from '../../src/shared/runbook';

let sandbox: SandboxHandle;
let dir: string;
const logLines: string[] = [];

function keyOf(role: Role, tenant = 'lts'): string {
  const c = sandbox.demoCredentials.find((d) => d.role === role && d.tenant_code === tenant);
  assert.ok(c, `demo credential ${tenant}/${role}`);
  return c.api_key;
}

function client(
  role: Role = 'platform_admin',
  opts: { tenant?: string; site?: string; timeoutMs?: number } = {},
) {
  return new SolvereignClient({
    baseUrl: sandbox.url,
    tenant: opts.tenant ?? 'lts',
    site: opts.site ?? 'wien',
    auth: new ApiKeyAuth(keyOf(role, opts.tenant === 'gurkerl' ? 'gurkerl' : 'lts')),
    timeoutMs: opts.timeoutMs ?? 5000,
    retryBaseMs: 10,
    maxRetryWaitMs: 50,
    log: (level, line) => logLines.push(`${level} ${line}`),
  });
}

async function fault(f: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(f),
  });
  assert.equal(res.status, 201, await res.text());
}

async function clearFaults(): Promise<void> {
  await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
}

async function rejects(p: Promise<unknown>): Promise<SolvereignApiError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof SolvereignApiError, `expected SolvereignApiError, got ${e}`);
    return e;
  }
  assert.fail('expected the call to fail');
}

async function runWith(c: SolvereignClient, pred: (r: S.RunSummary) => boolean): Promise<S.RunSummary> {
  const { runs } = await c.listRuns({ limit: 100 });
  const r = runs.find(pred);
  assert.ok(r, 'no seeded run matches');
  return r;
}

describe('API client against the sandbox (real HTTP)', function () {
  this.timeout(30_000);

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-client-'));
    sandbox = await startSandbox({ dbPath: path.join(dir, 'db.sqlite'), port: 0, faults: true, reset: true });
  });
  after(async () => {
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(clearFaults);

  describe('health (SP-001)', () => {
    it('reads /health, /health/ready and /health/live', async () => {
      const c = client();
      const h = await c.health();
      assert.equal(h.status, 'healthy');
      assert.equal(h.db, 'connected');
      assert.equal((await c.ready()).status, 'ready');
      assert.equal((await c.live()).status, 'alive');
    });
    it('the SP-001 check passes criteria it can see and names the failing ones', async () => {
      const r = await runHealthCheck(client());
      assert.equal(r.criteria.length, 3);
      assert.equal(r.criteria.find((c) => c.id === 'api')?.verdict, 'PASS');
      assert.ok(r.runs && r.runs.length === 5);
    });
    it('a DB outage shows as FAIL although /health still says healthy', async () => {
      await fetch(`${sandbox.url}/__sandbox/db`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"connected":false}',
      });
      try {
        const r = await runHealthCheck(client());
        const api = r.criteria.find((c) => c.id === 'api');
        assert.equal(api?.verdict, 'FAIL');
        assert.match(api?.detail ?? '', /db=disconnected|not ready/);
        const e = await rejects(client().status());
        assert.equal(e.status, 503);
        assert.equal(e.runbookCode, 'ERR_DB_001');
        assert.equal(e.action, 'Check DB status');
      } finally {
        await fetch(`${sandbox.url}/__sandbox/db`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{"connected":true}',
        });
      }
    });
  });

  describe('auth', () => {
    it('logs in with email and password, reads /me, refreshes and logs out', async () => {
      const cred = sandbox.demoCredentials.find((d) => d.role === 'dispatcher' && d.tenant_code === 'lts');
      assert.ok(cred);
      const anon = new SolvereignClient({ baseUrl: sandbox.url, tenant: 'lts', site: 'wien' });
      const { session, token, cookie } = await anon.login({ email: cred.email, password: cred.password });
      assert.equal(session.role_name, 'dispatcher');
      assert.ok(token && cookie?.startsWith('sv_platform_session='));
      const refreshed: string[] = [];
      const auth = new SessionAuth({ token, expiresAt: session.expires_at }, (c) => {
        refreshed.push(c.token ?? '');
      });
      const c = new SolvereignClient({ baseUrl: sandbox.url, tenant: 'lts', site: 'wien', auth });
      assert.equal((await c.me()).email, cred.email);
      assert.ok(await auth.refresh(c));
      assert.equal(refreshed.length, 1);
      assert.notEqual(refreshed[0], token);
      assert.equal((await c.status()).publish_enabled !== undefined, true);
      await c.logout();
      const e = await rejects(c.status());
      assert.equal(e.status, 401);
    });
    it('the live cookie alone authenticates too', async () => {
      const cred = sandbox.demoCredentials.find((d) => d.role === 'ops_readonly' && d.tenant_code === 'lts');
      assert.ok(cred);
      const anon = new SolvereignClient({ baseUrl: sandbox.url, tenant: 'lts', site: 'wien' });
      const { cookie } = await anon.login({ email: cred.email, password: cred.password });
      const c = new SolvereignClient({
        baseUrl: sandbox.url,
        tenant: 'lts',
        site: 'wien',
        auth: new SessionAuth({ cookie }),
      });
      assert.equal((await c.me()).role_name, 'ops_readonly');
    });
    it('wrong password -> INVALID_CREDENTIALS from {"detail":{"error_code"}}', async () => {
      const anon = new SolvereignClient({ baseUrl: sandbox.url, tenant: 'lts', site: 'wien' });
      const e = await rejects(anon.login({ email: 'platform@lts.demo', password: 'wrong-password' }));
      assert.equal(e.status, 401);
      assert.equal(e.serverCode, 'INVALID_CREDENTIALS');
    });
    it('a bad API key -> ERR_AUTH_001 with the runbook action', async () => {
      const c = new SolvereignClient({
        baseUrl: sandbox.url,
        tenant: 'lts',
        site: 'wien',
        auth: new ApiKeyAuth('sv_lts_platform_admin_notarealkey0000'),
      });
      const e = await rejects(c.status());
      assert.equal(e.runbookCode, 'ERR_AUTH_001');
      assert.equal(e.action, 'Check credentials');
    });
    it('refreshes once on ERR_AUTH_002 and retries the call', async () => {
      const cred = sandbox.demoCredentials.find((d) => d.role === 'dispatcher' && d.tenant_code === 'lts');
      assert.ok(cred);
      const anon = new SolvereignClient({ baseUrl: sandbox.url, tenant: 'lts', site: 'wien' });
      const { token, session } = await anon.login({ email: cred.email, password: cred.password });
      let refreshes = 0;
      const c = new SolvereignClient({
        baseUrl: sandbox.url,
        tenant: 'lts',
        site: 'wien',
        auth: new SessionAuth({ token, expiresAt: session.expires_at }, () => {
          refreshes++;
        }),
      });
      await fault({
        path_prefix: '/api/v1/platform/dispatcher/status',
        status: 401,
        body: '{"error":"ERR_AUTH_002","message":"Session token expired"}',
      });
      const s = await c.status();
      assert.equal(typeof s.kill_switch_active, 'boolean');
      assert.equal(refreshes, 1);
    });
  });

  describe('dispatcher cockpit', () => {
    it('lists runs newest first with paging and a status filter', async () => {
      const c = client('ops_readonly');
      const page1 = await c.listRuns({ limit: 3 });
      const page2 = await c.listRuns({ limit: 3, offset: 3 });
      assert.equal(page1.runs.length, 3);
      assert.ok(page1.total >= 12, `total ${page1.total}`);
      assert.ok(page1.runs[0]!.timestamp >= page1.runs[2]!.timestamp);
      assert.ok(page1.runs[2]!.timestamp >= page2.runs[0]!.timestamp);
      const fails = await c.listRuns({ limit: 100, status: 'FAIL' });
      assert.ok(fails.runs.length > 0 && fails.runs.every((r) => r.status === 'FAIL'));
      const statuses = new Set((await c.listRuns({ limit: 100 })).runs.map((r) => r.status));
      for (const s of ['PASS', 'WARN', 'FAIL', 'BLOCKED'] as const)
        assert.ok(statuses.has(s), `seed has a ${s} run`);
    });
    it('reads a run with its seven audits, KPIs and hashes; unknown run -> not_found', async () => {
      const c = client('ops_readonly');
      const { runs } = await c.listRuns({ limit: 1 });
      const d = await c.getRun(runs[0]!.run_id);
      assert.equal(d.audit_results.length, 7);
      assert.match(d.output_hash ?? '', /^sha256:[a-f0-9]{64}$|^[a-f0-9]{64}$/);
      const e = await rejects(c.getRun('RUN-19990101-999'));
      assert.equal(e.status, 404);
      assert.equal(e.runbookCode, 'not_found');
    });
    it('evidence zip matches its X-Evidence-SHA256 header and the checksums list', async () => {
      const c = client('ops_readonly');
      const { runs } = await c.listRuns({ limit: 1 });
      const runId = runs[0]!.run_id;
      const ev = await c.evidence(runId);
      assert.equal(ev.zip.subarray(0, 2).toString(), 'PK');
      const sha = createHash('sha256').update(ev.zip).digest('hex');
      assert.equal(ev.sha256?.replace(/^sha256:/, ''), sha);
      const sums = await c.evidenceChecksums(runId);
      assert.ok(Object.keys(sums.checksums).length >= 3);
    });
  });

  describe('publish and lock gates (SP-003)', () => {
    it('publishing a FAIL run is refused: AUDIT_GATE_FAIL, before and from the server', async () => {
      const c = client('dispatcher');
      const run = await runWith(c, (r) => r.status === 'FAIL');
      const pre = checkGate({ action: 'publish', run, role: 'dispatcher' });
      assert.equal(pre?.code, 'AUDIT_GATE_FAIL');
      const e = await rejects(
        c.publish(run.run_id, {
          approver_id: 'test',
          approver_role: 'dispatcher',
          reason: 'integration test',
        }),
      );
      assert.equal(e.status, 409);
      assert.equal(interpretPublishLock(e)?.code, 'AUDIT_GATE_FAIL');
    });
    it('locking a locked run answers ALREADY_LOCKED', async () => {
      const c = client('ops_lead');
      const run = await runWith(c, (r) => r.locked);
      const answer = await c.lock(run.run_id, {
        approver_id: 't',
        approver_role: 'ops_lead',
        reason: 'relock attempt',
      });
      assert.equal(interpretPublishLock(answer)?.code, 'ALREADY_LOCKED');
    });
    it('ops_readonly may not publish: PERMISSION_DENIED (403)', async () => {
      const c = client('ops_readonly');
      const run = await runWith(c, (r) => r.status === 'PASS' && !r.published);
      const e = await rejects(
        c.publish(run.run_id, {
          approver_id: 't',
          approver_role: 'ops_readonly',
          reason: 'should be refused',
        }),
      );
      assert.equal(e.status, 403);
      assert.equal(interpretPublishLock(e)?.code, 'PERMISSION_DENIED');
    });
    it('with the kill switch active, publish answers 200 success:false -> FREEZE_ACTIVE', async () => {
      const c = client('ops_lead');
      const run = await runWith(c, (r) => r.status === 'PASS' && !r.published);
      await c.killSwitch({ action: 'disable', mode: 'drill', reason: 'integration freeze test' });
      try {
        const s = await c.status();
        assert.equal(s.publish_enabled, false);
        assert.equal(
          checkGate({ action: 'publish', run, status: s, role: 'ops_lead' })?.code,
          'FREEZE_ACTIVE',
        );
        const answer = await c.publish(run.run_id, {
          approver_id: 't',
          approver_role: 'ops_lead',
          reason: 'publish while frozen',
        });
        assert.equal(answer.success, false);
        assert.equal(interpretPublishLock(answer)?.code, 'FREEZE_ACTIVE');
      } finally {
        await c.killSwitch({ action: 'enable', mode: 'drill', reason: 'integration freeze test done' });
      }
    });
    it('publishes a PASS run, then locks it; both land in the audit trail', async () => {
      const c = client('platform_admin');
      const run = await runWith(c, (r) => r.status === 'PASS' && !r.published);
      const pub = await c.publish(run.run_id, {
        approver_id: 'it',
        approver_role: 'platform_admin',
        reason: 'weekly publish',
      });
      assert.equal(pub.success, true);
      assert.equal(pub.status, 'PUBLISHED');
      const detail = await c.getRun(run.run_id);
      const lockable = detail.audit_results.every((a) => a.status === 'PASS');
      const lock = await c.lock(run.run_id, {
        approver_id: 'it',
        approver_role: 'platform_admin',
        reason: 'weekly lock',
      });
      assert.equal(lock.success, lockable);
      const trail = await c.audit({ limit: 20 });
      assert.ok(trail.entries.some((e) => /PUBLISH/i.test(e.event_type)));
      const entry = await c.auditEntry(trail.entries[0]!.id);
      assert.ok(entry.details);
    });
  });

  describe('kill switch roles and fire drill (SP-005/SP-006)', () => {
    it('dispatcher may drill but not pull the emergency switch', async () => {
      const e = await rejects(
        client('dispatcher').killSwitch({
          action: 'disable',
          mode: 'emergency',
          reason: 'not my call to make',
        }),
      );
      assert.equal(e.status, 403);
      assert.equal(e.runbookCode, 'PERMISSION_DENIED');
    });
    it('emergency re-enable needs platform_admin and an RCA reference', async () => {
      const lead = client('ops_lead');
      await lead.killSwitch({ action: 'disable', mode: 'emergency', reason: 'EMERGENCY: integration test' });
      try {
        assert.equal(
          (
            await rejects(
              lead.killSwitch({ action: 'enable', mode: 'emergency', reason: 'recover now please' }),
            )
          ).status,
          403,
        );
        const admin = client('platform_admin');
        const noRca = await rejects(
          admin.killSwitch({ action: 'enable', mode: 'emergency', reason: 'recover now please' }),
        );
        assert.ok(noRca.status === 403 || noRca.status === 422, String(noRca.status));
      } finally {
        const s = await client('platform_admin').killSwitch({
          action: 'enable',
          mode: 'emergency',
          reason: 'recovered after RCA',
          rca_ref: 'RCA-2026-001',
        });
        assert.equal(s.kill_switch_active, false);
      }
    });
    it('a full fire drill passes, is verified and recorded', async () => {
      const c = client('dispatcher');
      const r = await runFireDrill(c, { reason: 'Integration fire drill' });
      assert.equal(r.result, 'PASS', JSON.stringify(r.steps));
      assert.ok(r.verifiedDisabled && r.verifiedEnabled);
      assert.ok(r.recorded?.id);
      const drills = await c.fireDrills();
      assert.ok(drills.drills.some((d) => d.id === r.recorded?.id));
    });
    it('a drill whose enable fails raises the alarm instead of finishing silently', async () => {
      const c = client('dispatcher');
      await fault({
        path_prefix: '/api/v1/platform/dispatcher/kill-switch',
        method: 'POST',
        status: 500,
        body: 'Internal Server Error',
        times: 1,
      });
      // The first toggle (disable) gets the fault: the drill fails and restores the state.
      const first = await runFireDrill(c, { record: false });
      assert.equal(first.result, 'FAIL');
      assert.equal((await c.status()).kill_switch_active, false);
      // Now make the *enable* fail: let disable through, then fault every further toggle (retries included).
      const r = await runFireDrill(c, {
        record: false,
        onStep: async (s) => {
          if (s.step === 'verify-disabled') {
            await fault({
              path_prefix: '/api/v1/platform/dispatcher/kill-switch',
              method: 'POST',
              status: 500,
              body: 'Internal Server Error',
              times: 5,
            });
          }
        },
      });
      assert.equal(r.result, 'FAIL');
      assert.equal(r.alarm, true);
      assert.ok(r.verifiedDisabled);
      assert.equal(r.steps.find((s) => s.step === 'enable')?.ok, false);
      await clearFaults();
      assert.equal((await c.status()).kill_switch_active, true, 'the site is really left frozen');
      await c.killSwitch({ action: 'enable', mode: 'drill', reason: 'restore after alarm test' });
    });
  });

  describe('drift, incidents, escalations', () => {
    it('drift has the runbook verdicts and the live detector score beside them', async () => {
      const d = await client('ops_readonly').drift();
      assert.ok(['OK', 'WARN', 'BLOCK'].includes(d.verdict));
      assert.ok(d.metrics.length >= 3);
      assert.equal(typeof d.score, 'number');
      assert.ok(d.level);
    });
    it('baseline updates are for ops_lead and platform_admin only', async () => {
      const body = {
        values: { total_drivers: { expected: 146, min: 140, max: 155 } },
        reason: 'seasonal change Q4',
      };
      assert.equal((await rejects(client('dispatcher').updateBaseline(body))).status, 403);
      const d = await client('ops_lead').updateBaseline(body);
      assert.ok(d.metrics.length > 0);
    });
    it('creates and updates an incident valid against the incident schema', async () => {
      const c = client('ops_lead');
      const inc = await c.createIncident({
        type: 'stability',
        severity: 'S2',
        summary: 'Slow dispatcher status',
      });
      assert.match(inc.id, S.INCIDENT_ID);
      const upd = await c.patchIncident(inc.id, {
        status: 'investigating',
        timeline_entry: { action: 'Looking at API latency', actor: 'it' },
      });
      assert.equal(upd.status, 'investigating');
      assert.ok((upd.timeline ?? []).length >= 2);
      const list = await c.incidents();
      assert.ok(list.incidents.some((i) => i.id === inc.id));
    });
    it('reads the tenant status (escalations)', async () => {
      const t = await client('ops_readonly').tenantStatus();
      assert.ok(['healthy', 'degraded', 'blocked'].includes(t.overall_status));
    });
  });

  describe('tenant isolation', () => {
    it('an lts key asking for gurkerl data gets TENANT_MISMATCH and no data', async () => {
      const c = client('platform_admin').forSite('graz', 'gurkerl');
      const e = await rejects(c.listRuns());
      assert.equal(e.status, 403);
      assert.equal(e.serverCode, 'TENANT_MISMATCH');
      assert.equal(e.runbookCode, 'TENANT_MISMATCH');
    });
    it('the gurkerl tenant sees only its own runs', async () => {
      const c = client('platform_admin', { tenant: 'gurkerl', site: 'graz' });
      const { runs } = await c.listRuns({ limit: 100 });
      assert.ok(runs.length > 0);
      assert.ok(runs.every((r) => r.tenant_code === 'gurkerl' && r.site_code === 'graz'));
    });
  });

  describe('every error shape live SOLVEREIGN uses', () => {
    const P = '/api/v1/platform/dispatcher/status';
    it('{"detail": "text"}', async () => {
      await fault({ path_prefix: P, status: 409, body: '{"detail":"Cannot publish run with status: FAIL"}' });
      const e = await rejects(client().status());
      assert.equal(e.status, 409);
      assert.equal(e.serverMessage, 'Cannot publish run with status: FAIL');
    });
    it('{"detail": [validation errors]}', async () => {
      await fault({
        path_prefix: P,
        status: 422,
        body: '{"detail":[{"loc":["query","limit"],"msg":"ensure this value is less than or equal to 100","type":"value_error"}]}',
      });
      const e = await rejects(client().status());
      assert.equal(e.runbookCode, 'validation_error');
      assert.deepEqual(e.fieldErrors, [
        { field: 'query.limit', message: 'ensure this value is less than or equal to 100' },
      ]);
    });
    it('{"error": "RATE_LIMIT_EXCEEDED"} with rate-limit headers is retried, then reported', async () => {
      await fault({
        path_prefix: P,
        status: 429,
        body: '{"error":"RATE_LIMIT_EXCEEDED","message":"Too many requests"}',
        times: 5,
      });
      const e = await rejects(client().status());
      assert.equal(e.status, 429);
      assert.equal(e.runbookCode, 'RATE_LIMIT_EXCEEDED');
    });
    it('plain text Internal Server Error', async () => {
      await fault({ path_prefix: P, status: 500, body: 'Internal Server Error', content_type: 'text/plain' });
      const e = await rejects(client().status());
      assert.equal(e.status, 500);
      assert.equal(e.serverMessage, 'Internal Server Error');
      assert.match(e.action ?? '', /server health/i);
    });
    it('a 503 on a GET is retried and the retry succeeds', async () => {
      await fault({
        path_prefix: P,
        status: 503,
        body: '{"error":"ERR_DB_002","message":"Transaction timeout"}',
        times: 1,
      });
      const s = await client().status();
      assert.equal(typeof s.publish_enabled, 'boolean');
    });
    it('a schema-violating answer names the field and the endpoint, never crashes', async () => {
      await fault({
        path_prefix: P,
        status: 200,
        body: '{"kill_switch_active":"maybe","publish_enabled":true}',
      });
      const e = await rejects(client().status());
      assert.equal(e.kind, 'schema');
      assert.match(e.message, /GET \/api\/v1\/platform\/dispatcher\/status/);
      assert.ok(e.fieldErrors.some((f) => f.field === 'kill_switch_active'));
    });
    it('a non-JSON 200 answer is a schema error', async () => {
      await fault({
        path_prefix: P,
        status: 200,
        body: '<html>proxy login</html>',
        content_type: 'text/html',
      });
      const e = await rejects(client().status());
      assert.equal(e.kind, 'schema');
      assert.match(e.message, /not JSON/);
    });
    it('an [ops] endpoint answering a bare 404 is reported as unsupported with the manual fallback', async () => {
      await fault({
        path_prefix: '/api/v1/platform/dispatcher/drift',
        status: 404,
        body: '{"detail":"Not Found"}',
      });
      const e = await rejects(client().drift());
      assert.equal(e.kind, 'unsupported');
      assert.match(e.action ?? '', /kpi_drift check/);
    });
    it('a slow answer times out with a clear error', async () => {
      await fault({ path_prefix: P, delay_ms: 1500, status: 200, body: '{}' });
      const e = await rejects(client('platform_admin', { timeoutMs: 300 }).status());
      assert.equal(e.kind, 'timeout');
    });
    it('a cancelled call says so', async () => {
      await fault({ path_prefix: P, delay_ms: 1500, status: 200, body: '{}' });
      const ac = new AbortController();
      const p = client().status({ signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      assert.equal((await rejects(p)).kind, 'cancelled');
    });
  });

  describe('requests', () => {
    it('the sandbox echoes our X-Request-ID and replays an idempotent write', async () => {
      const c = client('ops_lead');
      const key = '0b8f1b8e-6c7e-4a1e-9a0f-2d3c4b5a6978';
      const a = await c.createIncident(
        { type: 'quality', severity: 'S3', summary: 'idempotency probe' },
        { idempotencyKey: key },
      );
      const b = await c.createIncident(
        { type: 'quality', severity: 'S3', summary: 'idempotency probe' },
        { idempotencyKey: key },
      );
      assert.equal(a.id, b.id);
      const res = await fetch(`${sandbox.url}/health`, { headers: { 'X-Request-ID': 'req-123' } });
      assert.equal(res.headers.get('x-request-id'), 'req-123');
    });
    it('no log line or error carries an API key', () => {
      const keys = sandbox.demoCredentials.map((d) => d.api_key);
      assert.ok(logLines.length > 20, 'the client logged its calls');
      for (const line of logLines) for (const k of keys) assert.ok(!line.includes(k), line);
    });
    it('a stopped server is a network error that says what to do', async () => {
      const tmp = await startSandbox({ dbPath: ':memory:', port: 0 });
      const url = tmp.url;
      await tmp.close();
      const c = new SolvereignClient({
        baseUrl: url,
        tenant: 'lts',
        site: 'wien',
        retries: 1,
        retryBaseMs: 5,
      });
      const e = await rejects(c.status());
      assert.equal(e.kind, 'network');
      assert.match(e.message, /ECONNREFUSED/);
      assert.match(e.action ?? '', /SP-001/);
    });
  });
});
