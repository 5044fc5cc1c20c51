import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as S from '../../../src/api/schemas';
import { sha256Hex } from '../../../src/sandbox/crypto';
import { openDatabase } from '../../../src/sandbox/db';
import { startSandbox } from '../../../src/sandbox/server';
import { call, P } from './helpers';

describe('sandbox: persistence, reset, bulk runs', () => {
  let dir: string;
  let dbPath: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-sandbox-persist-'));
    dbPath = path.join(dir, 'nested', 'solvereign.db');
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('data survives a restart on the same file; the same demo keys work', async () => {
    const a = await startSandbox({ dbPath, port: 0 });
    assert.equal(a.seeded, true);
    const key = a.demoCredentials.find((c) => c.role === 'dispatcher' && c.tenant_code === 'lts')!.api_key;
    const created = await call(a, 'POST', '/api/v1/platform/incidents', {
      auth: key,
      body: { type: 'quality', severity: 'S3', summary: 'survives restart' },
    });
    assert.equal(created.status, 201);
    await call(a, 'POST', `${P}/kill-switch`, {
      auth: key,
      body: { action: 'disable', mode: 'drill', reason: 'persisted kill switch' },
    });
    await a.close();

    const b = await startSandbox({ dbPath, port: 0 });
    try {
      assert.equal(b.seeded, false);
      const list = S.IncidentList.parse(
        (await call(b, 'GET', '/api/v1/platform/incidents', { auth: key })).json,
      );
      assert.ok(list.incidents.some((i) => i.id === created.json.id));
      const s = S.SystemStatus.parse((await call(b, 'GET', `${P}/status`, { auth: key })).json);
      assert.equal(s.kill_switch_active, true);
      assert.equal(s.kill_switch_reason, 'persisted kill switch');
    } finally {
      await b.close();
    }
  });

  it('demo keys are random per database, recorded only in the owner-only credentials file; derivable and lost keys stop working', async () => {
    const other = path.join(dir, 'other', 'solvereign.db');
    const a = await startSandbox({ dbPath: path.join(dir, 'keys-a', 'solvereign.db'), port: 0 });
    const b = await startSandbox({ dbPath: other, port: 0 });
    const keyOf = (h: typeof a, role = 'dispatcher') =>
      h.demoCredentials.find((c) => c.role === role && c.tenant_code === 'lts')!.api_key;
    // The key scheme older sandboxes used: anyone could compute it from a public string.
    const derivable = `sv_lts_dispatcher_demo_${sha256Hex('solvereign-sandbox-demo-key:lts:dispatcher').slice(0, 24)}`;
    try {
      assert.notEqual(keyOf(a), keyOf(b), 'two fresh sandboxes get different keys');
      assert.equal(new Set(a.demoCredentials.map((c) => c.api_key)).size, a.demoCredentials.length);
      assert.equal((await call(a, 'GET', `${P}/status`, { auth: keyOf(b) })).status, 401);
      assert.equal((await call(a, 'GET', `${P}/status`, { auth: derivable })).status, 401);
      assert.equal((await call(a, 'GET', `${P}/status`, { auth: keyOf(a) })).status, 200);
      // Only the hash is in the database; the plain keys are in credentials.json (0600).
      const stored = a.db.prepare('SELECT key_hash FROM api_keys').all() as { key_hash: string }[];
      assert.ok(stored.some((r) => r.key_hash === sha256Hex(keyOf(a))));
      assert.ok(!JSON.stringify(stored).includes(keyOf(a)));
      assert.equal(a.credentialsFile, path.join(dir, 'keys-a', 'credentials.json'));
      const file = JSON.parse(readFileSync(a.credentialsFile!, 'utf8'));
      assert.equal(file.tenants.lts.dispatcher, keyOf(a));
      assert.equal(file.server, a.url);
      assert.equal(statSync(a.credentialsFile!).mode & 0o777, 0o600);
    } finally {
      await a.close();
      await b.close();
    }
    // A database still holding the derivable key (seeded by an older sandbox, its file listing it):
    // the restart replaces it with random keys and the derivable one is refused.
    const oldKey = keyOf(b);
    const raw = openDatabase(other, { now: () => new Date() });
    raw
      .prepare('UPDATE api_keys SET key_hash = ? WHERE key_hash = ?')
      .run(sha256Hex(derivable), sha256Hex(oldKey));
    raw.close();
    const creds = JSON.parse(readFileSync(path.join(dir, 'other', 'credentials.json'), 'utf8'));
    creds.tenants.lts.dispatcher = derivable;
    writeFileSync(path.join(dir, 'other', 'credentials.json'), JSON.stringify(creds));
    const c = await startSandbox({ dbPath: other, port: 0 });
    try {
      assert.equal(c.seeded, false);
      assert.ok(/^sv_lts_dispatcher_demo_[0-9a-f]{32}$/.test(keyOf(c)));
      // Every demo key is renewed, and the earlier ones stop working.
      const oldLead = creds.tenants.lts.ops_lead;
      assert.notEqual(keyOf(c, 'ops_lead'), oldLead);
      assert.equal((await call(c, 'GET', `${P}/status`, { auth: oldLead })).status, 401);
      assert.equal((await call(c, 'GET', `${P}/status`, { auth: derivable })).status, 401);
      assert.equal((await call(c, 'GET', `${P}/status`, { auth: keyOf(c) })).status, 200);
      assert.equal(JSON.parse(readFileSync(c.credentialsFile!, 'utf8')).tenants.lts.dispatcher, keyOf(c));
    } finally {
      await c.close();
    }
  });

  it('reset deletes the data (audit log included) and seeds again', async () => {
    const c = await startSandbox({ dbPath, port: 0, reset: true });
    try {
      assert.equal(c.seeded, true);
      const key = c.demoCredentials.find((d) => d.role === 'dispatcher' && d.tenant_code === 'lts')!.api_key;
      const list = S.IncidentList.parse(
        (await call(c, 'GET', '/api/v1/platform/incidents', { auth: key })).json,
      );
      assert.ok(!list.incidents.some((i) => i.summary === 'survives restart'));
      const s = S.SystemStatus.parse((await call(c, 'GET', `${P}/status`, { auth: key })).json);
      assert.equal(s.kill_switch_active, false);
      const n = c.db
        .prepare("SELECT COUNT(*) AS n FROM audit_log WHERE event_type = 'KILL_SWITCH_DISABLE'")
        .get() as {
        n: number;
      };
      assert.equal(n.n, 0);
    } finally {
      await c.close();
    }
  });

  it('seedRuns adds bulk runs that page newest first', async () => {
    const d = await startSandbox({ dbPath: path.join(dir, 'bulk.db'), port: 0, seedRuns: 500 });
    try {
      const key = d.demoCredentials.find(
        (c) => c.role === 'ops_readonly' && c.tenant_code === 'lts',
      )!.api_key;
      const first = S.RunList.parse((await call(d, 'GET', `${P}/runs?limit=100`, { auth: key })).json);
      assert.equal(first.total, 515);
      const seen = new Set<string>();
      let last = first.runs[0].timestamp;
      for (let offset = 0; offset < first.total; offset += 100) {
        const page = S.RunList.parse(
          (await call(d, 'GET', `${P}/runs?limit=100&offset=${offset}`, { auth: key })).json,
        );
        for (const r of page.runs) {
          assert.ok(r.timestamp <= last);
          last = r.timestamp;
          seen.add(r.run_id);
        }
      }
      assert.equal(seen.size, 515);
    } finally {
      await d.close();
    }
  });
});

describe('sandbox: seed history solved by the roster engine', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-sandbox-engine-'));
  });
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('solves generated weeks with the engine, caches them, and reuses the cache on the next seed', async () => {
    const cacheFile = path.join(dir, 'cache', 'seed-cache.json');
    const first = await startSandbox({
      dbPath: path.join(dir, 'a.db'),
      port: 0,
      seedEngine: 'roster',
      seedWeeks: 1,
      seedCacheFile: cacheFile,
    });
    let hash: string | null | undefined;
    try {
      const key = first.demoCredentials.find(
        (c) => c.role === 'dispatcher' && c.tenant_code === 'lts',
      )!.api_key;
      const list = S.RunList.parse((await call(first, 'GET', `${P}/runs`, { auth: key })).json);
      assert.equal(list.total, 1, 'one week seeded');
      const run = S.RunDetail.parse(
        (await call(first, 'GET', `${P}/runs/${list.runs[0].run_id}`, { auth: key })).json,
      );
      assert.ok(run.kpis.total_tours! > 1300, `Wien-sized week (${run.kpis.total_tours} tours)`);
      assert.equal(run.audit_results.length, 7);
      assert.match(run.output_hash ?? '', /^sha256:[a-f0-9]{64}$/);
      hash = run.output_hash;
      assert.equal(first.store.meta('seed_engine'), 'roster');
    } finally {
      await first.close();
    }
    assert.ok(existsSync(cacheFile), 'cache written');
    const written = statSync(cacheFile).mtimeMs;
    const second = await startSandbox({
      dbPath: path.join(dir, 'b.db'),
      port: 0,
      seedEngine: 'roster',
      seedWeeks: 1,
      seedCacheFile: cacheFile,
    });
    try {
      const key = second.demoCredentials.find(
        (c) => c.role === 'dispatcher' && c.tenant_code === 'lts',
      )!.api_key;
      const list = S.RunList.parse((await call(second, 'GET', `${P}/runs`, { auth: key })).json);
      const run = S.RunDetail.parse(
        (await call(second, 'GET', `${P}/runs/${list.runs[0].run_id}`, { auth: key })).json,
      );
      assert.equal(run.output_hash, hash, 'same solved week from the cache');
      assert.equal(statSync(cacheFile).mtimeMs, written, 'all hits: the cache was not rewritten');
    } finally {
      await second.close();
    }
  });
});
