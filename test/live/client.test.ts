// The API client against `--profile live` (SOLVEREIGN as deployed) over real HTTP: usable with no
// credentials, tolerant of live's values, signing in the way live accepts, gates decided the way
// CONTRACT.md says, evidence verified against live's layout, CRLF-framed solve streams.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { ApiKeyAuth, SessionAuth } from '../../src/api/auth';
import { streamRun } from '../../src/api/sse';
import { SolvereignClient } from '../../src/api/client';
import { checkGate } from '../../src/ops/gates';
import { runHealthCheck } from '../../src/ops/healthCheck';
import { readZip } from '../../src/shared/zip';
import { type LiveSandbox, liveSandbox } from './helpers';

describe('API client against --profile live', function () {
  this.timeout(60_000);
  let sb: LiveSandbox;

  const client = (auth?: ApiKeyAuth | SessionAuth) =>
    new SolvereignClient({
      baseUrl: sb.url,
      tenant: 'lts',
      site: 'wien',
      auth,
      timeoutMs: 10_000,
      retryBaseMs: 10,
      maxRetryWaitMs: 50,
    });

  before(async () => {
    sb = await liveSandbox();
  });
  after(async () => {
    await sb?.stop();
  });

  it('reads the cockpit with no credentials; an UNKNOWN drift value is kept, not a failure', async () => {
    const c = client();
    const status = await c.status();
    assert.equal(status.latest_run?.kpi_drift_status, 'UNKNOWN');
    const list = await c.listRuns({ limit: 100 });
    assert.ok(list.runs.length > 5);
    assert.ok(list.runs.some((r) => r.kpi_drift_status === 'UNKNOWN'));
    assert.equal(list.total, list.runs.length, 'live: total is the page size');
  });

  it('a Bearer API key is accepted and ignored on the cockpit (never X-API-Key)', async () => {
    const key = sb.demoCredentials.find((d) => d.role === 'dispatcher' && d.tenant_code === 'lts')!.api_key;
    const status = await client(new ApiKeyAuth(key)).status();
    assert.equal(typeof status.kill_switch_active, 'boolean');
  });

  it("run detail keeps live's free-form audit details", async () => {
    const c = client();
    const { runs } = await c.listRuns({ limit: 100 });
    const failId = runs.find((r) => r.status === 'FAIL')!.run_id;
    const run = await c.getRun(failId);
    const failing = run.audit_results.filter((a) => a.status === 'FAIL');
    assert.ok(failing.length > 0);
    for (const a of failing) {
      const d = a.details as { message?: unknown };
      assert.equal(typeof d?.message, 'string', `${a.check_name}: the details' message is kept`);
    }
  });

  it('SP-001 health: nested readiness checks pass the API criterion', async () => {
    const r = await runHealthCheck(client());
    assert.equal(r.criteria[0].verdict, 'PASS', JSON.stringify(r.criteria[0]));
  });

  it('session sign-in with a numeric tenant id; /me read without a success field; logout', async () => {
    const c = client();
    const login = await c.login({
      email: 'dispatcher@lts.demo',
      password: 'solvereign-demo',
      tenant_id: 2,
    });
    assert.ok(login.cookie, 'live sets only the cookie');
    assert.equal(login.token, undefined);
    const signedIn = client(new SessionAuth({ cookie: login.cookie }));
    const me = await signedIn.me();
    assert.equal(me.email, 'dispatcher@lts.demo');
    assert.equal(me.role_name, 'dispatcher');
    await signedIn.logout();
  });

  it('the freeze is read from kill_switch_active alone (live leaves publish_enabled true)', async () => {
    const c = client();
    const { runs } = await c.listRuns({ limit: 100 });
    const runId = runs.find((r) => r.status === 'PASS' && !r.published && !r.locked)!.run_id;
    sb.killSwitch(true);
    try {
      const [run, status] = await Promise.all([c.getRun(runId), c.status()]);
      assert.equal(status.kill_switch_active, true);
      assert.equal(status.publish_enabled, true, 'as live answers');
      const gate = checkGate({ action: 'publish', run, status, role: 'dispatcher' });
      assert.equal(gate?.code, 'FREEZE_ACTIVE');
    } finally {
      sb.killSwitch(false);
    }
  });

  it('evidence: header == sha256(zip) == checksums["evidence.zip"]; listed files inside the zip match', async () => {
    const c = client();
    const { runs } = await c.listRuns({ limit: 100 });
    const runId = runs.find((r) => r.status === 'PASS')!.run_id;
    const [pack, sums] = await Promise.all([c.evidence(runId), c.evidenceChecksums(runId)]);
    const sha = createHash('sha256').update(pack.zip).digest('hex');
    assert.equal(pack.sha256, sha);
    assert.equal(sums.checksums['evidence.zip'], sha);
    const inside = readZip(pack.zip);
    const outside = Object.keys(sums.checksums).filter((f) => f !== 'evidence.zip' && !inside.has(f));
    assert.deepEqual(outside, ['input_summary.json'], 'listed but outside the archive');
    for (const [f, data] of inside) {
      if (sums.checksums[f])
        assert.equal(createHash('sha256').update(data).digest('hex'), sums.checksums[f], f);
    }
  });

  it('a solve stream framed with CRLF yields its events through the client', async () => {
    const key = sb.demoCredentials.find((d) => d.role === 'dispatcher' && d.tenant_code === 'lts')!.api_key;
    const c = client(new ApiKeyAuth(key));
    const created = await c.createRun({
      forecast: 'Mo 06:00-14:00 2 Fahrer\nDi 06:00-14:00\n',
      week: '2026-W10',
    });
    const types: string[] = [];
    for await (const e of streamRun(c, created.run_id)) types.push(e.type);
    assert.ok(types.length > 0, 'events arrived');
    assert.equal(types.at(-1), 'complete');
  });
});
