// Compare Runs inside a real VS Code against the harness' sandboxes: the seeded ERROR week's run with
// its re-run (no plan on one side: the inputs only), a run with the previous week's (inputs and plan
// summaries), two runs as the Runs view passes a selection, clear errors; and live's packs without
// input (the plan summaries only). Each opens native diffs of the evidence files and the report.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/api/schemas';
import type { SolvereignTestApi } from '../../src/extension';
import { shiftIsoWeek } from '../../src/shared/isoWeek';
import type { PanelInfo } from '../../src/webviews';
import { connectLiveCockpit, findingActions, leaveLiveCockpit, signInAs, waitFor } from './helpers';

interface CompareResult {
  older: string;
  newer: string;
  why?: string;
  diffs: { what: string; title: string; left: string; right: string }[];
  skipped: string[];
  report: PanelInfo;
}

interface CompareSummary {
  diffs: string[];
  skipped: string[];
  changedKpis: string[];
  changedAudits: string[];
  audits: number;
  tables: number;
  rows: number;
}

const evidence = (runId: string, file: string) =>
  vscode.Uri.from({ scheme: 'solvereign-evidence', path: `/${runId}/${file}` }).toString();

/** The diff editors open in any group: [label, original, modified]. */
function diffTabs(): [string, string, string][] {
  return vscode.window.tabGroups.all.flatMap((g) =>
    g.tabs.flatMap((t): [string, string, string][] =>
      t.input instanceof vscode.TabInputTextDiff
        ? [[t.label, t.input.original.toString(), t.input.modified.toString()]]
        : [],
    ),
  );
}

async function compare(api: SolvereignTestApi, ...args: unknown[]) {
  const r = (await vscode.commands.executeCommand('solvereign.compareRuns', ...args)) as
    | CompareResult
    | { error: string };
  assert.ok(!('error' in r), 'error' in r ? r.error : '');
  const report = r.report;
  assert.equal(report.kind, 'compare');
  assert.equal(report.state, 'ready', report.error);
  // The report the webview drew: its tables and rows are the ones the document has.
  const seen = await waitFor(
    () => api.reports.panel(report.panelId)?.rendered,
    `the webview of ${report.panelId} to render`,
    20_000,
  );
  return { r, summary: report.summary as unknown as CompareSummary, seen };
}

describe('Compare runs: diffs of the evidence and the report side by side', function () {
  this.timeout(90_000);
  let api: SolvereignTestApi;
  let runs: RunSummary[];

  before(async () => {
    api = await signInAs('platform_admin');
    runs = (await api.connection.requireClient().listRuns({ limit: 100 })).runs;
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("compares the ERROR week's re-run with the run that failed: the inputs only, and what the ERROR run has", async () => {
    const error = runs.find((r) => r.status === 'ERROR');
    const rerun = runs.find((r) => r.notes === 'Re-run after solver timeout');
    assert.ok(error && rerun, 'the seed has an ERROR run and its re-run');
    const { r, summary, seen } = await compare(api, rerun.run_id, { useDefault: true });
    // The default pair: the ERROR run is the run before the re-run (same week, or the previous one
    // when the re-run was seeded across a week boundary).
    assert.equal(r.older, error.run_id);
    assert.equal(r.newer, rerun.run_id);
    assert.match(r.why ?? '', /^Default: /);
    assert.deepEqual(
      r.diffs.map((d) => d.what),
      ['input'],
    );
    assert.match(
      r.skipped.join('\n'),
      new RegExp(`^${error.run_id} has no plan: its pack holds .*error\\.json`),
    );
    const tabs = await waitFor(() => (diffTabs().length ? diffTabs() : undefined), 'the diff tab');
    assert.deepEqual(tabs, [
      [
        `${error.run_id} ↔ ${rerun.run_id}: input`,
        evidence(error.run_id, 'input/forecast.txt'),
        evidence(rerun.run_id, 'input/forecast.txt'),
      ],
    ]);
    // The ERROR run has no audit results: all seven differ ("not run" → the re-run's status).
    assert.equal(summary.audits, 7);
    assert.equal(summary.changedAudits.length, 7);
    assert.equal(seen.tables, summary.tables);
    assert.equal(seen.tables, 3);
    assert.equal(seen.rows, summary.rows);
  });

  it("compares a run with the previous week's latest run: inputs and plan summaries, and the report's counts", async () => {
    const run = runs.find((r) => /^Headcount above baseline/.test(r.notes ?? ''));
    assert.ok(run, 'the seed has the WARN headcount run');
    const prevWeek = shiftIsoWeek(run.week_id, -1);
    const expected = runs
      .filter((r) => r.week_id === prevWeek)
      .sort((a, b) => b.timestamp.localeCompare(a.timestamp))[0];
    assert.ok(expected, `a run of ${prevWeek}`);
    const { r, summary, seen } = await compare(api, { run }, { useDefault: true });
    assert.equal(r.older, expected.run_id);
    assert.equal(r.newer, run.run_id);
    assert.equal(r.why, `Default: the latest run of the previous week ${prevWeek}`);
    const tabs = await waitFor(() => (diffTabs().length === 2 ? diffTabs() : undefined), 'two diff tabs');
    assert.deepEqual(
      tabs.sort((a, b) => a[0].localeCompare(b[0])),
      [
        [
          `${expected.run_id} ↔ ${run.run_id}: input`,
          evidence(expected.run_id, 'input/forecast.txt'),
          evidence(run.run_id, 'input/forecast.txt'),
        ],
        [
          `${expected.run_id} ↔ ${run.run_id}: plan summary`,
          evidence(expected.run_id, 'plan-summary.txt'),
          evidence(run.run_id, 'plan-summary.txt'),
        ],
      ],
    );
    assert.deepEqual(summary.diffs, ['input', 'plan summary']);
    assert.deepEqual(summary.skipped, []);
    // The seeded WARN week has more tours than the week before: its headcount differs.
    assert.ok(summary.changedKpis.includes('headcount'), summary.changedKpis.join(', '));
    assert.equal(seen.tables, 3);
    assert.equal(seen.rows, summary.rows);
    assert.ok(seen.rows >= 7 + 9, `identity, KPI and seven audit rows: ${seen.rows}`);
  });

  it('compares two runs selected in the Runs view, the earlier one left whatever the order', async () => {
    const [a, b] = runs.filter((r) => r.status === 'PASS');
    assert.ok(a && b);
    const { r } = await compare(api, { kind: 'run', run: a }, [
      { kind: 'run', run: a },
      { kind: 'run', run: b },
    ]);
    const [older, newer] = a.timestamp < b.timestamp ? [a, b] : [b, a];
    assert.equal(r.older, older.run_id);
    assert.equal(r.newer, newer.run_id);
    assert.equal(r.why, undefined, 'a chosen pair needs no reason');
    assert.equal(r.report.panelId, `compare:${newer.run_id}:${older.run_id}`);
  });

  it('offers "Compare with Previous Run" as a quick fix on a finding', async () => {
    // The seeded week with duplicate tours: its Overlap findings sit on input lines.
    const fail = runs.find((r) => r.status === 'FAIL' && /Duplicate tours/.test(r.notes ?? ''))!;
    const actions = await findingActions(fail.run_id);
    const compareAction = actions.find((a) => a.title === `Compare with Previous Run (${fail.run_id})`);
    assert.ok(compareAction, actions.map((a) => a.title).join(' | '));
    assert.equal(compareAction.command?.command, 'solvereign.compareRuns');
    assert.deepEqual(compareAction.command?.arguments, [fail.run_id]);
  });

  it('says what to do for a run that does not exist and for more than two selected runs', async () => {
    const missing = (await vscode.commands.executeCommand('solvereign.compareRuns', 'RUN-19990101-001', {
      useDefault: true,
    })) as { error: string };
    assert.match(missing.error, /^Run RUN-19990101-001 was not found on lts\/wien\. .*Runs view/);
    const three = runs.slice(0, 3).map((run) => ({ kind: 'run', run }));
    const tooMany = (await vscode.commands.executeCommand(
      'solvereign.compareSelectedRuns',
      three[0],
      three,
    )) as { error: string };
    assert.equal(tooMany.error, 'Select two runs to compare (3 are selected).');
    assert.deepEqual(diffTabs(), []);
  });
});

describe('Compare runs against live SOLVEREIGN as deployed (--profile live): packs without input', function () {
  this.timeout(60_000);
  let api: SolvereignTestApi;

  before(async () => {
    api = await connectLiveCockpit();
  });

  after(leaveLiveCockpit);

  it('diffs the plan summaries only and says the packs hold no input', async () => {
    const runs = (await api.connection.requireClient().listRuns({ limit: 50 })).runs;
    // A run whose previous week has a run: the default pair needs no picker.
    const run = runs.find((r) => runs.some((x) => x.week_id === shiftIsoWeek(r.week_id, -1)));
    assert.ok(run, 'live lists two consecutive weeks');
    const { r, summary, seen } = await compare(api, run.run_id, { useDefault: true });
    assert.deepEqual(
      r.diffs.map((d) => d.what),
      ['plan summary'],
    );
    assert.match(
      r.skipped[0] ?? '',
      /^Neither evidence pack holds an input forecast \(live SOLVEREIGN packs/,
    );
    const tabs = await waitFor(() => (diffTabs().length ? diffTabs() : undefined), 'the diff tab');
    assert.deepEqual(tabs, [
      [
        `${r.older} ↔ ${r.newer}: plan summary`,
        evidence(r.older, 'plan-summary.txt'),
        evidence(r.newer, 'plan-summary.txt'),
      ],
    ]);
    assert.deepEqual(summary.diffs, ['plan summary']);
    assert.equal(seen.rows, summary.rows);
  });
});
