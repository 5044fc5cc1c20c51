// The L3 workspace inside a real VS Code against the harness' sandbox: an opened run's audit findings in
// the Problems panel (input lines and the plan summary, code actions, cleared when the run's tabs
// close) and the "SOLVEREIGN audits" test controller (workspace forecasts and opened runs, the
// built-in engine and an external solver command, a FAIL forecast refused).
import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import type { SolvereignTestApi } from '../../src/extension';
import { EXTENSION_ID, overlapFailRun, signInAs, useLiveCockpit, waitFor } from './helpers';

const evidence = (p: string) => vscode.Uri.from({ scheme: 'solvereign-evidence', path: p });
const ours = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source?.startsWith('SOLVEREIGN '));

describe('L3: audit findings in the editor and audits as tests', function () {
  this.timeout(90_000);
  let api: SolvereignTestApi;
  let runId: string;
  let folder: vscode.Uri;
  const fixture = (name: string) =>
    path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test', 'fixtures', 'l3', name);
  const settings = () => vscode.workspace.getConfiguration('solvereign');

  before(async () => {
    api = await signInAs('platform_admin');
    runId = await overlapFailRun(api);
    folder = vscode.workspace.workspaceFolders![0]!.uri;
  });

  after(async () => {
    await settings().update('l3.externalSolver.command', undefined, vscode.ConfigurationTarget.Global);
    await settings().update('l3.externalSolver.args', undefined, vscode.ConfigurationTarget.Global);
    for (const f of ['l3-bad.forecast', 'l3-invalid.forecast'])
      await Promise.resolve(vscode.workspace.fs.delete(vscode.Uri.joinPath(folder, f))).catch(
        () => undefined,
      );
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Open Evidence" puts every finding on its input line, with the audit, the runbook code and the other tours', async () => {
    const r = (await vscode.commands.executeCommand('solvereign.openEvidence', runId)) as {
      diagnostics: number;
      inputLines: boolean;
      files: string[];
    };
    assert.equal(r.inputLines, true);
    assert.ok(r.diagnostics > 0, 'a FAIL run has findings');
    assert.ok(r.files.includes('plan-summary.txt'), r.files.join(', '));
    const forecast = evidence(`/${runId}/input/forecast.txt`);
    const diags = await waitFor(
      () => {
        const d = ours(forecast);
        return d.length ? d : undefined;
      },
      `findings on the input forecast (shown: ${JSON.stringify(api.l3.shownRuns())}; all: ${JSON.stringify(
        vscode.languages
          .getDiagnostics()
          .map(([u, d]) => [u.toString(), d.map((x) => `${x.source}|${x.code}|${x.message.slice(0, 40)}`)]),
      )})`,
    );
    const errors = diags.filter((d) => d.severity === vscode.DiagnosticSeverity.Error);
    assert.ok(errors.length, 'FAIL audits are errors');
    const doc = await vscode.workspace.openTextDocument(forecast);
    for (const d of errors) {
      assert.match(
        d.source!,
        /^SOLVEREIGN (Coverage|Overlap|Rest|SpanRegular|SpanSplit|Fatigue|Reproducibility)$/,
      );
      assert.match(String(d.code), /^ERR_(AUDIT_00[12]|LOCK_002)$/);
      // The range covers a tour line of the input, not a comment.
      const line = doc.lineAt(d.range.start.line).text;
      assert.ok(line.trim() && !line.trim().startsWith('#'), `a tour line: "${line}"`);
    }
    const withOthers = errors.find((d) =>
      d.relatedInformation?.some((i) => /^Also involved: T\d+/.test(i.message)),
    );
    assert.ok(withOthers, 'an overlap names the other tour as related information');
    const plan = evidence(`/${runId}/plan-summary.txt`);
    const planText = Buffer.from(await vscode.workspace.fs.readFile(plan)).toString('utf8');
    assert.match(planText, new RegExp(`^# Plan of ${runId} · week \\d{4}-W\\d{2} · \\d+ drivers`));
    const onPlan = ours(plan);
    assert.ok(onPlan.length, 'findings on the plan summary too');
    const planDoc = await vscode.workspace.openTextDocument(plan);
    const seg = onPlan.find((d) => d.range.start.line > 1)!;
    assert.match(planDoc.getText(seg.range), /^(Mo|Di|Mi|Do|Fr|Sa|So) \d\d:\d\d-\d\d:\d\d/);
  });

  it('offers the report, SP-002 and a local reproduction as code actions on a finding', async () => {
    const forecast = evidence(`/${runId}/input/forecast.txt`);
    const d = ours(forecast)[0]!;
    const actions = (await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      forecast,
      d.range,
    )) as vscode.CodeAction[];
    const titles = actions.map((a) => a.title);
    for (const want of ['Open Audit Report', 'Investigate (SP-002)', 'Reproduce Run Locally'])
      assert.ok(titles.includes(`${want} (${runId})`), `${want} in ${titles.join(' | ')}`);
    const report = actions.find((a) => a.title.startsWith('Open Audit Report'))!;
    assert.deepEqual(report.command?.arguments, [runId]);
  });

  it("clears the run's findings once none of its tabs is open", async () => {
    assert.ok(api.l3.shownRuns().some((r) => r.runId === runId));
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await waitFor(
      () => (ours(evidence(`/${runId}/input/forecast.txt`)).length === 0 ? true : undefined),
      'the findings to go',
    );
    assert.equal(ours(evidence(`/${runId}/plan-summary.txt`)).length, 0);
    assert.ok(!api.l3.shownRuns().some((r) => r.runId === runId));
  });

  it('lists the workspace forecasts and the opened run with the seven audits each', async () => {
    await api.l3.runAudits(['nothing']);
    const items = api.l3.testItems();
    const week = items.find((i) => i.id.endsWith('week.forecast'));
    assert.ok(week, items.map((i) => i.id).join(', '));
    assert.deepEqual(week.children, [
      'Coverage',
      'Overlap',
      'Rest',
      'SpanRegular',
      'SpanSplit',
      'Fatigue',
      'Reproducibility',
    ]);
    assert.ok(
      items.some((i) => i.id === `run:${runId}`),
      'the run opened above',
    );
  });

  it('runs a workspace forecast with the built-in engine: all seven pass', async () => {
    const id = api.l3.testItems().find((i) => i.id.endsWith('week.forecast'))!.id;
    const [o] = await api.l3.runAudits([id]);
    assert.equal(o!.solver, 'built-in');
    assert.deepEqual(
      o!.audits.map((a) => a.state),
      Array(7).fill('passed'),
    );
  });

  it('runs an external solver from the user settings: its bad plan fails Overlap on the forecast lines', async () => {
    const file = vscode.Uri.joinPath(folder, 'l3-bad.forecast');
    await vscode.workspace.fs.writeFile(
      file,
      Buffer.from(
        '# Week: 2026-W03\nMo 06:00-14:00 2 Fahrer Depot Nord\nMo 15:00-20:00 Depot Süd\nDi 06:00-14:00\n',
      ),
    );
    await settings().update('l3.externalSolver.command', process.execPath, vscode.ConfigurationTarget.Global);
    await settings().update(
      'l3.externalSolver.args',
      [fixture('bad-solver.mjs')],
      vscode.ConfigurationTarget.Global,
    );
    const id = `forecast:${file.toString()}`;
    await waitFor(async () => {
      await api.l3.runAudits(['nothing']);
      return api.l3.testItems().some((i) => i.id === id) ? true : undefined;
    }, 'the new forecast as a test item');
    const [o] = await api.l3.runAudits([id]);
    assert.equal(o!.solver, 'external');
    assert.equal(o!.week, '2026-W03');
    const overlap = o!.audits.find((a) => a.name === 'Overlap')!;
    assert.equal(overlap.state, 'failed');
    assert.ok(overlap.messages >= 1);
    assert.equal(o!.audits.find((a) => a.name === 'Coverage')!.state, 'passed');
    await settings().update('l3.externalSolver.command', undefined, vscode.ConfigurationTarget.Global);
    const [again] = await api.l3.runAudits([id]);
    assert.equal(again!.solver, 'built-in');
    assert.equal(again!.audits.find((a) => a.name === 'Overlap')!.state, 'passed');
  });

  it('refuses a FAIL forecast: every audit errors with the failing line', async () => {
    const file = vscode.Uri.joinPath(folder, 'l3-invalid.forecast');
    await vscode.workspace.fs.writeFile(file, Buffer.from('Mo 06:00-14:00\nFr 25:00-14:00 3 Fahrer\n'));
    const id = `forecast:${file.toString()}`;
    await waitFor(async () => {
      await api.l3.runAudits(['nothing']);
      return api.l3.testItems().some((i) => i.id === id) ? true : undefined;
    }, 'the new forecast as a test item');
    const [o] = await api.l3.runAudits([id]);
    assert.match(o!.error ?? '', /line 2/);
    assert.deepEqual(
      o!.audits.map((a) => a.state),
      Array(7).fill('errored'),
    );
  });

  it('"Reproduce Run Locally" solves the run\'s input here and audits it', async () => {
    const o = (await vscode.commands.executeCommand('solvereign.reproduceRunLocally', runId)) as {
      item: string;
      week?: string;
      solver?: string;
      audits: { name: string; state: string }[];
      note?: string;
    };
    assert.equal(o.item, `run:${runId}`);
    assert.match(o.week ?? '', /^\d{4}-W\d{2}$/);
    assert.equal(o.solver, 'built-in');
    assert.equal(o.audits.length, 7);
    assert.ok(o.audits.every((a) => a.state === 'passed' || a.state === 'failed'));
    // The run's duplicates were merged by a legacy importer; the built-in engine keeps them apart,
    // so the Overlap FAIL does not come back, and the outcome says so instead of a silent green.
    assert.equal(o.audits.find((a) => a.name === 'Overlap')!.state, 'passed');
    assert.match(o.note ?? '', /^Does not reproduce here: the run FAILed .*Overlap/);
  });
});

describe('L3 against live SOLVEREIGN as deployed (--profile live): packs without input', function () {
  this.timeout(60_000);
  const live = useLiveCockpit();

  it('opens the plan summary, verified, with the findings on it and a note that input lines are not available', async () => {
    const { fail } = await live();
    const r = (await vscode.commands.executeCommand('solvereign.openEvidence', fail.run_id)) as {
      opened: string;
      verified: boolean;
      inputLines: boolean;
      diagnostics: number;
      note?: string;
      files: string[];
    };
    assert.equal(r.verified, true);
    assert.equal(r.opened, 'plan-summary.txt');
    assert.equal(r.inputLines, false);
    assert.match(r.note ?? '', /no input forecast/);
    assert.ok(r.files.includes('audit_results.json'), r.files.join(', '));
    assert.ok(r.diagnostics > 1);
    const plan = evidence(`/${fail.run_id}/plan-summary.txt`);
    const d = vscode.languages.getDiagnostics(plan);
    assert.ok(
      d.some(
        (x) =>
          x.severity === vscode.DiagnosticSeverity.Information &&
          /Input lines are not available/.test(x.message),
      ),
    );
    assert.ok(
      d.some((x) => x.severity === vscode.DiagnosticSeverity.Error && /^SOLVEREIGN /.test(x.source ?? '')),
    );
  });
});
