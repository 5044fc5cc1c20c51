// Runbook procedures against a `--profile live` sandbox (SOLVEREIGN as deployed, started by
// test/e2e/run.mjs): what live does not offer ends "not offered" with a fallback that works, never
// FAIL; the publish gate's answers (REASON_REQUIRED, ALREADY_PUBLISHED, NOT_PUBLISHED) come through;
// the kill switch is switched by the server-side CLI and then verified over HTTP.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/api/schemas';
import type { ProcedureResult } from '../../src/procedures/runner';
import { EXTENSION_ID, extensionApi, waitFor } from './helpers';

type R = ProcedureResult & Record<string, unknown>;
const exec = (id: string, ...args: unknown[]) => vscode.commands.executeCommand(id, ...args) as Thenable<R>;
const step = (r: R, id: string) => r.steps.find((s) => s.id === id);
const text = (r: R) =>
  `${r.result}: ${r.summary.join('\n')}\n${r.steps.map((s) => `${s.id} ${s.status} ${s.detail ?? ''}`).join('\n')}`;
const ENV_ID = 'env-live-procedures';

describe('live profile: runbook procedures', function () {
  this.timeout(60_000);
  const cfg = () => vscode.workspace.getConfiguration('solvereign');

  const signIn = async (role: 'dispatcher' | 'ops_lead') => {
    await vscode.commands.executeCommand('solvereign.signIn', {
      environmentId: ENV_ID,
      email: `${role === 'ops_lead' ? 'opslead' : role}@lts.demo`,
      password: 'solvereign-demo',
      tenantId: 2,
    });
    const api = await extensionApi();
    assert.equal(api.connection.session?.role_name, role, api.connection.describeState());
  };
  const runs = async (): Promise<RunSummary[]> =>
    (await (await extensionApi()).connection.requireClient().listRuns({ limit: 50 })).runs;
  const liveKillSwitch = (flag: '--activate' | '--deactivate') => {
    const data = process.env.SOLVEREIGN_LIVE_SANDBOX_DATA;
    assert.ok(data, 'run.mjs passes the live sandbox data dir');
    const ext = vscode.extensions.getExtension(EXTENSION_ID) as vscode.Extension<unknown>;
    execFileSync(
      process.execPath,
      [
        path.join(ext.extensionPath, 'bin', 'solvereign.js'),
        'sandbox',
        'kill-switch',
        flag,
        '--by',
        'ops@lts.demo',
        '--reason',
        'e2e live kill switch',
        '--data',
        data,
      ],
      { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, stdio: 'pipe' },
    );
  };

  before(async () => {
    const url = process.env.SOLVEREIGN_LIVE_SANDBOX_URL;
    assert.ok(url, 'run the suite through test/e2e/run.mjs (it starts the live-profile sandbox)');
    const api = await extensionApi();
    await cfg().update(
      'environments',
      [{ name: 'Live procedures', url, tenant: 'lts', site: 'wien' }],
      vscode.ConfigurationTarget.Global,
    );
    await waitFor(() => api.connection.environments.some((e) => e.id === ENV_ID), 'the live environment');
    await vscode.commands.executeCommand('solvereign.selectEnvironment', ENV_ID);
    assert.equal(api.connection.state, 'ready', api.connection.describeState());
  });

  after(async () => {
    if (process.env.SOLVEREIGN_LIVE_SANDBOX_DATA) liveKillSwitch('--deactivate');
    await vscode.commands.executeCommand('solvereign.signOut', ENV_ID).then(undefined, () => undefined);
    await cfg().update('environments', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('solvereign.selectEnvironment', 'local-sandbox');
  });

  it('SP-001 ends with a verdict; the incidents criterion is not offered, never FAIL', async () => {
    const r = await exec('solvereign.sp001.healthCheck', {});
    assert.ok(['PASS', 'WARN', 'FAIL'].includes(r.result), text(r));
    const incidents = step(r, 'criterion-incidents');
    assert.ok(incidents, text(r));
    assert.notEqual(incidents.status, 'fail', text(r));
    assert.match(incidents.detail ?? '', /not offered/, text(r));
  });

  it('SP-003 without a session, the approver as arguments: short reason, publish, republish, lock', async () => {
    assert.equal((await extensionApi()).connection.signedIn, false, 'no session: live needs none');
    const as = { approverId: 'dispatcher@lts.demo', approverRole: 'dispatcher' };
    const all = await runs();
    const unpublished = all.filter((x) => x.status === 'PASS' && !x.published && !x.locked);
    assert.ok(unpublished.length >= 2, 'two unpublished PASS runs');
    const [target, other] = unpublished as [RunSummary, RunSummary];
    const short = await exec('solvereign.sp003.publishRun', target.run_id, { reason: 'ok', ...as });
    assert.equal(short.result, 'BLOCKED', text(short));
    assert.equal(short.code, 'REASON_REQUIRED', text(short));
    assert.ok(!short.steps.some((x) => x.id === 'execute'), 'nothing sent');

    const pub = await exec('solvereign.sp003.publishRun', target.run_id, {
      reason: 'Weekly plan approved (live e2e)',
      ...as,
    });
    assert.equal(pub.result, 'PUBLISHED', text(pub));
    assert.equal(step(pub, 'verify')?.status, 'ok', text(pub));

    const again = await exec('solvereign.sp003.publishRun', target.run_id, {
      reason: 'Weekly plan approved (live e2e)',
      ...as,
    });
    assert.equal(again.result, 'ALREADY_PUBLISHED', text(again));

    const lock = await exec('solvereign.sp003.lockRun', other.run_id, {
      reason: 'lock an unpublished run',
      ...as,
    });
    assert.equal(lock.result, 'BLOCKED', text(lock));
    assert.equal(lock.code, 'NOT_PUBLISHED', text(lock));
  });

  it('SP-004 is not offered (drift is 404 on live) and names the kpi_drift skill', async () => {
    const r = await exec('solvereign.sp004.driftCheck', {});
    assert.equal(r.result, 'NOT_OFFERED', text(r));
    assert.equal(step(r, 'capability')?.status, 'skipped', text(r));
    assert.match(text(r), /python -m backend_py\.skills\.kpi_drift/);
  });

  it('SP-005 is not offered', async () => {
    const r = await exec('solvereign.sp005.fireDrill', {});
    assert.equal(r.result, 'NOT_OFFERED', text(r));
  });

  it('SP-006: not run on the server -> NOT_OFFERED with the command; run by the CLI -> verified over HTTP', async () => {
    await signIn('ops_lead');
    const notRun = await exec('solvereign.sp006.killSwitch', {
      reason: 'e2e: critical bug in lock',
      confirmSite: 'wien',
      ranOnServer: false,
    });
    assert.equal(notRun.result, 'NOT_OFFERED', text(notRun));
    assert.match(text(notRun), /not verified as done: run on the server: .*kill-switch --activate/);

    liveKillSwitch('--activate');
    const ran = await exec('solvereign.sp006.killSwitch', {
      reason: 'e2e: critical bug in lock',
      ranOnServer: true,
      confirmSite: 'wien',
    });
    // The operator switched before the procedure read the state: it sees that over HTTP and sends nothing.
    assert.equal(ran.result, 'ALREADY_ACTIVE', text(ran));
    assert.match(step(ran, 'state')?.detail ?? '', /already on .*e2e live kill switch/, text(ran));
    assert.equal((await (await extensionApi()).connection.requireClient().status()).kill_switch_active, true);
  });
});
