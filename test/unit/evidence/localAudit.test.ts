import assert from 'node:assert/strict';
import path from 'node:path';
import {
  ExternalSolverError,
  parseExternalPlan,
  runLocalAudits,
  TOURS_FORMAT,
  toursFile,
  weekFromForecast,
} from '../../../src/evidence/localAudit';
import { ForecastBlockedError } from '../../../src/roster/pipeline';
import { DEFAULT_RULES } from '../../../src/roster/rules';
import { parseForecast } from '../../../src/roster/forecast';
import { expandWeek } from '../../../src/roster/week';

const FIXTURES = path.join(__dirname, '../../fixtures/l3');
const node = (script: string, ...args: string[]) => ({
  command: process.execPath,
  args: [path.join(FIXTURES, script), ...args],
  timeoutMs: 20_000,
});
const WEEK = '2026-W03';
const FORECAST = [
  '# Week: 2026-W03',
  'Mo 06:00-14:00 2 Fahrer Depot Nord',
  'Mo 15:00-20:00 Depot Süd',
  'Di 06:00-14:00 Depot Nord',
  '',
].join('\n');

describe('L3 audits as tests: local solve (built-in or external) then the seven audits', () => {
  it('reads the week a forecast declares', () => {
    assert.equal(weekFromForecast(FORECAST), '2026-W03');
    assert.equal(weekFromForecast('Mo 06:00-14:00\n'), undefined);
  });

  it('writes the documented tours file', () => {
    const tours = expandWeek(parseForecast(FORECAST).tours, WEEK).tours;
    const f = toursFile(WEEK, 94, tours, DEFAULT_RULES);
    assert.equal(f.format, TOURS_FORMAT);
    assert.equal(f.rules.min_pause_minutes, 30);
    assert.deepEqual(f.tours[0], {
      id: 'T0001',
      line: 2,
      day: 1,
      date: '2026-01-12',
      start: 360,
      end: 840,
      parts: [{ start: 360, end: 840 }],
      split: false,
      work_minutes: 480,
      depot: 'Nord',
    });
  });

  it('solves with the built-in engine: seven audits, all PASS', async () => {
    const r = await runLocalAudits(FORECAST, { week: WEEK });
    assert.equal(r.solver, 'built-in');
    assert.equal(r.audits.length, 7);
    assert.deepEqual(
      r.audits.filter((a) => a.status !== 'PASS').map((a) => a.check_name),
      [],
    );
    assert.equal(r.findings.length, 0);
    assert.equal(r.kpis.total_tours, 4);
  });

  it('refuses a FAIL forecast instead of solving part of it', async () => {
    await assert.rejects(
      runLocalAudits(`${FORECAST}Fr 25:00-14:00 3 Fahrer\n`, { week: WEEK }),
      (e: unknown) => e instanceof ForecastBlockedError && e.gate.failed_lines[0]!.line === 5,
    );
    await assert.rejects(runLocalAudits(FORECAST, { week: '2025-W53' }), RangeError);
  });

  it('audits an external solver bad plan: Overlap FAIL located on the forecast lines', async () => {
    const r = await runLocalAudits(FORECAST, { week: WEEK, external: node('bad-solver.mjs') });
    assert.equal(r.solver, 'external');
    const overlap = r.audits.find((a) => a.check_name === 'Overlap')!;
    assert.equal(overlap.status, 'FAIL');
    const f = r.findings.filter((x) => x.audit === 'Overlap');
    assert.ok(f.length >= 1);
    assert.ok(f.every((x) => x.driver === 'BAD1' && x.lines.every((l) => l === 2 || l === 3)));
    // The hash is ours and the fake is deterministic: Reproducibility passes.
    assert.equal(r.audits.find((a) => a.check_name === 'Reproducibility')!.status, 'PASS');
  });

  it('passes a correct external plan', async () => {
    const r = await runLocalAudits(FORECAST, { week: WEEK, external: node('good-solver.mjs') });
    assert.deepEqual(
      r.audits.filter((a) => a.status !== 'PASS').map((a) => a.check_name),
      [],
    );
    assert.equal(r.kpis.headcount, 4);
  });

  it('says which step of the external protocol failed', async () => {
    await assert.rejects(
      runLocalAudits(FORECAST, { week: WEEK, external: node('bad-solver.mjs', '--exit', '3') }),
      (e: unknown) =>
        e instanceof ExternalSolverError &&
        e.stage === 'exit' &&
        /code 3: bad-solver: no feasible plan \/ bad-solver: giving up/.test(e.message),
    );
    await assert.rejects(
      runLocalAudits(FORECAST, { week: WEEK, external: node('bad-solver.mjs', '--garbage') }),
      (e: unknown) =>
        e instanceof ExternalSolverError &&
        e.stage === 'output' &&
        /starts "Solving\.\.\. done"/.test(e.message),
    );
    await assert.rejects(
      runLocalAudits(FORECAST, { week: WEEK, external: { command: '/nonexistent/solver' } }),
      (e: unknown) => e instanceof ExternalSolverError && e.stage === 'start',
    );
    await assert.rejects(
      runLocalAudits(FORECAST, {
        week: WEEK,
        external: { command: process.execPath, args: ['-e', 'setTimeout(() => {}, 10000)'], timeoutMs: 200 },
      }),
      (e: unknown) => e instanceof ExternalSolverError && e.stage === 'timeout',
    );
  });

  it('validates the external plan shape', () => {
    assert.throws(() => parseExternalPlan('{"plan": []}', []), /without an "assignments" array/);
    assert.throws(() => parseExternalPlan('{"assignments": [{"tour_id": "T1"}]}', []), /no driver_id/);
    assert.deepEqual(
      parseExternalPlan('{"assignments": [{"driver_id": 7, "tour_id": "T1", "day": 2}]}', []),
      {
        assignments: [{ driver_id: '7', tour_id: 'T1', day: 2 }],
      },
    );
  });
});
