// The extension against a `--profile live` sandbox (SOLVEREIGN as deployed, started by
// test/e2e/run.mjs): it connects without signing in (the cockpit takes no credentials), shows the
// Sites and Runs trees — an UNKNOWN drift run among them — offers sign-in, and signs in by session
// with live's integer tenant id; an API key is kept without a /me call live refuses.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SolvereignTestApi } from '../../src/extension';
import type { RunsNode } from '../../src/views/runs/runsProvider';
import type { SitesNode } from '../../src/views/sites/sitesProvider';
import { demoKey, extensionApi, waitFor } from './helpers';

const exec = <T>(command: string, ...args: unknown[]) => vscode.commands.executeCommand<T>(command, ...args);
const ENV_ID = 'env-live-cockpit';

describe('live profile: connected without signing in, then by session', function () {
  this.timeout(60_000);
  let api: SolvereignTestApi;
  const cfg = () => vscode.workspace.getConfiguration('solvereign');
  const runRows = async () =>
    (await api.sidebar.runs.getChildren()).filter((n): n is RunsNode & { kind: 'run' } => n.kind === 'run');

  before(async () => {
    const url = process.env.SOLVEREIGN_LIVE_SANDBOX_URL;
    assert.ok(url, 'run the suite through test/e2e/run.mjs (it starts the live-profile sandbox)');
    api = await extensionApi();
    await cfg().update(
      'environments',
      [{ name: 'Live cockpit', url, tenant: 'lts', site: 'wien' }],
      vscode.ConfigurationTarget.Global,
    );
    await waitFor(() => api.connection.environments.some((e) => e.id === ENV_ID), 'the live environment');
    await api.connection.refresh();
  });

  after(async () => {
    if (!api) return;
    await exec('solvereign.signOut', ENV_ID).then(undefined, () => undefined);
    await cfg().update('environments', undefined, vscode.ConfigurationTarget.Global);
    await exec('solvereign.selectEnvironment', 'local-sandbox');
  });

  it('connects with no credentials: trees show, sign-in is still offered', async () => {
    await exec('solvereign.selectEnvironment', ENV_ID);
    assert.equal(api.connection.state, 'ready', api.connection.describeState());
    assert.equal(api.connection.signedIn, false);
    assert.match(api.connection.describeState(), /without signing in/);
    await waitFor(async () => (await runRows()).length > 0, 'runs of lts/wien');
    const rows = await runRows();
    assert.ok(
      rows.some((r) => r.run.kpi_drift_status === 'UNKNOWN'),
      'the UNKNOWN-drift run is listed',
    );
    const env = (await api.sidebar.sites.getChildren()).find(
      (n): n is SitesNode & { kind: 'environment' } => n.kind === 'environment' && n.env.id === ENV_ID,
    );
    assert.ok(env);
    const tenants = await api.sidebar.sites.getChildren(env);
    assert.ok(
      tenants.some((n) => n.kind === 'tenant'),
      'tenant/site rows, not a sign-in message',
    );
    const server = tenants.find((n) => n.kind === 'fact');
    assert.ok(server, 'a row with the server capabilities');
    const item = api.sidebar.sites.getTreeItem(server);
    assert.match(String(item.description), /^live cockpit · kill switch: by CLI on the server/);
    assert.match(String(item.tooltip), /the kill switch over HTTP: instead: python backend_py/);
  });

  it('the Runs tree knows from the capabilities that live does not page with offset, before page two', async () => {
    await waitFor(() => api.sidebar.runs.model?.mode === 'limit', 'limit paging from the capabilities');
    const model = api.sidebar.runs.model!;
    assert.equal(model.total, undefined, "live's total (the page size) is not shown as the site's total");
    assert.match(model.pagingNote ?? '', /newest runs/);
  });

  it('an API key is kept without a /api/auth/me call (live refuses keys there)', async () => {
    await exec('solvereign.signIn', { environmentId: ENV_ID, apiKey: demoKey('dispatcher') });
    assert.equal(api.connection.state, 'ready', api.connection.describeState());
    assert.equal(api.connection.signedIn, true);
    await exec('solvereign.signOut', ENV_ID);
    assert.equal(api.connection.state, 'ready', 'still connected without signing in');
    assert.equal(api.connection.signedIn, false);
  });

  it('signs in by session with the integer tenant id; /me is read without a success field', async () => {
    const result = await exec<{ email?: string; role?: string }>('solvereign.signIn', {
      environmentId: ENV_ID,
      email: 'dispatcher@lts.demo',
      password: 'solvereign-demo',
      tenantId: 2,
    });
    assert.equal(result?.email, 'dispatcher@lts.demo');
    assert.equal(api.connection.signedIn, true);
    assert.equal(api.connection.session?.role_name, 'dispatcher');
    await waitFor(async () => (await runRows()).length > 0, 'runs after sign-in');
  });
});
