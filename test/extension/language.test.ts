import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, extensionApi, signInAs, waitFor } from './helpers';

const hoverText = (hovers: vscode.Hover[]) =>
  hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
    .join('\n');

describe('language features: forecast and SOLVEREIGN logs', () => {
  before(async () => {
    await extensionApi();
  });

  it('a forecast shows its diagnostics (exact range) and hovers a tour', async function () {
    this.timeout(60_000); // the first forecast starts the language server
    const doc = await vscode.workspace.openTextDocument({
      language: 'solvereign-forecast',
      content: 'Monday 06:00-14:00\nDi 06:00-10:00 + 14:00-18:00 2 Fahrer\n',
    });
    await vscode.window.showTextDocument(doc);
    const diags = await waitFor(
      () => {
        const d = vscode.languages.getDiagnostics(doc.uri).filter((x) => x.code === 'MISSING_DAY');
        return d.length ? d : undefined;
      },
      'MISSING_DAY diagnostic',
      20_000,
    );
    assert.equal(diags[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.deepEqual(
      [diags[0]!.range.start.line, diags[0]!.range.start.character, diags[0]!.range.end.character],
      [0, 0, 6],
    );
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      doc.uri,
      new vscode.Position(1, 4),
    );
    const text = hoverText(hovers);
    assert.match(text, /split break of 4 h not counted/);
    assert.match(text, /Canonical: `Di 06:00-10:00 \+ 14:00-18:00 2 Fahrer`/);
  });

  it('*.forecast files open as forecasts and "Check" returns the summary', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'week.forecast'));
    assert.equal(doc.languageId, 'solvereign-forecast');
    const summary = await vscode.commands.executeCommand<{ verdict: string; tours: number; failed: number }>(
      'solvereign.forecast.check',
      doc.uri,
    );
    assert.equal(summary?.verdict, 'PASS');
    assert.equal(summary?.tours, 72);
    assert.equal(summary?.failed, 0);
  });

  it('"Solve in sandbox" solves the forecast through the signed-in API client', async function () {
    this.timeout(120_000);
    await signInAs('dispatcher');
    const folder = vscode.workspace.workspaceFolders![0]!;
    const result = await vscode.commands.executeCommand<{ runId?: string; summary?: { tours: number } }>(
      'solvereign.forecast.solve',
      vscode.Uri.joinPath(folder.uri, 'week.forecast'),
    );
    assert.match(result?.runId ?? '', /^RUN-/);
    assert.equal(result?.summary?.tours, 72);
  });

  it('api.log opens as a SOLVEREIGN log with runbook diagnostics and a run link', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-log-'));
    const file = path.join(dir, 'api.log');
    writeFileSync(
      file,
      '2026-01-13T06:01:02Z ERROR [api] run_id=RUN-20260113-001 ERR_DB_001 connection refused\n',
    );
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    assert.equal(doc.languageId, 'solvereign-log');
    const diag = await waitFor(
      () => vscode.languages.getDiagnostics(doc.uri).find((d) => d.code === 'ERR_DB_001'),
      'ERR_DB_001 diagnostic',
      20_000,
    );
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Error);
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
      'vscode.executeLinkProvider',
      doc.uri,
    );
    assert.ok(
      links.some((l) => l.target?.toString(true).startsWith('command:solvereign.revealRun')),
      JSON.stringify(links.map((l) => l.target?.toString())),
    );
  });

  it('a log above 50 MB (never synced to extensions) still gets its diagnostics, read by the server', async function () {
    this.timeout(120_000);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-biglog-'));
    const file = path.join(dir, 'solver.log');
    const filler = `2026-01-13T06:00:00Z INFO  [solver] run_id=RUN-20260113-001 progress ${'x'.repeat(60)}\n`;
    const lines = Math.ceil((50 * 1024 * 1024 + 1) / filler.length);
    writeFileSync(
      file,
      `${filler.repeat(lines)}2026-01-13T07:00:00Z ERROR [solver] ERR_SOLVE_002 no feasible solution\n`,
    );
    const uri = vscode.Uri.file(file);
    await vscode.commands.executeCommand('vscode.open', uri);
    assert.ok(
      !vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString()),
      'VS Code synced it',
    );
    const diag = await waitFor(
      () => vscode.languages.getDiagnostics(uri).find((d) => d.code === 'ERR_SOLVE_002'),
      'ERR_SOLVE_002 in the large log',
      90_000,
    );
    assert.equal(diag.range.start.line, lines);
    assert.equal(diag.severity, vscode.DiagnosticSeverity.Warning);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});

describe('language client lifecycle: a server that fails', () => {
  const OVERRIDE = 'SOLVEREIGN_LANGUAGE_SERVER_MODULE';
  const fixture = (name: string) =>
    path.join(vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath, 'test/fixtures/language', name);
  type RestartResult = { ok: boolean; error?: string };
  const restart = () => vscode.commands.executeCommand<RestartResult>('solvereign.restartLanguageServer');

  after(async () => {
    // The real server back for whatever runs next.
    delete process.env[OVERRIDE];
    assert.deepEqual(await restart(), { ok: true });
  });

  it('a server that exits at once: said once (Show Log, Restart), nothing retried; Restart brings the real one back', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const shown = api.language.failuresShown.length;
    process.env[OVERRIDE] = fixture('exit-at-once.js');
    const failed = await restart();
    assert.equal(failed.ok, false);
    assert.match(failed.error ?? '', /could not start \(its process ended during start-up\)/);
    assert.equal(api.language.state().state, 'failed');
    assert.equal(api.language.failuresShown.length, shown + 1);
    assert.match(api.language.failuresShown.at(-1)!, /^SOLVEREIGN language features are off: /);

    // Another forecast neither starts it again nor repeats the message; the command says why it is off.
    const doc = await vscode.workspace.openTextDocument({
      language: 'solvereign-forecast',
      content: 'Mo 06:00-14:00\n',
    });
    const check = await vscode.commands.executeCommand<RestartResult>('solvereign.forecast.check', doc.uri);
    assert.equal(check?.ok, false);
    assert.match(check?.error ?? '', /ended during start-up/);
    assert.equal(api.language.state().state, 'failed');
    assert.equal(api.language.failuresShown.length, shown + 1);

    delete process.env[OVERRIDE];
    assert.deepEqual(await restart(), { ok: true });
    assert.equal(api.language.state().state, 'running');
    const summary = await vscode.commands.executeCommand<{ verdict?: string }>(
      'solvereign.forecast.check',
      doc.uri,
    );
    assert.ok(summary?.verdict, 'the restarted server answers');
  });

  it('a server that keeps dying after start is restarted 4 times, then left off with one message', async function () {
    this.timeout(60_000);
    const api = await extensionApi();
    const shown = api.language.failuresShown.length;
    process.env[OVERRIDE] = fixture('exit-after-start.js');
    assert.deepEqual(await restart(), { ok: true });
    await waitFor(() => api.language.state().state === 'failed', 'the client to give up', 45_000);
    assert.match(api.language.state().reason ?? '', /stopped 5 times in 3 minutes and is not restarted/);
    assert.equal(api.language.failuresShown.length, shown + 1);
  });
});
