// Solving in the sandbox with bounds: one forecast parser (text or CSV), FAIL forecasts refused or
// explicitly dropped, the site's minimum pause, a tour cap per request, a bounded queue per tenant
// and fair order between tenants.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { call, sandbox, type TestSandbox } from './helpers';

const CI_CSV = readFileSync(path.resolve(__dirname, '../../fixtures/roster/forecast_ci_test.csv'), 'utf8');
const SMALL = 'Mo 06:00-10:00\nMo 10:00-14:00\n';

async function run(sb: TestSandbox, id: string, tenant = 'lts') {
  const r = await call(sb, 'GET', `/api/v1/runs/${id}`, { auth: sb.key('dispatcher', tenant), tenant });
  assert.equal(r.status, 200);
  return r.json;
}

describe('sandbox: bounded solves (POST /api/v1/runs)', () => {
  describe('input and settings', () => {
    let sb: TestSandbox;
    before(async () => {
      sb = await sandbox({ solver: { maxToursPerRequest: 500, minPauseMinutes: { 'lts/wien': 0 } } });
    });
    after(async () => {
      await sb.stop();
    });

    it('solves the CI CSV through the same parser to a full plan', async () => {
      const r = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('dispatcher'),
        body: { forecast: CI_CSV, week: '2026-W20', min_pause_minutes: 30 },
      });
      assert.equal(r.status, 202, r.text);
      await sb.solverIdle();
      const detail = await run(sb, r.json.run_id);
      assert.deepEqual(
        detail.audit_results.filter((a: { status: string }) => a.status !== 'PASS'),
        [],
      );
      assert.equal(detail.coverage_percent, 100);
      assert.ok(detail.headcount > 0);
      assert.ok(detail.kpis.total_tours > 50);
      assert.ok(detail.kpis.min_changeover_minutes >= 30);
    });

    it('a FAIL forecast is 422 with its line errors; drop_invalid solves the rest and reports the drop', async () => {
      const forecast = `${SMALL}Fr 25:00-14:00 3 Fahrer\n`;
      const refused = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('dispatcher'),
        body: { forecast, week: '2026-W21' },
      });
      assert.equal(refused.status, 422);
      assert.deepEqual(refused.json.details.lines[0].line, 3);
      assert.deepEqual(refused.json.details.lines[0].codes, ['INVALID_HOUR']);
      assert.match(refused.json.details.lines[0].messages[0], /Hour 25/);
      assert.match(refused.json.message, /drop_invalid/);
      const dropped = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('dispatcher'),
        body: { forecast, week: '2026-W21', drop_invalid: true },
      });
      assert.equal(dropped.status, 202, dropped.text);
      assert.deepEqual(dropped.json.dropped, { lines: [3], tours: 3 });
      await sb.solverIdle();
      const detail = await run(sb, dropped.json.run_id);
      assert.equal(detail.kpis.total_tours, 2);
      const audit = await call(sb, 'GET', '/api/v1/audit?event_type=RUN_CREATED', {
        auth: sb.key('platform_admin'),
      });
      let created: { details?: { run_id?: string; dropped?: unknown } } | undefined;
      for (const e of audit.json.entries as { id: number }[]) {
        const d = await call(sb, 'GET', `/api/v1/audit/${e.id}`, { auth: sb.key('platform_admin') });
        if (d.json.details?.run_id === dropped.json.run_id) created = d.json;
      }
      assert.deepEqual(created?.details?.dropped, { lines: [3], tours: 3 }, 'the record names the drop');
    });

    it('the minimum pause is a site setting, overridable per request', async () => {
      const site = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('dispatcher'),
        body: { forecast: SMALL, week: '2026-W22' },
      });
      const strict = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('dispatcher'),
        body: { forecast: SMALL, week: '2026-W22', min_pause_minutes: 30 },
      });
      await sb.solverIdle();
      assert.equal((await run(sb, site.json.run_id)).headcount, 1, 'site setting 0: back to back');
      assert.equal((await run(sb, strict.json.run_id)).headcount, 2, '30 min: two drivers');
      const bad = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('dispatcher'),
        body: { forecast: SMALL, week: '2026-W22', min_pause_minutes: -5 },
      });
      assert.equal(bad.status, 422);
    });

    it('more tours than the cap per request is 422 and starts nothing', async () => {
      const r = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('dispatcher'),
        body: { forecast: 'Mo 06:00-14:00 999 Fahrer\n', week: '2026-W23' },
      });
      assert.equal(r.status, 422);
      assert.match(r.json.message, /999 tours; at most 500 per request/);
    });
  });

  describe('queue', () => {
    let sb: TestSandbox;
    before(async () => {
      sb = await sandbox({ solver: { hold: true, maxQueuedPerTenant: 2 } });
    });
    after(async () => {
      await sb.stop();
    });

    it('a full tenant queue is 429 with Retry-After; other tenants go first in turn; one solve per site', async () => {
      const post = (tenant: string, week: string) =>
        call(sb, 'POST', '/api/v1/runs', {
          auth: sb.key('dispatcher', tenant),
          tenant,
          body: { forecast: SMALL, week },
        });
      const a = await post('lts', '2026-W30');
      const b = await post('lts', '2026-W31');
      assert.equal(a.status, 202);
      assert.equal(b.status, 202);
      const full = await post('lts', '2026-W32');
      assert.equal(full.status, 429);
      assert.equal(full.json.error, 'RATE_LIMIT_EXCEEDED');
      assert.ok(Number(full.headers.get('retry-after')) >= 1);
      const other = await post('gurkerl', '2026-W30');
      assert.equal(other.status, 202, 'another tenant is not affected');
      sb.solves.release();
      await sb.solverIdle();
      assert.deepEqual(sb.solves.startOrder(), [a.json.run_id, other.json.run_id, b.json.run_id]);
      for (const [id, tenant] of [
        [a.json.run_id, 'lts'],
        [b.json.run_id, 'lts'],
        [other.json.run_id, 'gurkerl'],
      ])
        assert.deepEqual(
          (await run(sb, id, tenant)).audit_results.map((x: { status: string }) => x.status),
          Array(7).fill('PASS'),
        );
    });
  });

  describe('worker memory', () => {
    let sb: TestSandbox;
    before(async () => {
      sb = await sandbox({ solver: { workerMemoryMb: 4 } });
    });
    after(async () => {
      await sb.stop();
    });

    it('a solve over its worker memory limit ends as an ERROR run that says so; the sandbox keeps serving', async () => {
      const r = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('dispatcher'),
        body: { forecast: 'Mo 06:00-14:00 900 Fahrer\nDi 06:00-14:00 900 Fahrer\n', week: '2026-W40' },
      });
      assert.equal(r.status, 202);
      await sb.solverIdle();
      const detail = await run(sb, r.json.run_id);
      assert.equal(detail.status, 'ERROR');
      assert.match(detail.error_message, /memory limit/);
      const health = await call(sb, 'GET', '/health', { auth: null, tenant: null, site: null });
      assert.equal(health.status, 200);
    });
  });
});
