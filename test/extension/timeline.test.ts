// The roster timeline inside a real VS Code against the harness' sandbox: Show Roster Timeline opens a
// run's plan in the reports host, its webview draws a virtualised grid (and says what it drew), a
// tour's link opens its forecast line, the finding's quick fix opens it, a run without a plan is an
// error state, and a live pack (no input forecast) is drawn from the plan alone.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { buildTimeline } from '../../src/evidence/timeline';
import type { SolvereignTestApi } from '../../src/extension';
import type { PanelInfo } from '../../src/webviews';
import { findingActions, overlapFailRun, signInAs, useLiveCockpit, waitFor } from './helpers';

type Rendered = NonNullable<NonNullable<PanelInfo['rendered']>['timeline']>;

describe('roster timeline: Show Roster Timeline', function () {
  this.timeout(90_000);
  let api: SolvereignTestApi;
  let runId: string;

  const rendered = (panelId: string) =>
    waitFor(
      () => api.reports.panel(panelId)?.rendered?.timeline,
      `the timeline of ${panelId} to render`,
      30_000,
    );

  before(async () => {
    api = await signInAs('platform_admin');
    runId = await overlapFailRun(api);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it("opens a FAIL run's plan beside the editor; the webview draws only the rows in view of every driver", async () => {
    const r = (await vscode.commands.executeCommand('solvereign.showTimeline', runId)) as PanelInfo;
    assert.equal(r.state, 'ready', r.error);
    assert.equal(r.panelId, `timeline:${runId}`);
    assert.equal(r.kind, 'timeline');
    const s = r.summary as {
      drivers: number;
      rows: number;
      tours: number;
      violations: number;
      timed: boolean;
    };
    assert.equal(s.timed, true);
    assert.ok(s.drivers > 100, `a Wien-size plan: ${s.drivers} drivers`);
    assert.ok(s.violations > 0, 'an Overlap FAIL run has violations');
    const seen: Rendered = await rendered(r.panelId);
    assert.equal(seen.total, s.rows, 'every row of the plan is in the grid');
    assert.equal(seen.rows, s.rows, 'no filter at the start');
    assert.ok(seen.domRows > 0, 'rows are drawn');
    assert.ok(seen.domRows < s.rows, `virtualised: ${seen.domRows} of ${s.rows} rows in the DOM`);
    assert.ok(seen.bars >= seen.domRows, `bars ${seen.bars}`);
    assert.equal(typeof seen.firstPaintMs, 'number');
  });

  it("a tour's link opens the run's input forecast at that tour's line", async () => {
    const ev = await api.evidence.cache().get(api.evidence.source(), runId);
    const b = buildTimeline(ev);
    const tour = b.drivers.flatMap((d) => d.tours).find((t) => t.v?.length && t.line)!;
    assert.ok(tour, 'a tour with a violation and an input line');
    const after = await api.reports.simulateWebviewMessage(`timeline:${runId}`, {
      type: 'action',
      action: { type: 'openSource', runId, line: tour.line },
    });
    assert.equal(after?.lastAction?.error, undefined);
    const result = after?.lastAction?.result as { line: number; file: string };
    assert.equal(result.line, tour.line);
    const editor = await waitFor(
      () => vscode.window.visibleTextEditors.find((e) => e.selection.start.line === tour.line! - 1),
      'an editor at the tour line',
    );
    // The line holds the tour's start time (HH:MM of its first part).
    const start = tour.parts![0]![0] % 1440;
    const hhmm = `${String(Math.floor(start / 60)).padStart(2, '0')}:${String(start % 60).padStart(2, '0')}`;
    assert.ok(
      editor.document.lineAt(tour.line! - 1).text.includes(hhmm),
      editor.document.lineAt(tour.line! - 1).text,
    );
  });

  it('the "Show in Timeline" quick fix on a finding opens the timeline of its run', async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    const actions = await findingActions(runId);
    const show = actions.find((a) => a.title === `Show in Timeline (${runId})`);
    assert.ok(show?.command, actions.map((a) => a.title).join(' | '));
    const r = (await vscode.commands.executeCommand(
      show.command.command,
      ...(show.command.arguments ?? []),
    )) as PanelInfo;
    assert.equal(r.panelId, `timeline:${runId}`);
    assert.equal(r.state, 'ready', r.error);
  });

  it('a run without a plan (ERROR) shows the error state with the reason', async () => {
    const runs = (await api.connection.requireClient().listRuns({ limit: 50 })).runs;
    const error = runs.find((r) => r.status === 'ERROR');
    assert.ok(error, 'the seed has an ERROR run');
    const r = (await api.reports.open('timeline', error.run_id)) as PanelInfo;
    assert.equal(r.state, 'error');
    assert.match(r.error ?? '', new RegExp(`^${error.run_id} has no plan in its evidence`));
  });
});

describe('roster timeline against live SOLVEREIGN as deployed (--profile live): tours from the plan only', function () {
  this.timeout(60_000);
  const live = useLiveCockpit();

  it("draws a live FAIL run's plan without times and says the pack has no input forecast", async () => {
    const { api, fail } = await live();
    const r = (await vscode.commands.executeCommand('solvereign.showTimeline', { run: fail })) as PanelInfo;
    assert.equal(r.state, 'ready', r.error);
    const s = r.summary as { timed: boolean; drivers: number; tours: number };
    assert.equal(s.timed, false);
    assert.ok(s.drivers > 0 && s.tours > 0, JSON.stringify(s));
    const seen = await waitFor(() => api.reports.panel(r.panelId)?.rendered?.timeline, 'the live timeline');
    assert.ok(seen.bars > 0, 'tours are drawn on their days');
    // The report's notice (what the panel shows above the grid) travels into the export too.
    const dir = mkdtempSync(path.join(os.tmpdir(), 'solvereign-timeline-'));
    try {
      const out = await api.reports.exportReport({
        panelId: r.panelId,
        format: 'markdown',
        path: path.join(dir, 't.md'),
      });
      const md = readFileSync(out!.path, 'utf8');
      assert.match(md, /Tours from the plan only\.\*\* This evidence pack holds no input forecast/);
      assert.match(md, /\| Driver \| Tours \| Hours \| Week \| Violations \|/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
