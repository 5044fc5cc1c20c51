// L3 workspace: open evidence + findings for a Wien-size run (download over HTTP from a sandbox on
// 127.0.0.1, verify against the checksums, parse, expand the input, build the plan summary and map
// every violation to its lines), and a local audits-as-tests run of a Wien week with the built-in
// engine (solve, reproducibility re-solve, seven audits). Usage: node bench/l3.bench.mjs
import { loadTs, printTable, startSandbox, stats } from './support.mjs';

const ROUNDS = 7;
const sandbox = await startSandbox();
try {
  const { SolvereignClient } = await loadTs('src/api/client.ts');
  const { ApiKeyAuth } = await loadTs('src/api/auth.ts');
  const E = await loadTs('src/evidence/runEvidence.ts');
  const F = await loadTs('src/evidence/findings.ts');
  const L = await loadTs('src/evidence/localAudit.ts');
  const client = new SolvereignClient({
    baseUrl: sandbox.url,
    tenant: 'lts',
    site: 'wien',
    auth: new ApiKeyAuth(sandbox.credentials.keys.platform_admin),
  });
  await client.status(); // warm the connection, as the extension's is
  const runs = (await client.listRuns({ limit: 50 })).runs;
  // The seeded week with duplicate tours: a Wien-size run with an Overlap FAIL to map.
  const source = {
    scope: sandbox.url,
    evidence: (id) => client.evidence(id),
    checksums: async (id) => (await client.evidenceChecksums(id)).checksums,
  };
  let target;
  const probe = new E.EvidenceCache();
  for (const r of runs.filter((x) => x.status === 'FAIL')) {
    const ev = await probe.get(source, r.run_id);
    if (ev.audits?.some((a) => a.check_name === 'Overlap' && a.status === 'FAIL')) target = r;
  }
  target ??= runs[0];
  const open = [];
  let last;
  for (let i = 0; i < ROUNDS; i++) {
    const cache = new E.EvidenceCache(); // cold: every round downloads and verifies
    const t0 = performance.now();
    const ev = await cache.get(source, target.run_id);
    last = { ev, rf: F.runFindings(ev) };
    open.push(performance.now() - t0);
  }
  const local = [];
  let result;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    result = await L.runLocalAudits(last.ev.forecast.text, { week: last.ev.week });
    local.push(performance.now() - t0);
  }
  const o = stats(open);
  const l = stats(local);
  printTable([
    {
      measure: 'open evidence + findings (cold cache)',
      run: target.run_id,
      tours: last.rf.tours?.length ?? 0,
      drivers: last.rf.summary?.drivers ?? 0,
      findings: last.rf.findings.length,
      'p50 ms': o.p50,
      'max ms': o.max,
      target: '<= 300',
    },
    {
      measure: 'audits as tests, built-in engine',
      run: target.run_id,
      tours: result.tours.length,
      drivers: result.kpis.headcount,
      findings: result.findings.length,
      'p50 ms': l.p50,
      'max ms': l.max,
      target: '<= 2000',
    },
  ]);
} finally {
  await sandbox.stop();
}
