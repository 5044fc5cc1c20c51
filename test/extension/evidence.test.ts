// The L3 workspace's evidence file system inside a real VS Code against the harness' sandbox: a
// run's verified evidence pack read as files through vscode.workspace.fs, read-only, with errors
// that say what is missing, and emptied when the user signs out.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as vscode from 'vscode';
import type { SolvereignTestApi } from '../../src/extension';
import { signInAs } from './helpers';

const uri = (path: string) => vscode.Uri.from({ scheme: 'solvereign-evidence', path });
const text = async (path: string) =>
  Buffer.from(await vscode.workspace.fs.readFile(uri(path))).toString('utf8');

describe('L3: evidence packs as read-only files', function () {
  this.timeout(60_000);
  let api: SolvereignTestApi;
  let runId: string;
  let checksums: Record<string, string>;

  before(async () => {
    api = await signInAs('platform_admin');
    const client = api.connection.requireClient();
    const runs = (await client.listRuns({ limit: 50 })).runs;
    const fail = runs.find((r) => r.status === 'FAIL');
    assert.ok(fail, 'the seed has a FAIL run');
    runId = fail.run_id;
    checksums = (await client.evidenceChecksums(runId)).checksums;
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('"Open Evidence" opens the run\'s input forecast from its verified pack', async () => {
    const r = (await vscode.commands.executeCommand('solvereign.openEvidence', runId)) as {
      files: string[];
      opened: string;
      verified: boolean;
      uri: string;
    };
    assert.equal(r.verified, true);
    assert.equal(r.opened, 'input/forecast.txt');
    for (const f of ['manifest.json', 'plan.json', 'audits.json', 'kpis.json', 'input/forecast.txt'])
      assert.ok(r.files.includes(f), `${f} in ${r.files.join(', ')}`);
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri(`/${runId}/input/forecast.txt`).toString());
    assert.ok(editor?.document.getText().length, 'the forecast has text');
  });

  it('lists the pack as folders and files; each file is byte for byte what the checksums list', async () => {
    const root = await vscode.workspace.fs.readDirectory(uri(`/${runId}`));
    assert.deepEqual(
      root.find(([n]) => n === 'input'),
      ['input', vscode.FileType.Directory],
    );
    assert.deepEqual(
      root.find(([n]) => n === 'audits.json'),
      ['audits.json', vscode.FileType.File],
    );
    for (const [name, sum] of Object.entries(checksums)) {
      const bytes = await vscode.workspace.fs.readFile(uri(`/${runId}/${name}`));
      assert.equal(createHash('sha256').update(bytes).digest('hex'), sum.replace(/^sha256:/, ''), name);
    }
    const audits = JSON.parse(await text(`/${runId}/audits.json`)) as { audit_results: { status: string }[] };
    assert.ok(
      audits.audit_results.some((a) => a.status === 'FAIL'),
      'the FAIL run has a failed audit',
    );
    const stat = await vscode.workspace.fs.stat(uri(`/${runId}/plan.json`));
    assert.equal(stat.type, vscode.FileType.File);
    assert.ok(stat.size > 0);
  });

  it('is read-only, and a missing file or run says what is there / what failed', async () => {
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.writeFile(uri(`/${runId}/plan.json`), new Uint8Array([1]))),
      /read-only|NoPermissions|permission/i,
    );
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.readFile(uri(`/${runId}/nothing.json`))),
      /has no nothing\.json.*manifest\.json/,
    );
    await assert.rejects(
      Promise.resolve(vscode.workspace.fs.readFile(uri('/RUN-19990101-999/plan.json'))),
      /could not be loaded/,
    );
  });

  it('the cache holds the run once and is emptied on sign-out', async () => {
    assert.ok(
      api.evidence
        .cache()
        .list()
        .some((e) => e.runId === runId),
    );
    await vscode.commands.executeCommand('solvereign.signOut');
    assert.equal(api.evidence.cache().list().length, 0);
    await signInAs('platform_admin');
  });
});
