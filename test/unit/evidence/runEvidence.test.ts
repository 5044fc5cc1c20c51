import assert from 'node:assert/strict';
import {
  EvidenceCache,
  EvidenceMismatchError,
  type EvidenceSource,
  readRunEvidence,
} from '../../../src/evidence/runEvidence';
import { buildEvidence } from '../../../src/sandbox/evidence';

const pack = (runId: string, forecast = 'Mo 06:00-14:00\n') =>
  buildEvidence({
    run_id: runId,
    tenant_code: 'lts',
    site_code: 'wien',
    week_id: '2026-W03',
    created_at: '2026-01-12T06:00:00Z',
    forecast,
    plan: { assignments: [{ driver_id: 'D001', tour_id: 'T0001' }], drivers: [] },
    audits: [
      {
        check_name: 'Coverage',
        status: 'PASS',
        violation_count: 0,
        details: { message: 'ok', violations: [] },
      },
    ],
    kpis: { headcount: 1, coverage_percent: 100, fte_ratio: 0, pt_ratio: 1, runtime_seconds: 0.01 },
    input_hash: 'sha256:a',
    config_hash: 'sha256:b',
    output_hash: 'sha256:c',
    seed: 94,
    status: 'AUDITED',
  });

function source(
  scope: string,
  packs: Record<string, ReturnType<typeof pack>>,
  calls: string[] = [],
): EvidenceSource {
  return {
    scope,
    async evidence(runId) {
      calls.push(runId);
      const p = packs[runId];
      if (!p) throw new Error(`no ${runId}`);
      return { zip: p.zip, sha256: p.sha256 };
    },
    async checksums(runId) {
      return packs[runId]!.checksums;
    },
  };
}

describe('run evidence (verified packs for the L3 workspace)', () => {
  it('reads the forecast, plan, audits, KPIs and manifest of a verified pack', () => {
    const p = pack('RUN-20260112-001');
    const ev = readRunEvidence('RUN-20260112-001', 's', p.zip, p.sha256, p.checksums);
    assert.equal(ev.forecast?.name, 'input/forecast.txt');
    assert.equal(ev.forecast?.text, 'Mo 06:00-14:00\n');
    assert.deepEqual((ev.plan as { assignments: unknown[] }).assignments.length, 1);
    assert.equal(ev.audits?.[0]?.check_name, 'Coverage');
    assert.equal(ev.kpis?.headcount, 1);
    assert.equal(ev.manifest?.status, 'AUDITED');
    assert.equal(ev.verification.verified, true);
  });

  it('a checksum mismatch is an error that names the file', () => {
    const p = pack('RUN-20260112-001');
    const bad = { ...p.checksums, 'plan.json': '0'.repeat(64) };
    assert.throws(
      () => readRunEvidence('RUN-20260112-001', 's', p.zip, p.sha256, bad),
      (e: unknown) => e instanceof EvidenceMismatchError && /plan\.json/.test(e.message),
    );
  });

  it('downloads once per scope and run, evicts the least recently used, forgets all on clear()', async () => {
    const packs = { A: pack('A'), B: pack('B'), C: pack('C') };
    const calls: string[] = [];
    const cache = new EvidenceCache({ maxRuns: 2 });
    const src = source('env1', packs, calls);
    await Promise.all([cache.get(src, 'A'), cache.get(src, 'A')]);
    assert.deepEqual(calls, ['A']);
    await cache.get(src, 'B');
    await cache.get(src, 'A'); // A is now the most recent
    await cache.get(src, 'C'); // B goes
    assert.deepEqual(
      cache.list().map((e) => e.runId),
      ['A', 'C'],
    );
    await cache.get(source('env2', packs, calls), 'A');
    assert.equal(calls.filter((c) => c === 'A').length, 2, 'another scope downloads its own copy');
    cache.clear();
    assert.equal(cache.list().length, 0);
  });

  it('a pack larger than the byte budget is still returned, and the cache keeps only it', async () => {
    const packs = { A: pack('A'), B: pack('B', `${'Mo 06:00-14:00\n'.repeat(400)}`) };
    const cache = new EvidenceCache({ maxBytes: packs.B.zip.length + 10 });
    await cache.get(source('s', packs), 'A');
    await cache.get(source('s', packs), 'B');
    assert.deepEqual(
      cache.list().map((e) => e.runId),
      ['B'],
    );
  });
});
