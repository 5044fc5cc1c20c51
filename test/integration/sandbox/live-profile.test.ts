// The sandbox's `--profile live` against live-responses.json (35 answers captured from live
// SOLVEREIGN): for each captured request the same request to the live profile answers with the
// same status and the same shape (keys in order, value types), and with the same text where a
// client reads it (error details, gate statuses, blocked reasons). Plus what the captures do not
// hold: session sign-in with an integer tenant, `/me` by cookie only, the global kill switch file,
// live's evidence layout, CRLF-framed Server-Sent Events, ignored idempotency keys.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readGlobalKillSwitch, setGlobalKillSwitch } from '../../../src/sandbox/profiles/globalKillSwitch';
import { readZip } from '../../../src/shared/zip';
import { call, P, sandbox, type TestSandbox } from './helpers';

interface Capture {
  request: { method: string; path: string; headers: string[]; body?: unknown };
  status: number;
  headers: Record<string, string>;
  body: unknown;
}
const captures = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../fixtures/live/live-responses.json'), 'utf8'),
) as Record<string, Capture>;

// biome-ignore lint/suspicious/noExplicitAny: answers are inspected freely
type Row = any;

type Shape = string | Shape[] | { [k: string]: Shape };

/** Keys (in order) and value types; `null` is its own type; arrays by their first element. */
function shapeOf(v: unknown): Shape {
  if (v === null) return 'null';
  if (Array.isArray(v)) return v.length ? [shapeOf(v[0])] : [];
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, shapeOf(x)]));
  }
  return typeof v;
}

/**
 * The same shape; a captured `null` also admits a value (and a value a `null`) where the field is
 * nullable by nature (timestamps, who published, free-form details).
 */
function assertSameShape(
  actual: unknown,
  expected: unknown,
  where: string,
  nullable: ReadonlySet<string>,
): void {
  const a = shapeOf(actual);
  const e = shapeOf(expected);
  const walk = (x: Shape, y: Shape, at: string): void => {
    const key = at.split('.').pop()!.replace(/\[\]$/, '');
    if ((x === 'null' || y === 'null') && nullable.has(key)) return;
    if (typeof y === 'string' || typeof x === 'string') {
      assert.deepEqual(x, y, `${where}: ${at} is ${JSON.stringify(x)}, live has ${JSON.stringify(y)}`);
      return;
    }
    if (Array.isArray(y)) {
      assert.ok(Array.isArray(x), `${where}: ${at} should be an array`);
      if (y.length && x.length) walk(x[0], y[0], `${at}[]`);
      return;
    }
    assert.ok(!Array.isArray(x), `${where}: ${at} should be an object`);
    assert.deepEqual(Object.keys(x), Object.keys(y), `${where}: keys of ${at || 'the body'}`);
    for (const k of Object.keys(y)) walk((x as Record<string, Shape>)[k], y[k], at ? `${at}.${k}` : k);
  };
  walk(a, e, '');
}

const NULLABLE = new Set([
  'kill_switch_reason',
  'latest_run',
  'published_at',
  'published_by',
  'locked_at',
  'locked_by',
  'details',
  'audit_event_id',
  'blocked_reason',
  'artifact_uri',
]);

describe('sandbox --profile live: the captured answers of live SOLVEREIGN', function () {
  this.timeout(60_000);
  let sb: TestSandbox;
  /** Run ids in this sandbox standing in for the captured ones. */
  const ids: Record<string, string> = {};

  const replay = async (
    name: string,
    runId?: string,
    change: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const c = captures[name];
    assert.ok(c, `capture ${name}`);
    const sent = c.request.headers;
    const headers: Record<string, string> = { ...change.headers };
    if (sent.includes('Authorization')) headers.Authorization = `Bearer ${sb.key('platform_admin')}`;
    if (sent.includes('X-API-Key')) headers['X-API-Key'] = sb.key('platform_admin');
    const urlPath = runId ? c.request.path.replace(/RUN-\d{8}-\d{3}/, runId) : c.request.path;
    const r = await call(sb, c.request.method, urlPath, {
      tenant: sent.includes('X-Tenant-Code') ? 'lts' : null,
      site: sent.includes('X-Site-Code') ? 'wien' : null,
      headers,
      body: change.body ?? c.request.body,
    });
    assert.equal(r.status, c.status, `${name}: HTTP ${r.status} ${r.text}`);
    assert.equal(r.headers.get('content-type'), c.headers['content-type'], `${name}: content-type`);
    assertSameShape(r.json, c.body, name, NULLABLE);
    return r;
  };

  before(async () => {
    sb = await sandbox({ profile: 'live', seedEngine: 'synthetic' });
    const list = await call(sb, 'GET', `${P}/runs?limit=100`);
    assert.equal(list.status, 200, list.text);
    const runs = list.json.runs as Row[];
    ids.unknownDrift = runs.find((r) => r.kpi_drift_status === 'UNKNOWN').run_id;
    ids.fail = runs.find((r) => r.status === 'FAIL').run_id;
    ids.passUnpublished = runs.find(
      (r) => r.status === 'PASS' && !r.published && r.run_id !== ids.unknownDrift,
    ).run_id;
    // A run whose audits did not all pass, neither published nor locked.
    ids.unpublishedNotPass = runs.find(
      (r) => r.status !== 'PASS' && !r.published && !r.locked && r.run_id !== ids.fail,
    ).run_id;
    ids.locked = runs.find((r) => r.locked).run_id;
  });
  after(async () => {
    await sb?.stop();
  });

  it('health, readiness (nested checks) and liveness', async () => {
    await replay('health');
    const ready = await replay('health-ready');
    assert.deepEqual(ready.json.checks.packs, { roster: 'available', routing: 'available' });
    await replay('health-live');
  });

  it('status needs no credentials; a Bearer token is ignored; X-API-Key is refused; scope headers are required', async () => {
    await replay('status');
    await replay('status-bearer');
    const refused = await replay('status-x-api-key');
    assert.deepEqual(refused.json, captures['status-x-api-key'].body);
    const noScope = await replay('status-no-scope');
    assert.deepEqual(noScope.json, captures['status-no-scope'].body);
  });

  it('runs: no offset (ignored), total = the page size, no ERROR status (422)', async () => {
    await replay('runs');
    const page = await replay('runs-offset-ignored');
    const first = await call(sb, 'GET', `${P}/runs?limit=2`);
    assert.deepEqual(
      page.json.runs.map((r: Row) => r.run_id),
      first.json.runs.map((r: Row) => r.run_id),
      'offset is ignored: page 1 again',
    );
    assert.equal(page.json.total, 2, 'total is the size of the page');
    const all = await call(sb, 'GET', `${P}/runs?limit=100`);
    assert.ok(all.json.total > 2 && all.json.total === all.json.runs.length);
    assert.ok(
      all.json.runs.every((r: Row) => r.status !== 'ERROR'),
      'live has no ERROR runs',
    );
    const err = await replay('runs-status-ERROR');
    assert.deepEqual(err.json, captures['runs-status-ERROR'].body);
  });

  it('run detail: free-form audit details; unknown run 404 with live text', async () => {
    const r = await replay('run-detail-fail', ids.fail);
    const failing = r.json.audit_results.filter((a: Row) => a.status !== 'PASS');
    assert.ok(failing.length > 0);
    for (const a of failing) {
      assert.equal(typeof a.details.message, 'string', `${a.check_name}: details.message`);
      assert.equal(a.details.violations, undefined, 'not the sandbox itemised violations');
    }
    assert.ok(
      r.json.audit_results.filter((a: Row) => a.status === 'PASS').every((a: Row) => a.details === null),
    );
    const missing = await replay('run-404');
    assert.deepEqual(missing.json, captures['run-404'].body);
  });

  it('publish: short reason -> 200 BLOCKED_APPROVAL_REQUIRED; FAIL run -> 409; bad role -> 422; then PUBLISHED, ALREADY_PUBLISHED', async () => {
    const short = await replay('publish-reason-short', ids.unknownDrift);
    for (const k of ['success', 'status', 'message', 'blocked_reason'])
      assert.deepEqual(
        short.json[k],
        (captures['publish-reason-short'].body as Record<string, unknown>)[k],
        k,
      );
    assert.match(short.json.audit_event_id, /^AE-\d{20}$/);
    const fail = await replay('publish-fail-run-409', ids.fail);
    assert.deepEqual(fail.json, captures['publish-fail-run-409'].body);
    const role = await replay('publish-bad-role-422', ids.unknownDrift);
    assert.deepEqual(role.json, captures['publish-bad-role-422'].body);
    const ok = await replay('publish-ok', ids.unknownDrift);
    assert.equal(ok.json.status, 'PUBLISHED');
    assert.equal(ok.json.message, 'Run published by ops@lts.example');
    const again = await replay('publish-again', ids.unknownDrift);
    assert.deepEqual(
      { ...again.json, evidence_hash: null, run_id: null },
      { ...(captures['publish-again'].body as object), evidence_hash: null, run_id: null },
    );
  });

  it('lock: short reason -> 422 string_too_short; then LOCKED, ALREADY_LOCKED', async () => {
    const short = await replay('lock-reason-short-422', ids.unknownDrift);
    assert.deepEqual(short.json, captures['lock-reason-short-422'].body);
    const ok = await replay('lock-ok', ids.unknownDrift);
    assert.equal(ok.json.status, 'LOCKED');
    const again = await replay('lock-again', ids.unknownDrift);
    assert.equal(again.json.status, 'ALREADY_LOCKED');
    assert.equal(again.json.audit_event_id, null);
  });

  it('live locks an unpublished run whose audits did not all pass (the client must check first); idempotency keys are ignored', async () => {
    const body = {
      approver_id: 'ops@lts.example',
      approver_role: 'dispatcher',
      reason: 'lock without publish',
    };
    const headers = { 'x-idempotency-key': '5b0c3c53-0b64-4c1b-9d7e-1f3a6a3c2a01' };
    const first = await call(sb, 'POST', `${P}/runs/${ids.unpublishedNotPass}/lock`, { body, headers });
    assert.equal(first.json.status, 'LOCKED');
    const second = await call(sb, 'POST', `${P}/runs/${ids.unpublishedNotPass}/lock`, { body, headers });
    assert.equal(second.json.status, 'ALREADY_LOCKED', 'not a replay of the first answer');
    assert.equal(second.headers.get('x-idempotency-replayed'), null);
  });

  it('evidence: checksums list every file of the run folder, the zip included; header = sha256(zip)', async () => {
    const sums = await replay('evidence-checksums', ids.fail);
    assert.deepEqual(
      Object.keys(sums.json.checksums),
      Object.keys((captures['evidence-checksums'].body as { checksums: object }).checksums),
    );
    const zip = await call(sb, 'GET', `${P}/evidence/${ids.fail}`);
    assert.equal(zip.status, 200);
    assert.equal(zip.headers.get('content-type'), 'application/zip');
    const sha = createHash('sha256').update(zip.bytes).digest('hex');
    assert.equal(zip.headers.get('x-evidence-sha256'), sha);
    assert.equal(sums.json.checksums['evidence.zip'], sha);
    const inside = readZip(zip.bytes);
    const listedInside = Object.keys(sums.json.checksums).filter((f) => inside.has(f));
    assert.deepEqual(listedInside.sort(), ['metadata.json', 'plan.json']);
    for (const f of listedInside)
      assert.equal(createHash('sha256').update(inside.get(f)!).digest('hex'), sums.json.checksums[f], f);
    assert.ok(!inside.has('input_summary.json'), 'a listed file outside the archive');
  });

  it('every [ops] endpoint answers 404 Not Found', async () => {
    for (const name of [
      'kill-switch-http-404',
      'fire-drills-404',
      'drift-404',
      'incidents-404',
      'auth-refresh-404',
    ]) {
      const r = await replay(name);
      assert.deepEqual(r.json, { detail: 'Not Found' }, name);
    }
    for (const p of [`${P}/drift/baseline`, '/api/v1/audit', `${P}/fire-drills`]) {
      const r = await call(sb, 'GET', p, { auth: sb.key('platform_admin') });
      assert.equal(r.status, 404, p);
    }
  });

  it('sign-in: tenant code -> 422, wrong password -> 401, numeric tenant -> session; /me by cookie only, without success', async () => {
    assert.deepEqual(
      (await replay('auth-login-tenant-code-422')).json,
      captures['auth-login-tenant-code-422'].body,
    );
    assert.deepEqual((await replay('auth-login-wrong-401')).json, captures['auth-login-wrong-401'].body);
    assert.deepEqual((await replay('auth-me-bearer-401')).json, captures['auth-me-bearer-401'].body);
    const tenants = await call(sb, 'POST', '/api/auth/login', {
      tenant: null,
      site: null,
      body: { email: 'dispatcher@lts.demo', password: 'solvereign-demo', tenant_id: 2 },
    });
    assert.equal(tenants.status, 200, tenants.text);
    assert.equal(tenants.json.success, true);
    assert.equal(tenants.json.tenant_id, 2, 'lts is tenant 2 (tenants numbered in code order)');
    assert.equal(tenants.json.token, undefined, 'live sets only the cookie');
    const cookie = (tenants.headers.get('set-cookie') ?? '').split(';')[0];
    assert.match(cookie, /^sv_platform_session=/);
    const wrongTenant = await call(sb, 'POST', '/api/auth/login', {
      tenant: null,
      site: null,
      body: { email: 'dispatcher@lts.demo', password: 'solvereign-demo', tenant_id: 1 },
    });
    assert.equal(wrongTenant.status, 403);
    const me = await call(sb, 'GET', '/api/auth/me', {
      tenant: null,
      site: null,
      headers: { Cookie: cookie },
    });
    assert.equal(me.status, 200, me.text);
    assert.equal('success' in me.json, false, '/me has no success field');
    assert.equal(me.json.email, 'dispatcher@lts.demo');
    assert.equal(me.json.tenant_id, 2);
    const byKey = await call(sb, 'GET', '/api/auth/me', {
      tenant: null,
      site: null,
      auth: sb.key('dispatcher'),
    });
    assert.equal(byKey.status, 401);
    const out = await call(sb, 'POST', '/api/auth/logout', {
      tenant: null,
      site: null,
      headers: { Cookie: cookie },
    });
    assert.equal(out.status, 200);
    const after = await call(sb, 'GET', '/api/auth/me', {
      tenant: null,
      site: null,
      headers: { Cookie: cookie },
    });
    assert.deepEqual(after.json, { detail: 'Authentication required' });
  });

  it('global kill switch (the file): status says active with publish_enabled still true; publish blocked, ALREADY_LOCKED first', async () => {
    setGlobalKillSwitch(sb.dir, { active: true, by: 'ops', reason: 'fire drill capture' });
    try {
      const st = await replay('status-kill-switch-active');
      assert.equal(st.json.kill_switch_active, true);
      assert.equal(st.json.kill_switch_reason, 'fire drill capture');
      assert.equal(st.json.publish_enabled, true);
      assert.equal(st.json.lock_enabled, true);
      const pub = await replay('publish-kill-switch-active', ids.passUnpublished);
      for (const k of ['success', 'status', 'message', 'blocked_reason'])
        assert.deepEqual(
          pub.json[k],
          (captures['publish-kill-switch-active'].body as Record<string, unknown>)[k],
          k,
        );
      const lock = await replay('lock-kill-switch-active', ids.locked);
      assert.equal(lock.json.status, 'ALREADY_LOCKED');
      // The switch is global: another tenant's site is frozen too.
      const other = await call(sb, 'GET', `${P}/status`, { tenant: 'gurkerl', site: 'graz' });
      assert.equal(other.json.kill_switch_active, true);
    } finally {
      setGlobalKillSwitch(sb.dir, { active: false, by: 'ops', reason: 'fire drill capture done' });
    }
    const st = await call(sb, 'GET', `${P}/status`);
    assert.equal(st.json.kill_switch_active, false);
  });

  it('a run without drift data says UNKNOWN in the status, the list and the detail', async () => {
    const st = await replay('status-with-unknown-drift-run');
    assert.equal(st.json.latest_run.kpi_drift_status, 'UNKNOWN');
    const list = await replay('runs-with-unknown-drift-run');
    assert.ok(list.json.runs.some((r: Row) => r.kpi_drift_status === 'UNKNOWN'));
    await replay('run-detail-unknown-drift', ids.unknownDrift);
  });

  it('every capture is exercised by this suite', () => {
    const src = readFileSync(__filename, 'utf8');
    const missing = Object.keys(captures).filter((k) => !src.includes(`'${k}'`));
    assert.deepEqual(missing, []);
  });
});

describe('sandbox --profile live: Server-Sent Events and the kill-switch command', function () {
  this.timeout(60_000);

  it('the solve stream is framed with CRLF', async () => {
    const sb = await sandbox({ profile: 'live', seedEngine: 'synthetic' });
    try {
      const auth = sb.key('dispatcher');
      const created = await call(sb, 'POST', '/api/v1/runs', {
        auth,
        body: { forecast: 'Mo 06:00-14:00 2 Fahrer\nDi 06:00-14:00\n', week: '2026-W10' },
      });
      assert.equal(created.status, 202, created.text);
      const stream = await call(sb, 'GET', `/api/v1/runs/${created.json.run_id}/stream`, { auth });
      assert.equal(stream.status, 200);
      assert.match(stream.text, /^event: \w+\r\ndata: \{.*\}\r\n\r\n/);
      assert.ok(!/[^\r]\n/.test(stream.text), 'every line ends with CRLF');
      assert.match(stream.text, /event: complete\r\n/);
    } finally {
      await sb.stop();
    }
  });

  it('`solvereign sandbox --profile live --port 0` prints its URL and sign-in tenant ids; status and list-runs answer', async () => {
    const root = path.resolve(__dirname, '../../..');
    const bin = path.join(root, 'bin', 'solvereign.js');
    if (
      !existsSync(path.join(root, 'dist', 'cli.js')) ||
      !existsSync(path.join(root, 'dist', 'sandbox.js'))
    ) {
      assert.equal(spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' }).status, 0);
    }
    const data = mkdtempSync(path.join(os.tmpdir(), 'sv-live-start-'));
    const child = spawn(
      process.execPath,
      [bin, 'sandbox', '--profile', 'live', '--port', '0', '--data', data, '--seed-engine', 'synthetic'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d) => {
          out += d;
          const m = /^SOLVEREIGN sandbox listening on (http:\/\/127\.0\.0\.1:\d+)$/m.exec(out);
          if (m && /sign-in tenant ids/.test(out)) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`sandbox exited (${code}): ${out}`)));
      });
      assert.match(out, /profile live: SOLVEREIGN as deployed/);
      assert.match(out, /sign-in tenant ids \(integers, as on live\): gurkerl=1, lts=2/);
      const cli = (...args: string[]) =>
        spawnSync(process.execPath, [bin, '--server', url, ...args], {
          encoding: 'utf8',
          env: { PATH: process.env.PATH, HOME: data },
        });
      const status = cli('status');
      assert.equal(status.status, 0, status.stderr);
      assert.match(status.stdout, /latest run\s+RUN-/);
      const list = cli('--json', 'list-runs', '--limit', '100');
      assert.equal(list.status, 0, list.stderr);
      assert.ok(JSON.parse(list.stdout).runs.some((r: Row) => r.kpi_drift_status === 'UNKNOWN'));
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(data, { recursive: true, force: true });
    }
  });

  it('`solvereign sandbox kill-switch` toggles the global switch file; a short reason or no --by is refused (exit 2)', () => {
    const root = path.resolve(__dirname, '../../..');
    const cli = path.join(root, 'dist', 'cli.js');
    if (!existsSync(cli) || !existsSync(path.join(root, 'dist', 'sandbox.js'))) {
      assert.equal(spawnSync(process.execPath, ['esbuild.mjs'], { cwd: root, stdio: 'inherit' }).status, 0);
    }
    const data = mkdtempSync(path.join(os.tmpdir(), 'sv-live-ks-'));
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [cli, 'sandbox', 'kill-switch', ...args, '--data', data], {
        encoding: 'utf8',
      });
    try {
      const on = run('--activate', '--by', 'ops-lead', '--reason', 'emergency stop all sites');
      assert.equal(on.status, 0, on.stderr);
      assert.match(on.stdout, /kill switch ACTIVE \(global: every site of every tenant\)/);
      assert.equal(readGlobalKillSwitch(data).active, true);
      assert.equal(readGlobalKillSwitch(data).reason, 'emergency stop all sites');
      const short = run('--deactivate', '--by', 'ops-lead', '--reason', 'done');
      assert.equal(short.status, 2);
      assert.match(short.stderr, /--reason must be at least 10 characters/);
      assert.equal(readGlobalKillSwitch(data).active, true, 'a refused toggle changes nothing');
      assert.equal(run('--deactivate', '--reason', 'root cause fixed').status, 2, 'no --by');
      const off = run('--deactivate', '--by', 'ops-lead', '--reason', 'root cause fixed');
      assert.equal(off.status, 0, off.stderr);
      const state = readGlobalKillSwitch(data);
      assert.equal(state.active, false);
      assert.deepEqual(
        state.history.map((h) => [h.action, h.by, h.reason]),
        [
          ['activate', 'ops-lead', 'emergency stop all sites'],
          ['deactivate', 'ops-lead', 'root cause fixed'],
        ],
      );
    } finally {
      rmSync(data, { recursive: true, force: true });
    }
  });
});
