// Report webviews (issue 6) inside a real VS Code against the harness' sandbox: the commands open
// panels whose webview renders the report, links open the forecast/evidence, export writes files.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunDetail, RunSummary } from '../../src/api/schemas';
import type { SolvereignTestApi } from '../../src/extension';
import type { PanelInfo } from '../../src/webviews';
import { signInAs, waitFor } from './helpers';

describe('reports: audit, drift and fire-drill webviews', function () {
  this.timeout(60_000);
  let api: SolvereignTestApi;
  let runs: RunSummary[];
  let failing: RunDetail;
  let tmp: string;

  before(async () => {
    api = await signInAs('platform_admin');
    const client = api.connection.requireClient();
    runs = (await client.listRuns({ limit: 50 })).runs;
    // A run with a failed check that names drivers and tours (the seed's duplicate-tour upload).
    const candidates = runs.filter((r) => r.status === 'FAIL');
    let found: RunDetail | undefined;
    for (const r of candidates) {
      const d = await client.getRun(r.run_id);
      if (d.audit_results.some((a) => a.status === 'FAIL' && a.violation_count > 0)) {
        found = d;
        break;
      }
    }
    assert.ok(found, `no FAIL run with violations among ${candidates.map((r) => r.run_id).join(', ')}`);
    failing = found;
    tmp = mkdtempSync(path.join(os.tmpdir(), 'solvereign-reports-'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const rendered = (id: string) =>
    waitFor(() => api.reports.panel(id)?.rendered, `the webview of ${id} to render`, 20_000);

  it('opens the audit report beside the editor for a tree node {run} and the webview renders it', async () => {
    const summary = runs.find((r) => r.run_id === failing.run_id)!;
    const r = (await vscode.commands.executeCommand('solvereign.openAuditReport', {
      run: summary,
    })) as PanelInfo;
    assert.equal(r.panelId, `audit:${failing.run_id}`);
    assert.equal(r.state, 'ready', r.error);
    assert.equal(r.title, `Audit ${failing.run_id}`);
    const s = r.summary as {
      status: string;
      checks: { name: string }[];
      violations: number;
      previousRunId?: string;
    };
    assert.equal(s.status, 'FAIL');
    assert.equal(s.checks.length, 7);
    assert.ok(s.violations > 0);
    assert.ok(s.previousRunId, 'no previous-week run to compare with');
    const seen = await rendered(r.panelId);
    // checks, violations, KPIs and checksums tables; 7 check rows + violations + KPI rows + files.
    assert.ok(seen.tables >= 4, `tables ${seen.tables}`);
    assert.ok(seen.rows >= 7 + s.violations, `rows ${seen.rows}`);
  });

  it('ignores a message that breaks the protocol', async () => {
    const id = `audit:${failing.run_id}`;
    const before = api.reports.panel(id)!;
    const after = await api.reports.simulateWebviewMessage(id, { type: 'eval', code: 'alert(1)' });
    assert.equal(after?.state, 'ready');
    assert.deepEqual(after?.summary, before.summary);
  });

  it('a violation link opens the evidence file at the violation', async () => {
    const id = `audit:${failing.run_id}`;
    const check = failing.audit_results.find((a) => a.status === 'FAIL' && a.violation_count > 0)!;
    const message = (check.details as { violations: { message: string }[] }).violations[0]!.message;
    const info = await api.reports.simulateWebviewMessage(id, {
      type: 'action',
      action: { type: 'openSource', runId: failing.run_id, file: 'audits.json', search: message },
    });
    assert.equal(info?.lastAction?.error, undefined);
    const result = info?.lastAction?.result as { file: string; line: number };
    assert.equal(result.file, 'audits.json');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no editor opened');
    assert.equal(editor.selection.active.line, result.line - 1);
    assert.ok(
      editor.document.lineAt(result.line - 1).text.includes(JSON.stringify(message).slice(1, -1)),
      editor.document.lineAt(result.line - 1).text,
    );
  });

  it("a forecast line opens the run's input forecast at that line", async () => {
    const r = await api.reports.openSource(failing.run_id, { line: 3 });
    assert.equal(r.line, 3);
    assert.equal(r.file, 'input/forecast.txt');
    const editor = vscode.window.activeTextEditor!;
    assert.equal(editor.document.uri.toString(), r.uri);
    assert.equal(editor.selection.active.line, 2);
    if (r.source === 'evidence') {
      assert.equal(editor.document.isUntitled, true);
      const langs = await vscode.languages.getLanguages();
      if (langs.includes('solvereign-forecast'))
        assert.equal(editor.document.languageId, 'solvereign-forecast');
    }
    const zip = await api.connection.requireClient().evidenceChecksums(failing.run_id);
    assert.ok(zip.checksums['input/forecast.txt'], 'the checksums list the forecast it opened');
  });

  it('exports the open report to markdown and HTML at the given paths', async () => {
    const id = `audit:${failing.run_id}`;
    const mdPath = path.join(tmp, 'audit.md');
    const md = (await vscode.commands.executeCommand('solvereign.exportReport', {
      panelId: id,
      path: mdPath,
    })) as {
      path: string;
      format: string;
      bytes: number;
    };
    assert.equal(md.format, 'markdown');
    const text = readFileSync(mdPath, 'utf8');
    assert.equal(Buffer.byteLength(text), md.bytes);
    assert.match(text, new RegExp(`^# Audit report ${failing.run_id} — FAIL$`, 'm'));
    assert.match(text, /^\| Check \| Status \| Violations \| Message \|$/m);
    assert.match(text, /^\| Coverage \| (PASS|FAIL|WARN) \| \d+ \|/m);
    const htmlPath = path.join(tmp, 'audit.html');
    const html = (await vscode.commands.executeCommand('solvereign.exportReport', id, {
      path: htmlPath,
    })) as {
      format: string;
    };
    assert.equal(html.format, 'html');
    const page = readFileSync(htmlPath, 'utf8');
    assert.match(page, /<table id="checks"><caption>/);
    assert.ok(!/<script/i.test(page));
  });

  it('opens the drift report with the runbook verdict, the detector and a trend chart', async () => {
    const r = (await vscode.commands.executeCommand('solvereign.openDriftReport', failing.run_id, {
      trend: 6,
    })) as PanelInfo;
    assert.equal(r.state, 'ready', r.error);
    assert.equal(r.panelId, `drift:${failing.run_id}`);
    const s = r.summary as { verdict: string; level?: string; trendRuns: string[]; metrics: unknown[] };
    assert.match(s.verdict, /^(OK|WARN|BLOCK)$/);
    assert.ok(s.level, 'the sandbox reports a detector level');
    assert.ok(s.trendRuns.length >= 2 && s.trendRuns.length <= 6, `trend ${s.trendRuns.length}`);
    assert.equal(s.trendRuns[s.trendRuns.length - 1], failing.run_id);
    assert.ok(s.metrics.length >= 3);
    const seen = await rendered(r.panelId);
    assert.equal(seen.charts, 3);
  });

  it('opens the drift report of the latest run without asking', async () => {
    const r = (await vscode.commands.executeCommand('solvereign.openDriftReport', undefined, {
      latest: true,
    })) as PanelInfo;
    assert.equal(r.panelId, 'drift:latest');
    assert.equal(r.state, 'ready', r.error);
  });

  it('opens the fire-drill history', async () => {
    const r = (await vscode.commands.executeCommand('solvereign.openFireDrillHistory')) as PanelInfo;
    assert.equal(r.state, 'ready', r.error);
    assert.equal(r.kind, 'fireDrills');
    const s = r.summary as { drills: number; failed: number };
    assert.ok(s.drills >= 1, 'the sandbox seeds fire drills');
    const seen = await rendered(r.panelId);
    assert.ok(seen.rows >= s.drills);
  });

  it('uses the answer instead of the quick pick when no run is given', async () => {
    const other = runs.find((r) => r.status === 'PASS')!;
    const r = (await vscode.commands.executeCommand('solvereign.openAuditReport', undefined, {
      pick: other.run_id,
    })) as PanelInfo;
    assert.equal(r.runId, other.run_id);
    assert.equal((r.summary as { status: string }).status, 'PASS');
  });

  it('shows an error state with Retry, not a crash, for a run the server does not know', async () => {
    const r = (await vscode.commands.executeCommand(
      'solvereign.openAuditReport',
      'RUN-19990101-999',
    )) as PanelInfo;
    assert.equal(r.state, 'error');
    assert.match(r.error ?? '', /not found|404/i);
    assert.ok(!/\n\s+at /.test(r.error ?? ''), 'a stack trace reached the user');
    const again = await api.reports.simulateWebviewMessage(r.panelId, { type: 'retry' });
    assert.equal(again?.state, 'error');
  });

  it('SP-002 investigation panel: the BLOCKED run from its tree node shows its uncovered tours with forecast lines first', async () => {
    const blocked = runs.find((r) => r.status === 'BLOCKED');
    assert.ok(blocked, `no BLOCKED run among ${runs.map((r) => `${r.run_id} ${r.status}`).join(', ')}`);
    const r = (await vscode.commands.executeCommand('solvereign.sp002.openInvestigation', {
      run: blocked,
    })) as PanelInfo;
    assert.equal(r.panelId, `investigation:${blocked.run_id}`);
    assert.equal(r.state, 'ready', r.error);
    const s = r.summary as { status: string; symptoms: string[]; uncovered: string[]; recommended: string };
    assert.equal(s.status, 'BLOCKED');
    assert.equal(s.symptoms[0], 'coverage', `symptoms ${s.symptoms.join(', ')}`);
    assert.ok(s.uncovered.length > 0, 'no uncovered tours');
    for (const u of s.uncovered) assert.match(u, /^T-?\d+ \(So, forecast lines? \d+/, u);
    const seen = await rendered(r.panelId);
    assert.ok(seen.rows >= s.uncovered.length, `rows ${seen.rows}`);
  });

  it('lists every open report panel', () => {
    const ids = api.reports.panels().map((p) => p.panelId);
    for (const want of [`audit:${failing.run_id}`, `drift:${failing.run_id}`, 'drift:latest']) {
      assert.ok(ids.includes(want), `${want} not in ${ids.join(', ')}`);
    }
    assert.ok(ids.some((i) => i.startsWith('fireDrills:')));
    assert.ok(ids.some((i) => i.startsWith('investigation:')));
  });
});
