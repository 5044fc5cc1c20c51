// The security suite on the default profile, bounded: the tenant matrix over every scoped endpoint,
// the role matrix over every endpoint with roles, a seeded fuzz of every body and query (0 5xx, the
// contract's error shape), 100 parallel toggles/publishes with exact audit rows, and one kill -9
// crash round (integrity_check, no acknowledged write lost, audit chain intact).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { verifyAuditChain } from '../../../src/sandbox/auditChain';
import type { App } from '../../../src/sandbox/routes/index';
import { routes } from '../../../src/sandbox/routes/index';
import type { SolveQueue } from '../../../src/sandbox/solver';
import { ROLES, type Role } from '../../../src/shared/runbook';
import { call, P, sandbox, type TestSandbox } from '../sandbox/helpers';
import { seededRandom } from '../../../src/shared/random';

/** The route table as declared (handlers are not called here). */
const ROUTES = routes({ faultsEnabled: false } as App, {} as SolveQueue).filter(
  (r) => !r.path.startsWith('/__sandbox'),
);
const fill = (p: string, value = 'X') => p.replace(/:[a-z_]+/g, value);

/** Every error answer has the contract's shape (login failures use live's `detail` shape). */
function assertErrorShape(status: number, json: unknown, where: string): void {
  const b = json as Record<string, unknown> | undefined;
  assert.ok(b && typeof b === 'object', `${where}: ${status} without a JSON body`);
  if ('detail' in b) {
    const d = b.detail as Record<string, unknown>;
    assert.equal(d.success, false, where);
    assert.equal(typeof d.error_code, 'string', where);
    return;
  }
  assert.equal(typeof b.error, 'string', `${where}: no error code`);
  assert.equal(typeof b.message, 'string', `${where}: no message`);
}

const NASTY_STRINGS = [
  '',
  ' ',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  "' OR 1=1 --",
  '%ZZ',
  '\u0000',
  '😀'.repeat(50),
  'x'.repeat(10_000),
  '2026-W99',
  '1e308',
  'null',
  'PASS',
  'drill',
  'emergency',
];
const NASTY_NUMBERS = [0, -1, 1, 1e308, -1e308, 2 ** 53, 0.5, 3_600_001];

function randomValue(r: () => number, depth = 0): unknown {
  const k = Math.floor(r() * (depth > 2 ? 5 : 8));
  switch (k) {
    case 0:
      return NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)];
    case 1:
      return NASTY_NUMBERS[Math.floor(r() * NASTY_NUMBERS.length)];
    case 2:
      return r() < 0.5;
    case 3:
      return null;
    case 4:
      return Math.random().toString(36).slice(2);
    case 5:
      return Array.from({ length: Math.floor(r() * 4) }, () => randomValue(r, depth + 1));
    default: {
      const o: Record<string, unknown> = {};
      const keys = [...FIELD_NAMES].sort(() => r() - 0.5).slice(0, 1 + Math.floor(r() * 6));
      for (const key of keys) o[key] = randomValue(r, depth + 1);
      return o;
    }
  }
}

/** Field names of the request schemas, so fuzzed bodies reach the validators' inner checks. */
const FIELD_NAMES = [
  'email',
  'password',
  'tenant_id',
  'approver_id',
  'approver_role',
  'reason',
  'override_warn',
  'driver_id',
  'driver_name',
  'absence_type',
  'affected_tours',
  'urgency',
  'notes',
  'action',
  'mode',
  'rca_ref',
  'started_at',
  'disable_ms',
  'enable_ms',
  'verified_disabled',
  'verified_enabled',
  'result',
  'values',
  'type',
  'severity',
  'summary',
  'status',
  'assigned_to',
  'root_cause',
  'timeline',
  'timeline_entry',
  'evidence',
  'forecast',
  'week',
  'seed',
];

describe('security suite', function () {
  this.timeout(90_000);
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox({
      rateLimit: { limit: 1_000_000, windowMs: 60_000 },
      authFailureLimit: { limit: 1_000_000, windowMs: 60_000 },
    });
  });
  after(async () => {
    await sb?.stop();
  });

  it('tenant matrix: every scoped endpoint refuses the other tenant, and leaks nothing', async () => {
    const scoped = ROUTES.filter((r) => r.scope === 'tenant' || r.scope === 'site');
    assert.ok(scoped.length >= 15, `only ${scoped.length} scoped routes`);
    let checked = 0;
    for (const r of scoped) {
      for (const [key, tenant] of [
        [sb.key('platform_admin', 'lts'), 'gurkerl'],
        [sb.key('platform_admin', 'gurkerl'), 'lts'],
      ] as const) {
        const res = await call(sb, r.method, fill(r.path), {
          auth: key,
          tenant,
          site: tenant === 'lts' ? 'wien' : 'graz',
          body: r.method === 'GET' ? undefined : {},
        });
        assert.equal(res.status, 403, `${r.method} ${r.path} as the other tenant: ${res.status}`);
        assert.equal(res.json.error, 'TENANT_MISMATCH');
        assert.ok(!res.text.includes(tenant === 'lts' ? 'wien' : 'graz"'), `${r.path} leaked data`);
        checked++;
      }
    }
    // Objects of the other tenant, asked for under one's own tenant: not found, not shown.
    const ltsRun = (await call(sb, 'GET', `${P}/runs?limit=1`, { auth: sb.key('dispatcher') })).json.runs[0];
    const r = await call(sb, 'GET', `${P}/runs/${ltsRun.run_id}`, {
      auth: sb.key('dispatcher', 'gurkerl'),
      tenant: 'gurkerl',
    });
    assert.equal(r.status, 404);
    assert.ok(checked >= 30);
  });

  it('role matrix: every endpoint with roles lets exactly its roles through', async () => {
    const withRoles = ROUTES.filter((r) => r.roles);
    assert.ok(withRoles.length >= 8);
    for (const r of withRoles) {
      for (const role of ROLES as readonly Role[]) {
        const res = await call(sb, r.method, fill(r.path, 'RUN-00000000-000'), {
          auth: sb.key(role),
          // An empty body: allowed roles get a validation or not-found answer, never a change.
          body: r.method === 'GET' ? undefined : {},
        });
        const denied = res.status === 403 && res.json?.error === 'PERMISSION_DENIED';
        assert.equal(
          denied,
          !r.roles!.includes(role),
          `${role} ${r.method} ${r.path}: ${res.status} ${res.text.slice(0, 120)}`,
        );
      }
    }
  });

  it('seeded fuzz: >= 2,000 requests over every body and query, 0 5xx, errors in the contract shape', async () => {
    const r = seededRandom(20260114);
    const keys = [sb.key('platform_admin'), sb.key('dispatcher'), sb.key('ops_lead')];
    const targets = ROUTES.filter((x) => !x.path.includes('/stream'));
    const N = 2100;
    let fiveXx = 0;
    let next = 0;
    const worker = async () => {
      while (next < N) {
        const i = next++;
        const route = targets[i % targets.length];
        const param = r() < 0.3 ? NASTY_STRINGS[Math.floor(r() * NASTY_STRINGS.length)] : 'RUN-20260101-001';
        // Now and then a raw, undecodable percent sequence (must be 400, never 500).
        const segment = r() < 0.05 ? '%ZZ' : encodeURIComponent(param).slice(0, 300) || 'x';
        let urlPath = fill(route.path, segment);
        if (r() < 0.5) {
          const q = new URLSearchParams();
          for (const name of ['limit', 'offset', 'status', 'run_id', 'event_type'])
            if (r() < 0.4) q.set(name, String(randomValue(r, 3)).slice(0, 200));
          urlPath += `?${q}`;
        }
        const body = route.method === 'GET' ? undefined : randomValue(r);
        const res = await call(sb, route.method, urlPath, {
          auth: keys[i % keys.length],
          rawBody: body === undefined ? undefined : r() < 0.05 ? '{"broken": ' : JSON.stringify(body),
        });
        if (res.status >= 500) fiveXx++;
        assert.ok(res.status < 500, `${route.method} ${urlPath}: ${res.status} ${res.text.slice(0, 200)}`);
        if (res.status >= 400) assertErrorShape(res.status, res.json, `${route.method} ${urlPath}`);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    assert.equal(fiveXx, 0);
    assert.ok(verifyAuditChain(sb.db).ok, 'audit chain intact after the fuzz');
  });

  it('100 parallel kill-switch toggles and publishes: exact audit rows', async () => {
    // Start from a known state (the fuzz may have left the switch on).
    await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('platform_admin'),
      body: { action: 'enable', mode: 'emergency', reason: 'reset before concurrency', rca_ref: 'RCA-1' },
    });
    const count = (type: string) =>
      (sb.db.prepare('SELECT COUNT(*) AS n FROM audit_log WHERE event_type = ?').get(type) as { n: number })
        .n;
    const before = count('KILL_SWITCH_DISABLE') + count('KILL_SWITCH_ENABLE');
    const toggles = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        call(sb, 'POST', `${P}/kill-switch`, {
          auth: sb.key('dispatcher'),
          body: { action: i % 2 ? 'enable' : 'disable', mode: 'drill', reason: `concurrency toggle ${i}` },
        }),
      ),
    );
    assert.ok(
      toggles.every((t) => t.status === 200),
      toggles.map((t) => t.status).join(','),
    );
    assert.equal(count('KILL_SWITCH_DISABLE') + count('KILL_SWITCH_ENABLE') - before, 100);
    await call(sb, 'POST', `${P}/kill-switch`, {
      auth: sb.key('dispatcher'),
      body: { action: 'enable', mode: 'drill', reason: 'end of concurrency test' },
    });
    const runs = (await call(sb, 'GET', `${P}/runs?limit=100&status=PASS`, { auth: sb.key('dispatcher') }))
      .json.runs as { run_id: string; published: boolean }[];
    const target = runs.find((x) => !x.published);
    assert.ok(target, 'an unpublished PASS run');
    const published = count('RUN_PUBLISHED');
    const answers = await Promise.all(
      Array.from({ length: 100 }, () =>
        call(sb, 'POST', `${P}/runs/${target.run_id}/publish`, {
          auth: sb.key('dispatcher'),
          body: { approver_id: 'disp-1', approver_role: 'dispatcher', reason: 'concurrency publish test' },
        }),
      ),
    );
    const statuses = answers.map((a) => a.json?.status);
    assert.equal(statuses.filter((s) => s === 'PUBLISHED').length, 1, statuses.join(','));
    assert.equal(statuses.filter((s) => s === 'ALREADY_PUBLISHED').length, 99);
    assert.equal(count('RUN_PUBLISHED') - published, 1);
  });

  it('kill -9 during 16 concurrent writers: integrity ok, no acknowledged write lost, chain intact', async () => {
    const entry = path.resolve(__dirname, '../../../dist/sandbox.js');
    if (!existsSync(entry))
      throw new Error('dist/sandbox.js is missing: run `node esbuild.mjs` first (npm test does)');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-crash-'));
    const db = path.join(dir, 'solvereign.db');
    const child = spawn(
      process.execPath,
      [entry, '--port', '0', '--quiet', '--db', db, '--seed-engine', 'synthetic', '--rate-limit', '1000000'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/\S+)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (c) => reject(new Error(`sandbox exited (${c})`)));
      });
      const creds = JSON.parse(readFileSync(path.join(dir, 'credentials.json'), 'utf8'));
      const acknowledged: string[] = [];
      const refused: string[] = [];
      let stop = false;
      let finished = 0;
      const writer = async (w: number) => {
        for (let i = 0; !stop; i++) {
          try {
            const r = await call({ url }, 'POST', '/api/v1/platform/incidents', {
              auth: creds.keys.dispatcher,
              body: { type: 'stability', severity: 'S3', summary: `crash writer ${w}.${i}` },
            });
            if (r.status === 201) acknowledged.push(r.json.id);
            else refused.push(`${r.status} ${r.text.slice(0, 120)}`);
          } catch (e) {
            if (!stop) refused.push(String(e));
            break; // the server is gone
          }
        }
        finished++;
      };
      const writers = Array.from({ length: 16 }, (_, w) => writer(w));
      const deadline = Date.now() + 30_000;
      while (acknowledged.length < 150 && finished < 16 && Date.now() < deadline)
        await new Promise((res) => setTimeout(res, 20));
      assert.ok(
        acknowledged.length >= 150,
        `only ${acknowledged.length} writes acknowledged: ${refused.slice(0, 3).join(' | ')}`,
      );
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      // A process killed by a signal keeps exitCode null (signalCode is set): check both, or a child
      // that already exited while the writers wound down is waited for forever.
      await new Promise((res) =>
        child.exitCode === null && child.signalCode === null ? child.once('exit', res) : res(null),
      );
      const after = new Database(db);
      try {
        assert.equal(after.pragma('integrity_check', { simple: true }), 'ok');
        const present = new Set(
          (after.prepare('SELECT id FROM incidents').all() as { id: string }[]).map((x) => x.id),
        );
        const lost = acknowledged.filter((id) => !present.has(id));
        assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes lost`);
        assert.ok(verifyAuditChain(after).ok);
      } finally {
        after.close();
      }
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
