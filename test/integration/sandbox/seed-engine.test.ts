// The default seed: lts/wien's history solved by the roster engine (generated Wien-sized weeks,
// cached per user), checked against the baseline and the runbook's bad weeks.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { parseForecast } from '../../../src/roster/index';
import * as S from '../../../src/api/schemas';
import { EngineCache } from '../../../src/sandbox/seed-engine';
import { readZip as readZipFiles } from '../../../src/shared/zip';
import { call, P, sandbox, type TestSandbox } from './helpers';

const readZip = (zip: Buffer) => [...readZipFiles(zip)].map(([name, data]) => ({ name, data }));

describe('sandbox: default seed history solved by the roster engine', function () {
  // The first run on a machine solves ~15 Wien weeks (seconds); later ones read the shared cache.
  this.timeout(120_000);
  let sb: TestSandbox;
  let runs: S.RunDetail[];
  const statusOf = (r: S.RunDetail) =>
    Object.fromEntries(r.audit_results.map((a) => [a.check_name, a.status]));
  const byNote = (re: RegExp) => {
    const r = runs.find((x) => re.test(x.notes ?? ''));
    assert.ok(r, `a run noted ${re}`);
    return r;
  };

  before(async () => {
    sb = await sandbox();
    const key = sb.key('dispatcher');
    const list = S.RunList.parse((await call(sb, 'GET', `${P}/runs?limit=100`, { auth: key })).json);
    runs = [];
    for (const r of list.runs) {
      runs.push(S.RunDetail.parse((await call(sb, 'GET', `${P}/runs/${r.run_id}`, { auth: key })).json));
    }
  });
  after(async () => {
    await sb.stop();
  });

  it('is the engine by default: 15 Wien-sized weeks', () => {
    assert.equal(sb.store.meta('seed_engine'), 'roster');
    assert.equal(runs.length, 15);
    for (const r of runs.filter((x) => x.status !== 'ERROR')) {
      assert.ok(
        r.kpis.total_tours! >= 1200 && r.kpis.total_tours! <= 1560,
        `${r.run_id} ${r.kpis.total_tours}`,
      );
    }
    assert.ok(new Set(runs.map((r) => r.kpis.total_tours)).size >= 8, 'week-to-week variation');
  });

  it('normal weeks solve within the baseline: headcount 145 +-5 %, FTE >= 0.95, 100 %, 7/7 PASS', () => {
    const pass = runs.filter((r) => r.status === 'PASS');
    assert.ok(pass.length >= 8, `${pass.length} PASS weeks`);
    for (const r of pass) {
      const k = r.kpis;
      assert.ok(Math.abs(k.headcount! - 145) / 145 <= 0.05, `${r.run_id} headcount ${k.headcount}`);
      assert.ok(k.fte_ratio! >= 0.95, `${r.run_id} fte ${k.fte_ratio}`);
      assert.equal(k.coverage_percent, 100);
      assert.equal(k.drift_status, 'OK');
      assert.ok(
        r.audit_results.every((a) => a.status === 'PASS'),
        JSON.stringify(statusOf(r)),
      );
    }
    assert.ok(pass.some((r) => r.published && r.locked));
    assert.ok(pass.some((r) => r.published && !r.locked));
    assert.ok(pass.some((r) => !r.published));
  });

  it('the bad weeks fail the way the runbook describes', () => {
    const dup = byNote(/Duplicate tours/);
    assert.equal(dup.status, 'FAIL');
    assert.equal(statusOf(dup).Overlap, 'FAIL');
    assert.equal(statusOf(dup).Coverage, 'PASS');

    const cov = runs.find((r) => r.status === 'BLOCKED')!;
    assert.ok(cov.kpis.coverage_percent! < 100);
    assert.equal(cov.kpis.drift_status, 'BLOCK');
    assert.equal(statusOf(cov).Coverage, 'FAIL');

    const repro = byNote(/Hash mismatch/);
    assert.equal(repro.status, 'FAIL');
    assert.deepEqual(
      repro.audit_results.filter((a) => a.status !== 'PASS').map((a) => a.check_name),
      ['Reproducibility'],
    );
  });

  it('the WARN weeks are real drift: a seasonal peak (headcount) and a holiday week (FTE)', () => {
    const peak = byNote(/seasonal peak/);
    assert.equal(peak.status, 'WARN');
    assert.ok(peak.kpis.headcount! > 145 * 1.05, `headcount ${peak.kpis.headcount}`);
    const holiday = byNote(/public holiday/);
    assert.equal(holiday.status, 'WARN');
    assert.ok(holiday.published, 'published with override_warn');
    assert.ok(holiday.kpis.fte_ratio! < 0.95, `fte ${holiday.kpis.fte_ratio}`);
    for (const r of [peak, holiday]) {
      assert.equal(r.kpis.drift_status, 'WARN');
      assert.ok(r.audit_results.every((a) => a.status === 'PASS'));
    }
  });

  it('the ERROR week timed out (ERR_SOLVE_001) and its re-run solved the same forecast', () => {
    const err = runs.find((r) => r.status === 'ERROR')!;
    assert.equal(err.error_code, 'ERR_SOLVE_001');
    assert.equal(err.headcount, null);
    assert.equal(err.output_hash, null);
    const rerun = byNote(/Re-run after solver timeout/);
    assert.equal(rerun.status, 'PASS');
    assert.equal(rerun.week_id, err.week_id);
    assert.equal(rerun.input_hash, err.input_hash);
  });

  it("a re-run belongs to its run's week also when seeded just after Monday 00:00", async () => {
    // Seeded at Monday 00:30: the hours before each seeded run fall on the Sunday before.
    const early = await sandbox({ seedEngine: 'synthetic', now: () => new Date('2026-12-07T00:30:00Z') });
    try {
      const key = early.key('dispatcher');
      const list = S.RunList.parse((await call(early, 'GET', `${P}/runs?limit=100`, { auth: key })).json);
      const err = list.runs.find((r) => r.status === 'ERROR')!;
      const rerun = list.runs.find((r) => /Re-run after solver timeout/.test(r.notes ?? ''));
      assert.ok(rerun, 'the re-run is seeded');
      assert.equal(err.week_id, '2026-W45');
      assert.equal(rerun.week_id, err.week_id);
    } finally {
      await early.stop();
    }
  });

  it("evidence packs hold the shown week's forecast, whose hash is the run's input_hash", async () => {
    for (const run of [runs[0], byNote(/Duplicate tours/)]) {
      const r = await call(sb, 'GET', `${P}/evidence/${run.run_id}`, { auth: sb.key('dispatcher') });
      assert.equal(r.status, 200);
      const files = readZip(r.bytes);
      const text = files.find((f) => f.name === 'input/forecast.txt')!.data.toString();
      assert.match(text, new RegExp(`^# SOLVEREIGN forecast ${run.week_id} `));
      const parsed = parseForecast(text);
      assert.equal(`sha256:${parsed.inputHash}`, run.input_hash);
      assert.equal(parsed.tourCount, run.kpis.total_tours);
      const plan = JSON.parse(files.find((f) => f.name === 'plan.json')!.data.toString());
      assert.equal(plan.week_id, run.week_id);
      assert.equal(`sha256:${plan.output_hash}`, run.output_hash);
      assert.equal(
        new Set(plan.assignments.map((a: { driver_id: string }) => a.driver_id)).size,
        run.headcount,
      );
      const sha = createHash('sha256').update(r.bytes).digest('hex');
      assert.equal(run.evidence_hash, `sha256:${sha}`);
    }
  });
});

describe('sandbox: engine seed cache', () => {
  it('serves a hit only when it is still valid (else solves again)', () => {
    const cache = new EngineCache();
    // biome-ignore lint/suspicious/noExplicitAny: a stand-in solved week
    const week = (h: string) => ({ input_hash: h }) as any;
    assert.equal(
      cache.get(
        'k',
        () => true,
        () => week('a'),
      ).input_hash,
      'a',
    );
    assert.equal(
      cache.get(
        'k',
        (w) => w.input_hash === 'a',
        () => week('b'),
      ).input_hash,
      'a',
    );
    assert.equal(
      cache.get(
        'k',
        (w) => w.input_hash === 'b',
        () => week('b'),
      ).input_hash,
      'b',
    );
    assert.deepEqual([cache.hits, cache.misses], [1, 2]);
  });
});
