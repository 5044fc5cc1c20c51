// Runbook procedures inside VS Code against the harness' sandbox: every procedure's happy path and
// its failure paths (wrong role, kill switch active, audit gate failing), all answered through the
// commands' arguments. A second sandbox of our own (with fault injection) serves the
// schema-violating answer and is killed in the middle of a fire drill.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/api/schemas';
import type { ProcedureResult } from '../../src/procedures/runner';
import { demoKey, EXTENSION_ID, extensionApi, signInAs, waitFor } from './helpers';

type R = ProcedureResult & Record<string, unknown>;
const exec = (id: string, ...args: unknown[]) => vscode.commands.executeCommand(id, ...args) as Thenable<R>;
const ids = (r: R) => r.steps.map((s) => s.id);

async function runs(): Promise<RunSummary[]> {
  const api = await extensionApi();
  return (await api.connection.requireClient().listRuns({ limit: 100 })).runs;
}

async function ensureEnabled(): Promise<void> {
  const api = await signInAs('platform_admin');
  const client = api.connection.requireClient();
  const s = await client.status();
  if (s.kill_switch_active) {
    await client.killSwitch({
      action: 'enable',
      mode: 'emergency',
      reason: 'procedures suite cleanup',
      rca_ref: 'RCA-E2E',
    });
  }
}

describe('procedures: runbook SP-001..SP-006 as guided commands', function () {
  this.timeout(60_000);

  before(async () => {
    await signInAs('platform_admin');
  });
  after(async () => {
    await ensureEnabled();
  });

  it('registers every procedure command', async () => {
    const api = await extensionApi();
    const all = new Set(await vscode.commands.getCommands(true));
    for (const id of api.procedures.commands) assert.ok(all.has(id), id);
    assert.equal(api.procedures.commands.length, 12);
  });

  it('SP-001 Health Check: verdicts per criterion, a record in the workspace records folder', async () => {
    const r = await exec('solvereign.sp001.healthCheck', {});
    assert.ok(['PASS', 'WARN', 'FAIL'].includes(r.result), r.result);
    assert.deepEqual(ids(r).slice(0, 4), [
      'health-calls',
      'criterion-api',
      'criterion-runs',
      'criterion-incidents',
    ]);
    assert.equal((r.criteria as { id: string; verdict: string }[])[0]?.verdict, 'PASS');
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath as string;
    assert.ok(r.recordPath?.startsWith(path.join(folder, '.solvereign', 'records')), r.recordPath);
    assert.equal(readFileSync(r.recordPath as string, 'utf8'), r.record);
    // Cells are markdown-escaped (an address cannot turn into a link or markup).
    assert.match(r.record, /\| Who \| platform\\@lts\\\.demo \(platform_admin\) \|/);
    assert.match(r.record, /## Server audit events in this window/);
  });

  it('Copy Record as Markdown and Show Procedures', async () => {
    const copied = (await vscode.commands.executeCommand('solvereign.copyLastRecord')) as {
      copied: boolean;
      title: string;
      chars: number;
    };
    assert.equal(copied.copied, true);
    assert.equal(copied.title, 'SP-001 Health Check');
    assert.ok(copied.chars > 100);
    const shown = (await vscode.commands.executeCommand('solvereign.showProcedures', {
      pick: 'SP-001',
      answers: {},
    })) as {
      picked: string;
      result: R;
    };
    assert.equal(shown.picked, 'solvereign.sp001.healthCheck');
    assert.ok(['PASS', 'WARN', 'FAIL'].includes(shown.result.result));
  });

  it('SP-003: wrong role is blocked before the reason is asked', async () => {
    await signInAs('ops_readonly');
    // An unpublished run: a published one is ALREADY_PUBLISHED before any role check.
    const first = (await runs()).find((x) => !x.published);
    const r = await exec('solvereign.sp003.publishRun', first?.run_id, { reason: 'should never be sent' });
    assert.equal(r.result, 'BLOCKED');
    assert.equal(r.code, 'PERMISSION_DENIED');
    assert.ok(!ids(r).includes('reason'));
  });

  it('SP-003: a failing audit gate blocks publish (AUDIT_GATE_FAIL); its lock is NOT_PUBLISHED', async () => {
    await signInAs('dispatcher');
    const failed = (await runs()).find((x) => x.status === 'FAIL') as RunSummary;
    const pub = await exec(
      'solvereign.sp003.publishRun',
      { run: failed },
      { reason: 'publish it anyway please' },
    );
    assert.equal(pub.result, 'BLOCKED');
    assert.equal(pub.code, 'AUDIT_GATE_FAIL');
    assert.match(pub.summary.join('\n'), /Resolution: Fix audit issues first/);
    const r = await exec('solvereign.sp003.lockRun', { run: failed }, { reason: 'lock it anyway please' });
    assert.equal(r.result, 'BLOCKED');
    assert.equal(r.code, 'NOT_PUBLISHED');
  });

  it('SP-003: publishes a PASS run with the reason going into the audit trail; the Runs tree shows it at once', async () => {
    const api = await signInAs('dispatcher');
    await api.sidebar.runs.getChildren();
    const model = await waitFor(
      () => (api.sidebar.runs.model?.loaded ? api.sidebar.runs.model : undefined),
      'runs loaded',
    );
    const all = await runs();
    const target =
      all.find((x) => x.status === 'PASS' && !x.published && !x.locked) ??
      all.find((x) => x.status === 'PASS' && !x.locked);
    assert.ok(target, 'a PASS run that is not locked');
    const r = await exec('solvereign.sp003.publishRun', target.run_id, {
      reason: 'Weekly plan approved (e2e)',
    });
    assert.equal(r.result, 'PUBLISHED', r.summary.join('\n'));
    assert.equal(r.steps.find((s) => s.id === 'verify')?.status, 'ok');
    // The sidebar follows from the server's answer, without waiting for a refresh.
    assert.equal(api.store.history.at(-1)?.kind, 'run');
    assert.equal((api.store.history.at(-1) as { runId?: string }).runId, target.run_id);
    assert.equal(model.runs.find((x) => x.run_id === target.run_id)?.published, true);
  });

  it('SP-005 Fire Drill: PASS with both toggles timed and verified', async () => {
    await signInAs('dispatcher');
    const r = await exec('solvereign.sp005.fireDrill', {});
    assert.equal(r.result, 'PASS', r.summary.join('\n'));
    assert.equal(r.verifiedDisabled, true);
    assert.equal(r.verifiedEnabled, true);
    assert.ok((r.disableMs as number) < 5000 && (r.enableMs as number) < 5000);
    assert.ok(r.drillId, 'recorded on the server');
  });

  it('SP-006: a dispatcher is refused before anything is asked', async () => {
    await signInAs('dispatcher');
    const r = await exec('solvereign.sp006.killSwitch', { reason: 'security incident', confirmSite: 'wien' });
    assert.equal(r.result, 'BLOCKED');
    assert.deepEqual(ids(r), ['role']);
  });

  it('SP-006 kill switch: then SP-003 is FREEZE_ACTIVE, SP-005 is BLOCKED, recovery needs the Platform Lead', async () => {
    const api = await signInAs('ops_lead');
    const kill = await exec('solvereign.sp006.killSwitch', {
      reason: 'e2e: critical bug in lock',
      confirmSite: 'wien',
    });
    assert.equal(kill.result, 'EXECUTED', kill.summary.join('\n'));
    assert.match(String(kill.incidentId), /^INC-\d{8}-[A-Z0-9]{6}$/);
    assert.match(String(kill.notice), /ops@lts-transport\.at/);
    assert.equal((await api.connection.requireClient().status()).kill_switch_active, true);

    await signInAs('dispatcher');
    const unpublished = (await runs()).find(
      (x) => (x.status === 'PASS' || x.status === 'WARN') && !x.published,
    ) as RunSummary;
    const pub = await exec('solvereign.sp003.publishRun', unpublished.run_id, {
      reason: 'publish during freeze',
    });
    assert.equal(pub.code, 'FREEZE_ACTIVE');
    assert.match(
      String(pub.headline),
      /^BLOCKED — FREEZE_ACTIVE: kill switch is on for wien \(emergency, by /,
    );
    assert.match(pub.summary.join('\n'), /Resolution: Ask the Platform Lead/);
    const drill = await exec('solvereign.sp005.fireDrill', {});
    assert.equal(drill.result, 'BLOCKED');

    await signInAs('ops_lead');
    const denied = await exec('solvereign.sp006.recover', {
      rcaRef: 'RCA-E2E-1',
      lessonsLearned: 'we learned a lot here',
    });
    assert.equal(denied.result, 'BLOCKED');

    await signInAs('platform_admin');
    const rec = await exec('solvereign.sp006.recover', {
      rcaRef: 'RCA-E2E-1',
      lessonsLearned: 'Add a regression test for lock',
    });
    assert.equal(rec.result, 'RECOVERED', rec.summary.join('\n'));
    assert.equal(rec.incidentId, kill.incidentId);
    assert.equal(rec.incidentUpdated, true);
  });

  it('SP-002 Investigate: Overlap FAIL -> duplicates, input issue -> message to the ops team', async () => {
    await signInAs('dispatcher');
    const run = (await runs()).find((x) => /Duplicate tours/.test(x.notes ?? '')) as RunSummary;
    const r = await exec('solvereign.sp002.investigateRun', run.run_id, {});
    // Duplicated tours given to one driver break Overlap and often Fatigue/Rest too: overlap must be among them.
    assert.ok((r.symptoms as string[]).includes('overlap'), JSON.stringify(r.symptoms));
    assert.equal(r.classification, 'input');
    assert.equal(r.resolution, 'message');
    assert.ok(Array.isArray(r.duplicates), 'the forecast went through the roster parser in the worker');
    assert.ok(
      (r.duplicates as unknown[]).length > 0,
      'the engine-solved week really has duplicate tour lines',
    );
    assert.match(String(r.message), /ops@lts-transport\.at/);
  });

  it('SP-002 Investigate: hash mismatch -> re-solve with the same seed in a worker', async () => {
    await signInAs('dispatcher');
    const run = (await runs()).find((x) => /Hash mismatch/.test(x.notes ?? '')) as RunSummary;
    const r = await exec('solvereign.sp002.investigateRun', run.run_id, { resolution: 'none' });
    const rs = r.resolve as { same: boolean; first: string };
    assert.equal(rs.same, true);
    assert.match(rs.first, /^sha256:[a-f0-9]{64}$/);
    assert.equal(r.classification, 'solver');
  });

  it('SP-004 KPI Drift: WARN documented with an approval note; baseline update refused for a dispatcher', async () => {
    await signInAs('dispatcher');
    const run = (await runs()).find((x) => x.kpi_drift_status === 'WARN') as RunSummary;
    const r = await exec('solvereign.sp004.driftCheck', run.run_id, {
      decision: 'proceed',
      approvalNote: 'Seasonal peak approved by ops',
    });
    assert.equal(r.driftVerdict, 'WARN');
    assert.equal(r.result, 'WARN_APPROVED');
    const denied = await exec('solvereign.sp004.driftCheck', { decision: 'updateBaseline' });
    assert.equal(denied.result, 'BLOCKED');
    assert.ok(!ids(denied).includes('values'));
  });

  it('routines: Daily Status and Weekly Report as markdown records', async () => {
    await signInAs('ops_readonly');
    const daily = await exec('solvereign.routine.dailyStatus', { sinceHours: 24 * 7 });
    assert.match(daily.record, /## Overnight runs/);
    assert.ok(daily.recordPath && existsSync(daily.recordPath));
    const weekly = await exec('solvereign.routine.weeklyReport', {});
    assert.equal(weekly.result, 'REPORT');
    assert.match(weekly.record, /## Fire drills/);
    assert.ok(
      vscode.workspace.textDocuments.some(
        (d) => d.languageId === 'markdown' && d.getText().includes('# Weekly Report'),
      ),
    );
  });
});

describe('procedures: a sandbox of our own, with fault injection, killed mid-drill', function () {
  this.timeout(90_000);
  let child: ChildProcess | undefined;
  let dir = '';
  let url = '';
  let previousEnvs: unknown;
  let incidentFile = '';
  let incidentsBefore: string | undefined;

  const fault = async (f: Record<string, unknown>) => {
    const r = await fetch(`${url}/__sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(f),
    });
    assert.equal(r.status, 201, await r.text());
  };

  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID) as vscode.Extension<unknown>;
    dir = mkdtempSync(path.join(os.tmpdir(), 'sv-proc-e2e-'));
    child = spawn(
      process.execPath,
      [
        path.join(ext.extensionPath, 'dist', 'sandbox.js'),
        '--port',
        '0',
        '--db',
        path.join(dir, 'db.sqlite'),
        '--reset',
        '--enable-faults',
      ],
      { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`own sandbox did not start: ${out}`)), 30_000);
      const on = (b: Buffer) => {
        out += b.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(t);
          resolve(m[1] as string);
        }
      };
      child?.stdout?.on('data', on);
      child?.stderr?.on('data', on);
    });
    const cfg = vscode.workspace.getConfiguration('solvereign');
    previousEnvs = cfg.inspect('environments')?.globalValue;
    await cfg.update(
      'environments',
      [{ name: 'Drill sandbox', url, tenant: 'lts', site: 'wien' }],
      vscode.ConfigurationTarget.Global,
    );
    const api = await extensionApi();
    await vscode.commands.executeCommand('solvereign.selectEnvironment', 'env-drill-sandbox');
    await vscode.commands.executeCommand('solvereign.signIn', {
      environmentId: 'env-drill-sandbox',
      apiKey: demoKey('dispatcher', 'lts', path.join(dir, 'credentials.json')),
    });
    await waitFor(
      () => api.connection.state === 'ready' && api.connection.active?.id === 'env-drill-sandbox',
      'signed in to the drill sandbox',
    );
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath as string;
    incidentFile = path.join(folder, '.claude', 'state', 'active-incidents.json');
    incidentsBefore = existsSync(incidentFile) ? readFileSync(incidentFile, 'utf8') : undefined;
  });

  after(async () => {
    child?.kill('SIGKILL');
    if (incidentsBefore !== undefined) writeFileSync(incidentFile, incidentsBefore);
    await vscode.workspace
      .getConfiguration('solvereign')
      .update('environments', previousEnvs, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('solvereign.selectEnvironment', 'local-sandbox');
    await signInAs('platform_admin');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a schema-violating answer ends with the failed step and what to do; nothing is lost', async () => {
    // A procedure detects what the server offers on its first run (it reads /status too): do that first.
    await exec('solvereign.sp001.healthCheck', {});
    // The sidebar reads /status too (status bar poll, Sites tree): the fault answers every request
    // until it is cleared, so the procedure's own read surely gets it.
    await fault({
      path_prefix: '/api/v1/platform/dispatcher/status',
      method: 'GET',
      status: 200,
      body: '{"kill_switch_active":"maybe"}',
      times: 1000,
    });
    try {
      const { runs: all } = await (await extensionApi()).connection.requireClient().listRuns({ limit: 30 });
      const run = all.find((x) => !x.published);
      const r = await exec('solvereign.sp003.publishRun', run?.run_id, {
        reason: 'publish with a broken server',
      });
      assert.equal(r.result, 'ERROR');
      assert.equal(r.error?.step, 'Check freeze state (kill switch)');
      assert.match(r.error?.message ?? '', /unexpected answer: field kill_switch_active.*Action:/);
      assert.ok(r.recordPath && existsSync(r.recordPath), 'the record is written anyway');
    } finally {
      await fetch(`${url}/__sandbox/faults`, { method: 'DELETE' });
    }
  });

  it('the server stopped mid-drill: FAIL, an alarm in the status bar, an incident drafted; a retry later recovers', async () => {
    const api = await extensionApi();
    // Slow down both toggles so the server can be stopped between them.
    await fault({
      path_prefix: '/api/v1/platform/dispatcher/kill-switch',
      method: 'POST',
      delay_ms: 700,
      times: 2,
    });
    const pending = exec('solvereign.sp005.fireDrill', { reason: 'Fire drill, server dies' });
    await waitFor(
      async () => {
        const res = await fetch(`${url}/api/v1/platform/dispatcher/status`, {
          headers: {
            Authorization: `Bearer ${demoKey('dispatcher', 'lts', path.join(dir, 'credentials.json'))}`,
            'X-Tenant-Code': 'lts',
            'X-Site-Code': 'wien',
          },
        });
        return ((await res.json()) as { kill_switch_active?: boolean }).kill_switch_active === true;
      },
      'the drill to disable publish/lock',
      20_000,
    );
    child?.kill('SIGKILL');
    const r = await pending;
    assert.equal(r.result, 'FAIL', r.summary.join('\n'));
    assert.equal(r.alarm, true);
    assert.match(api.procedures.alarm() ?? '', /publish\/lock frozen/);
    assert.match(r.summary.join('\n'), /ALARM/);
    assert.ok(r.incidentWhere === 'workspace' || /Incident draft/.test(r.record), 'the incident is drafted');

    // Back on the harness' sandbox (not frozen), the retry verifies the switch and clears the alarm.
    await vscode.commands.executeCommand('solvereign.selectEnvironment', 'local-sandbox');
    await signInAs('dispatcher');
    const retry = await exec('solvereign.sp005.fireDrill', { retryEnable: true });
    assert.equal(retry.result, 'RECOVERED', retry.summary.join('\n'));
    assert.equal(api.procedures.alarm(), undefined);
  });
});
