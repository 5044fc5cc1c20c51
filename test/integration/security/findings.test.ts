// Regression tests for the attack findings on the sandbox: each would fail before its fix.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { isActiveIncident } from '../../../src/api/schemas';
import { evaluateHealth } from '../../../src/ops/healthCheck';
import { verifyAuditChain } from '../../../src/sandbox/auditChain';
import { MIGRATIONS, migrate } from '../../../src/sandbox/db';
import { demoEmail } from '../../../src/sandbox/seed';
import { call, login, P, sandbox, type TestSandbox } from '../sandbox/helpers';
import { raw, rawRequestLine } from './raw';

const LOGIN = '/api/auth/login';

describe('security: sign-in throttling', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('evaluates exactly 5 of 100 parallel wrong-password sign-ins for one account', async () => {
    const from = '127.0.0.11';
    const results = await Promise.all(
      Array.from({ length: 100 }, () =>
        raw(sb.url, 'POST', LOGIN, {
          from,
          body: { email: demoEmail('lts', 'dispatcher'), password: 'wrong-password' },
        }),
      ),
    );
    const statuses = results.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 401).length, 5, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 429).length, 95);
    const row = sb.db
      .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE event_type = 'AUTH_FAILED' AND user_email = ?")
      .get(demoEmail('lts', 'dispatcher')) as { n: number };
    assert.equal(row.n, 5);
  });

  it('locks the account for every address, even with the right password', async () => {
    const r = await raw(sb.url, 'POST', LOGIN, {
      from: '127.0.0.12',
      body: { email: demoEmail('lts', 'dispatcher').toUpperCase(), password: 'solvereign-demo' },
    });
    assert.equal(r.status, 429);
    assert.match(r.json.message, /for this account/);
    assert.ok(r.headers['retry-after']);
  });

  it('throttles one address across accounts, and not the other addresses', async () => {
    const from = '127.0.0.13';
    for (const role of [
      'ops_lead',
      'ops_readonly',
      'tenant_admin',
      'operator_admin',
      'platform_admin',
    ] as const) {
      const r = await raw(sb.url, 'POST', LOGIN, {
        from,
        body: { email: demoEmail('lts', role), password: 'nope' },
      });
      assert.equal(r.status, 401);
    }
    const blocked = await raw(sb.url, 'POST', LOGIN, {
      from,
      body: { email: demoEmail('gurkerl', 'ops_lead'), password: 'solvereign-demo' },
    });
    assert.equal(blocked.status, 429);
    assert.match(blocked.json.message, /from this address/);
    const other = await raw(sb.url, 'POST', LOGIN, {
      from: '127.0.0.14',
      body: { email: demoEmail('gurkerl', 'ops_lead'), password: 'solvereign-demo' },
    });
    assert.equal(other.status, 200);
  });
});

describe('security: API-key guessing, Host check, bad paths, idempotency', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox({ authFailureLimit: { limit: 10, windowMs: 60_000 } });
  });
  after(async () => {
    await sb.stop();
  });

  const status = (from: string, key: string) =>
    raw(sb.url, 'GET', `${P}/status`, {
      from,
      headers: { Authorization: `Bearer ${key}`, 'X-Tenant-Code': 'lts', 'X-Site-Code': 'wien' },
    });

  it('throttles wrong API keys per address, whatever the guessed values', async () => {
    const from = '127.0.0.21';
    const known = sb.key('dispatcher');
    assert.equal((await status(from, known)).status, 200);
    for (let i = 0; i < 10; i++) assert.equal((await status(from, `sv_lts_guess_${i}_abcdefgh`)).status, 401);
    const guess = await status(from, 'sv_lts_guess_final_abcdefgh');
    assert.equal(guess.status, 429);
    assert.equal(guess.json.error, 'RATE_LIMIT_EXCEEDED');
    // A right key never used from this address is not let through either (no oracle) ...
    assert.equal((await status(from, sb.key('ops_lead'))).status, 429);
    // ... while the client that already signed in from here keeps working, and other addresses too.
    assert.equal((await status(from, known)).status, 200);
    assert.equal((await status('127.0.0.22', sb.key('ops_lead'))).status, 200);
  });

  it('answers 400 to a Host that is not loopback (DNS rebinding)', async () => {
    const key = sb.key('dispatcher');
    const headers = { Authorization: `Bearer ${key}`, 'X-Tenant-Code': 'lts', 'X-Site-Code': 'wien' };
    const evil = await raw(sb.url, 'GET', `${P}/status`, {
      headers: { ...headers, Host: 'evil.example:8765' },
    });
    assert.equal(evil.status, 400);
    assert.equal(evil.json.error, 'bad_host');
    for (const host of ['localhost:1234', '127.0.0.1', '[::1]:8765'])
      assert.equal(
        (await raw(sb.url, 'GET', `${P}/status`, { headers: { ...headers, Host: host } })).status,
        200,
      );
  });

  it('takes extra Host names from the allow-list', async () => {
    const sb2 = await sandbox({ allowedHosts: ['sandbox.internal'] });
    try {
      const r = await raw(sb2.url, 'GET', '/health', { headers: { Host: 'sandbox.internal:80' } });
      assert.equal(r.status, 200);
      assert.equal(
        (await raw(sb2.url, 'GET', '/health', { headers: { Host: 'other.internal' } })).status,
        400,
      );
    } finally {
      await sb2.stop();
    }
  });

  it('answers 400 (not 500) to undecodable paths and unparseable request targets', async () => {
    for (const target of ['/api/v1/runs/%ZZ', '/api/v1/runs/%E0%A4%A', `${P}/runs/%`]) {
      const r = await raw(sb.url, 'GET', target, {
        headers: {
          Authorization: `Bearer ${sb.key('dispatcher')}`,
          'X-Tenant-Code': 'lts',
          'X-Site-Code': 'wien',
        },
      });
      assert.equal(r.status, 400, target);
      assert.equal(r.json.error, 'bad_request');
    }
    assert.equal(await rawRequestLine(sb.url, 'GET http://[::1 HTTP/1.1'), 400);
  });

  it('never stores a refreshed session token in the idempotency cache', async () => {
    const signedIn = await login(sb, demoEmail('lts', 'ops_lead'));
    assert.equal(signedIn.status, 200);
    const key = 'refresh-key-0001';
    const r1 = await call(sb, 'POST', '/api/auth/refresh', {
      auth: signedIn.json.token,
      tenant: null,
      site: null,
      headers: { 'x-idempotency-key': key },
    });
    assert.equal(r1.status, 200);
    const stored = sb.db.prepare('SELECT body FROM idempotency WHERE idem_key = ?').all(key) as {
      body: Buffer;
    }[];
    assert.deepEqual(stored, []);
    const all = sb.db.prepare('SELECT body FROM idempotency').all() as { body: Buffer }[];
    assert.ok(!all.some((row) => row.body.toString().includes(r1.json.token)));
  });
});

const CLI = path.resolve(__dirname, '../../../dist/cli.js');

/** `solvereign audit verify --db FILE` as a user runs it (the built CLI). */
function verifyCli(db: string) {
  if (!existsSync(CLI))
    throw new Error('dist/cli.js is missing: run `node esbuild.mjs` first (npm test does)');
  return spawnSync(process.execPath, [CLI, 'audit', 'verify', '--db', db], { encoding: 'utf8' });
}

describe('security: tamper-evident audit trail', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  it('refuses INSERT OR REPLACE / REPLACE INTO with an existing id', () => {
    const before = sb.db.prepare('SELECT * FROM audit_log WHERE id = 1').get();
    assert.ok(before);
    for (const verb of ['INSERT OR REPLACE INTO', 'REPLACE INTO'])
      assert.throws(
        () => sb.db.prepare(`${verb} audit_log (id, event_type, created_at) VALUES (1, 'FORGED', 'x')`).run(),
        /append-only: an existing id cannot be inserted again/,
      );
    assert.deepEqual(sb.db.prepare('SELECT * FROM audit_log WHERE id = 1').get(), before);
  });

  it('chains every row; verify, the CLI and SP-001 name the first changed row', async () => {
    const auth = sb.key('dispatcher');
    await call(sb, 'POST', `${P}/incidents`, {
      auth,
      body: { type: 'perf', severity: 'S3', summary: 'chain test' },
    });
    assert.deepEqual(verifyAuditChain(sb.db).ok, true);
    const ok = verifyCli(sb.dbPath);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /audit chain OK: \d+ rows/);
    // Someone with the file drops the triggers and rewrites row 2.
    const tamper = new Database(sb.dbPath);
    tamper.exec('DROP TRIGGER audit_log_no_update');
    tamper.prepare("UPDATE audit_log SET reason = 'nothing to see' WHERE id = 2").run();
    tamper.close();
    const r = verifyAuditChain(sb.db);
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.brokenId, 2);
    const broken = verifyCli(sb.dbPath);
    assert.equal(broken.status, 1);
    assert.match(broken.stdout, /audit chain BROKEN at row 2: row_hash does not match the row content/);
    const ready = await call(sb, 'GET', '/health/ready', { tenant: null, site: null });
    assert.match(ready.json.checks.audit_chain, /broken at row 2/);
    const api = evaluateHealth({
      health: { status: 'healthy', db: 'connected' },
      ready: ready.json,
      runs: [],
      incidents: [],
      errors: [],
    }).find((c) => c.id === 'api');
    assert.equal(api?.verdict, 'FAIL');
    assert.match(api?.detail ?? '', /audit_chain: unhealthy: audit trail broken at row 2/);
  });

  it('links the rows of a database written before the chain existed (migration)', () => {
    const db = new Database(':memory:');
    db.exec(
      'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
    );
    for (const m of MIGRATIONS.filter((x) => x.version < 6)) {
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations VALUES (?, ?, ?)').run(m.version, m.name, 'then');
    }
    const add = db.prepare("INSERT INTO audit_log (event_type, created_at, reason) VALUES ('OLD', ?, ?)");
    for (let i = 0; i < 5; i++) add.run(`2026-01-0${i + 1}T00:00:00Z`, `old ${i}`);
    assert.ok(migrate(db).includes(6));
    const r = verifyAuditChain(db);
    assert.deepEqual(r.ok && r.rows, 5);
    assert.throws(() => db.prepare("UPDATE audit_log SET reason = 'x' WHERE id = 1").run(), /append-only/);
    db.close();
  });
});

describe('security: request bounds and status cost', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox();
  });
  after(async () => {
    await sb.stop();
  });

  const drill = (body: Record<string, unknown>) =>
    call(sb, 'POST', `${P}/fire-drills`, {
      auth: sb.key('ops_lead'),
      body: {
        started_at: '2026-01-14T08:00:00Z',
        disable_ms: 120,
        enable_ms: 90,
        verified_disabled: true,
        verified_enabled: true,
        result: 'PASS',
        ...body,
      },
    });

  it('refuses out-of-range numbers and malformed or huge text with 422 naming the field', async () => {
    for (const [body, field] of [
      [{ started_at: '' }, 'started_at'],
      [{ started_at: '<script>alert(1)</script>' }, 'started_at'],
      [{ started_at: 'x'.repeat(100_000) }, 'started_at'],
      [{ disable_ms: -1 }, 'disable_ms'],
      [{ disable_ms: 1e308 }, 'disable_ms'],
      [{ notes: 'n'.repeat(5000) }, 'notes'],
    ] as const) {
      const r = await drill(body);
      assert.equal(r.status, 422, JSON.stringify(body).slice(0, 60));
      assert.equal(r.json.error, 'validation_error');
      assert.ok(
        r.json.details.fields.some((f: { field: string }) => f.field === field),
        r.text.slice(0, 200),
      );
    }
    assert.equal((await drill({})).status, 201);
    const seed = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('dispatcher'),
      body: { forecast: 'x', week: '2026-W03', seed: 1e308 },
    });
    assert.equal(seed.status, 422);
    assert.match(seed.text, /seed/);
    const band = await call(sb, 'PUT', `${P}/drift/baseline`, {
      auth: sb.key('ops_lead'),
      body: { values: { headcount: { min: 50, max: 10 } }, reason: 'inverted band test' },
    });
    assert.equal(band.status, 422);
    assert.match(band.text, /min must not be greater than max/);
    const huge = await call(sb, 'POST', '/api/v1/platform/incidents', {
      auth: sb.key('dispatcher'),
      body: { type: 'perf', severity: 'S3', summary: 'big', assigned_to: 'a'.repeat(1_900_000) },
    });
    assert.equal(huge.status, 422);
    assert.match(huge.text, /assigned_to/);
  });

  it('records the signed-in user as the author of every timeline entry', async () => {
    const auth = sb.key('operator_admin');
    const created = await call(sb, 'POST', '/api/v1/platform/incidents', {
      auth,
      body: {
        type: 'perf',
        severity: 'S3',
        summary: 'forged history',
        timeline: [{ timestamp: '2026-01-01T00:00:00Z', action: 'approved by CTO', actor: 'cto@lts.demo' }],
      },
    });
    assert.equal(created.status, 201, created.text);
    const me = demoEmail('lts', 'operator_admin');
    assert.ok(
      created.json.timeline.every((e: { actor: string }) => e.actor === me),
      created.text,
    );
    const future = await call(sb, 'POST', '/api/v1/platform/incidents', {
      auth,
      body: {
        type: 'perf',
        severity: 'S3',
        summary: 'future history',
        timeline: [{ timestamp: '2099-01-01T00:00:00Z', action: 'done' }],
      },
    });
    assert.equal(future.status, 422);
    const patched = await call(sb, 'PATCH', `/api/v1/platform/incidents/${created.json.id}`, {
      auth,
      body: { timeline_entry: { action: 'note', actor: 'cto@lts.demo' } },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal(patched.json.timeline.at(-1).actor, me);
  });

  it('counts active incidents in SQL, following creates and status changes', async () => {
    const auth = sb.key('dispatcher');
    const status = async () =>
      (await call(sb, 'GET', `${P}/status`, { auth })).json.active_incidents as number;
    const before = await status();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await call(sb, 'POST', '/api/v1/platform/incidents', {
        auth,
        body: { type: 'perf', severity: 'S3', summary: `count ${i}` },
      });
      ids.push(r.json.id);
    }
    assert.equal(await status(), before + 3);
    await call(sb, 'PATCH', `/api/v1/platform/incidents/${ids[0]}`, { auth, body: { status: 'resolved' } });
    assert.equal(await status(), before + 2);
    const all = sb.store.incidents('lts').filter((i) => isActiveIncident(i)).length;
    assert.equal(await status(), all);
  });
});
