import assert from 'node:assert/strict';
import { SolvereignApiError } from '../../../src/api/errors';
import type { RunDetail } from '../../../src/api/schemas';
import {
  type ComparableRun,
  comparePack,
  compareRunsArgs,
  comparisonCandidates,
  comparisonDiffs,
  defaultComparison,
  describePair,
  inTimeOrder,
  loadComparison,
} from '../../../src/evidence/compare';
import { EvidenceMismatchError, readRunEvidence } from '../../../src/evidence/runEvidence';
import { buildEvidence } from '../../../src/sandbox/evidence';
import { run as runDetail } from '../reports/fixtures';

const r = (run_id: string, week_id: string, timestamp: string, status = 'PASS', site_code = 'wien') => ({
  run_id,
  week_id,
  timestamp,
  status,
  tenant_code: 'lts',
  site_code,
});

// Week 2026-W03: an ERROR run and its re-run two hours later; two runs of W02; one of W01; a run of
// another site in W02 (never offered).
const ERROR = r('RUN-20260112-001', '2026-W03', '2026-01-12T06:00:00Z', 'ERROR');
const RERUN = r('RUN-20260112-002', '2026-W03', '2026-01-12T08:00:00Z');
const W02_LATE = r('RUN-20260107-001', '2026-W02', '2026-01-07T06:00:00Z', 'WARN');
const W02_EARLY = r('RUN-20260105-001', '2026-W02', '2026-01-05T06:00:00Z');
const W01 = r('RUN-20251229-001', '2026-W01', '2025-12-29T06:00:00Z');
const GRAZ = r('RUN-20260108-001', '2026-W02', '2026-01-08T06:00:00Z', 'PASS', 'graz');
const RUNS = [RERUN, ERROR, W02_LATE, GRAZ, W02_EARLY, W01];
const ids = (c: { run: ComparableRun }[]) => c.map((x) => x.run.run_id);

describe('compare runs: the default pair and the picker', () => {
  it('a re-run is compared with the earlier run of its week by default', () => {
    const c = comparisonCandidates(RUNS, RERUN);
    assert.equal(c[0]!.run.run_id, ERROR.run_id);
    assert.equal(c[0]!.isDefault, true);
    assert.equal(c[0]!.relation, 'rerun');
    assert.match(
      c[0]!.why,
      /^Default: an earlier run of the same week 2026-W03 \(RUN-20260112-002 re-ran it\)$/,
    );
    // Then the previous week newest first, then the rest; never another site, never itself.
    assert.deepEqual(ids(c), [ERROR.run_id, W02_LATE.run_id, W02_EARLY.run_id, W01.run_id]);
    assert.equal(c.filter((x) => x.isDefault).length, 1);
  });

  it('a run without an earlier run of its week is compared with the latest run of the previous ISO week', () => {
    const c = comparisonCandidates(RUNS, ERROR);
    assert.equal(c[0]!.run.run_id, W02_LATE.run_id);
    assert.equal(c[0]!.relation, 'previousWeek');
    assert.match(c[0]!.why, /^Default: the latest run of the previous week 2026-W02$/);
    // Its later re-run is offered right after the default.
    assert.equal(c[1]!.run.run_id, RERUN.run_id);
    assert.equal(c[1]!.relation, 'laterRun');
    assert.match(c[1]!.why, /later run of the same week 2026-W03/);
    assert.equal(defaultComparison(RUNS, ERROR).candidate?.run.run_id, W02_LATE.run_id);
  });

  it('finds the previous ISO week across a year with 53 weeks', () => {
    const jan = r('RUN-20210104-001', '2021-W01', '2021-01-04T06:00:00Z');
    const w53 = r('RUN-20201228-001', '2020-W53', '2020-12-28T06:00:00Z');
    const w52 = r('RUN-20201221-001', '2020-W52', '2020-12-21T06:00:00Z');
    const d = defaultComparison([jan, w52, w53], jan);
    assert.equal(d.candidate?.run.run_id, w53.run_id);
    assert.equal(d.candidate?.relation, 'previousWeek');
  });

  it('without a default, says which weeks it looked for and still offers the other runs', () => {
    const d = defaultComparison(RUNS, W01);
    assert.equal(d.candidate, undefined);
    assert.match(d.note ?? '', /No earlier run of 2026-W01 and no run of 2025-W52 among the 6 runs listed/);
    const c = comparisonCandidates(RUNS, W01);
    assert.ok(c.length > 0 && c.every((x) => !x.isDefault && x.relation === 'other'));
    assert.equal(c[0]!.run.run_id, RERUN.run_id, 'newest first');
  });

  it('orders a pair by time and says how the two runs relate', () => {
    assert.deepEqual(
      inTimeOrder(RERUN, ERROR).map((x) => x.run_id),
      [ERROR.run_id, RERUN.run_id],
    );
    assert.deepEqual(
      inTimeOrder(W01, W02_EARLY).map((x) => x.run_id),
      [W01.run_id, W02_EARLY.run_id],
    );
    assert.match(describePair(ERROR, RERUN), /^Both runs are of week 2026-W03: RUN-20260112-002 re-ran it/);
    assert.equal(describePair(W02_LATE, ERROR), 'Consecutive weeks: 2026-W02 → 2026-W03.');
    assert.equal(describePair(W01, ERROR), 'Weeks 2026-W01 → 2026-W03 (2 weeks apart).');
  });
});

describe('compare runs: the command arguments', () => {
  const node = (x: ComparableRun) => ({ kind: 'run', run: x });

  it('takes a run id or a Runs-tree node, a second run, and the answers last', () => {
    assert.deepEqual(compareRunsArgs([]), { answers: {} });
    assert.deepEqual(compareRunsArgs([node(RERUN)]), { runId: RERUN.run_id, answers: {} });
    assert.deepEqual(compareRunsArgs([RERUN.run_id, ERROR.run_id, { focus: true }]), {
      runId: RERUN.run_id,
      otherRunId: ERROR.run_id,
      answers: { focus: true },
    });
    assert.deepEqual(compareRunsArgs([RERUN.run_id, { useDefault: true }]), {
      runId: RERUN.run_id,
      answers: { useDefault: true },
    });
  });

  it('two selected rows of the Runs view are the pair; one is the clicked run; more is an error', () => {
    assert.deepEqual(compareRunsArgs([node(RERUN), [node(RERUN), node(W01)]]), {
      runId: RERUN.run_id,
      otherRunId: W01.run_id,
      answers: {},
    });
    assert.deepEqual(compareRunsArgs([node(RERUN), [node(RERUN)]]), { runId: RERUN.run_id, answers: {} });
    const three = compareRunsArgs([node(RERUN), [node(RERUN), node(W01), node(ERROR)]]);
    assert.match(three.error ?? '', /Select two runs to compare \(3 are selected\)/);
  });
});

const pack = (runId: string, over: Partial<Parameters<typeof buildEvidence>[0]> = {}) => {
  const p = buildEvidence({
    run_id: runId,
    tenant_code: 'lts',
    site_code: 'wien',
    week_id: '2026-W03',
    created_at: '2026-01-12T06:00:00Z',
    forecast: '# Week: 2026-W03\nMo 06:00-14:00\n\nDi 06:00-14:00 2 Fahrer\n',
    plan: {
      assignments: [
        { driver_id: 'D001', tour_id: 'T0001' },
        { driver_id: 'D001', tour_id: 'T0002' },
        { driver_id: 'D002', tour_id: 'T0003' },
      ],
    },
    audits: [],
    kpis: { headcount: 2, coverage_percent: 100, fte_ratio: 0, pt_ratio: 1, runtime_seconds: 0.01 },
    input_hash: 'sha256:a',
    config_hash: 'sha256:b',
    output_hash: 'sha256:c',
    seed: 94,
    status: 'AUDITED',
    ...over,
  });
  return readRunEvidence(runId, 's', p.zip, p.sha256, p.checksums);
};

describe('compare runs: what the packs hold and which diffs they allow', () => {
  it('a full pack: its input with the tour lines, its plan summary with drivers and assignments', () => {
    const p = comparePack(pack('RUN-A'));
    assert.deepEqual(p.input, { file: 'input/forecast.txt', tourLines: 2 });
    assert.deepEqual(p.plan, { file: 'plan-summary.txt', drivers: 2, assignments: 3 });
    assert.equal(p.error, undefined);
    assert.ok(p.files.includes('plan.json') && p.files.includes('input/forecast.txt'), p.files.join());
  });

  it('two full packs: the inputs and the plan summaries, the earlier run left', () => {
    const { diffs, skipped } = comparisonDiffs(comparePack(pack('RUN-A')), comparePack(pack('RUN-B')));
    assert.deepEqual(
      diffs.map((d) => [d.what, d.title, d.left, d.right]),
      [
        [
          'input',
          'RUN-A ↔ RUN-B: input',
          { runId: 'RUN-A', file: 'input/forecast.txt' },
          { runId: 'RUN-B', file: 'input/forecast.txt' },
        ],
        [
          'plan summary',
          'RUN-A ↔ RUN-B: plan summary',
          { runId: 'RUN-A', file: 'plan-summary.txt' },
          { runId: 'RUN-B', file: 'plan-summary.txt' },
        ],
      ],
    );
    assert.deepEqual(skipped, []);
  });

  it('an ERROR run without a plan: the inputs only, and what its pack holds instead', () => {
    const err = comparePack(
      pack('RUN-ERR', {
        plan: null,
        output_hash: null,
        error: { error_code: 'ERR_SOLVE_001', message: 'Solver time limit reached' },
      }),
    );
    assert.equal(err.plan, undefined);
    assert.deepEqual(err.error, { code: 'ERR_SOLVE_001', message: 'Solver time limit reached' });
    const { diffs, skipped } = comparisonDiffs(err, comparePack(pack('RUN-B')));
    assert.deepEqual(
      diffs.map((d) => d.what),
      ['input'],
    );
    assert.equal(skipped.length, 1);
    assert.equal(skipped[0]!.what, 'plan summary');
    assert.match(
      skipped[0]!.reason,
      /^RUN-ERR has no plan: its pack holds .*error\.json.*input\/forecast\.txt/,
    );
    assert.match(skipped[0]!.reason, /error\.json says ERR_SOLVE_001: Solver time limit reached\./);
  });

  it("a pack without input (live's): the plan summaries only, and the report says why", () => {
    const live = comparePack({ ...pack('RUN-LIVE'), forecast: undefined });
    assert.equal(live.input, undefined);
    const { diffs, skipped } = comparisonDiffs(comparePack(pack('RUN-A')), live);
    assert.deepEqual(
      diffs.map((d) => d.what),
      ['plan summary'],
    );
    assert.match(skipped[0]!.reason, /^The evidence pack of RUN-LIVE holds no input forecast \(live/);
    const neither = comparisonDiffs(live, { ...live, runId: 'RUN-LIVE-2' });
    assert.match(neither.skipped[0]!.reason, /^Neither evidence pack holds an input forecast \(live/);
  });
});

describe('compare runs: loading the pair', () => {
  const detail = (id: string, timestamp: string) => runDetail({ run_id: id, timestamp });
  const client = (runs: RunDetail[]) => ({
    tenant: 'lts',
    site: 'wien',
    async getRun(id: string) {
      const found = runs.find((x) => x.run_id === id);
      if (!found) throw new SolvereignApiError({ kind: 'http', endpoint: 'GET /runs/{run_id}', status: 404 });
      return found;
    },
  });
  const A = detail('RUN-A', '2026-01-12T06:00:00Z');
  const B = detail('RUN-B', '2026-01-19T06:00:00Z');

  it('orders the runs by time and reads both packs', async () => {
    const c = await loadComparison(client([A, B]), 'RUN-B', 'RUN-A', async (id) => pack(id));
    assert.equal(c.older.run_id, 'RUN-A');
    assert.equal(c.newer.run_id, 'RUN-B');
    assert.equal((c.packs.older as { runId: string }).runId, 'RUN-A');
  });

  it('a run the server does not have is an error that says what to do', async () => {
    await assert.rejects(
      loadComparison(client([A]), 'RUN-A', 'RUN-NOPE', async (id) => pack(id)),
      /^Error: Run RUN-NOPE was not found on lts\/wien\. Check the run id, or pick the run in the Runs view/,
    );
    await assert.rejects(
      loadComparison(client([A]), 'RUN-A', 'RUN-A', async (id) => pack(id)),
      /two different runs: RUN-A was given twice/,
    );
  });

  it('a pack that fails verification is a problem that says not to trust it and what to do', async () => {
    const c = await loadComparison(client([A, B]), 'RUN-A', 'RUN-B', async (id) => {
      if (id === 'RUN-B') throw new EvidenceMismatchError('RUN-B', ['plan.json: sha256 differs']);
      return pack(id);
    });
    assert.ok('runId' in c.packs.older);
    const problem = (c.packs.newer as { problem: string }).problem;
    assert.match(problem, /^The evidence pack of RUN-B failed verification: plan\.json: sha256 differs\./);
    assert.match(problem, /cannot be trusted\. Try again .* escalate to L3 with the run id/);
  });
});
