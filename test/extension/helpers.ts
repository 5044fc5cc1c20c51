// Shared helpers for the extension-host suites: the extension's test handles, signing in to the sandbox the
// harness started (SOLVEREIGN_SANDBOX_URL) with its demo accounts, waiting for a condition.
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunSummary } from '../../src/api/schemas';
import type { SolvereignExports, SolvereignTestApi } from '../../src/extension';
import type { Role } from '../../src/shared/runbook';

export const EXTENSION_ID = 'solvereign.solvereign-ops';

/** The handles the extension exports only when it runs in test mode (extensionTestsPath set). */
export async function extensionApi(): Promise<SolvereignTestApi> {
  const ext = vscode.extensions.getExtension<SolvereignExports>(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed`);
  const exported = await ext.activate();
  if (!exported) throw new Error('the extension did not return its API (activation failed?)');
  if (!exported.test)
    throw new Error('the extension exported no test handles: it is not in ExtensionMode.Test');
  return exported.test;
}

/** The sandbox URL the harness started, or fails the test with a clear reason. */
export function sandboxUrl(): string {
  const url = process.env.SOLVEREIGN_SANDBOX_URL;
  if (!url) throw new Error('SOLVEREIGN_SANDBOX_URL is not set: run the suite through test/e2e/run.mjs');
  return url;
}

/** A demo key from a sandbox's credentials file (the harness's by default; the keys are random per sandbox). */
export function demoKey(
  role: Role,
  tenant = 'lts',
  file = process.env.SOLVEREIGN_SANDBOX_CREDENTIALS,
): string {
  if (!file)
    throw new Error('SOLVEREIGN_SANDBOX_CREDENTIALS is not set: run the suite through test/e2e/run.mjs');
  const creds = JSON.parse(readFileSync(file, 'utf8')) as {
    tenant?: string;
    keys?: Record<string, string>;
    tenants?: Record<string, Record<string, string>>;
  };
  const key = creds.tenants?.[tenant]?.[role] ?? (creds.tenant === tenant ? creds.keys?.[role] : undefined);
  if (!key) throw new Error(`no demo key for ${tenant}/${role} in ${file}`);
  return key;
}

/** Signs in to the local-sandbox environment through the real command, as a user would. */
export async function signInAs(role: Role = 'platform_admin', tenant = 'lts'): Promise<SolvereignTestApi> {
  sandboxUrl();
  const api = await extensionApi();
  await vscode.commands.executeCommand('solvereign.selectEnvironment', 'local-sandbox');
  await vscode.commands.executeCommand('solvereign.signIn', {
    environmentId: 'local-sandbox',
    apiKey: demoKey(role, tenant),
  });
  if (api.connection.state !== 'ready') throw new Error(`sign-in failed: ${api.connection.describeState()}`);
  return api;
}

export async function waitFor<T>(
  fn: () => T | Promise<T>,
  what: string,
  timeoutMs = 10_000,
): Promise<NonNullable<T>> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < end) {
    try {
      const v = await fn();
      if (v) return v as NonNullable<T>;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
}

const LIVE_COCKPIT_ID = 'env-live-cockpit';

/**
 * Signs in to the local sandbox, then switches to the live-profile sandbox the harness started
 * (SOLVEREIGN_LIVE_SANDBOX_URL), connected as live's cockpit is: without signing in.
 */
export async function connectLiveCockpit(): Promise<SolvereignTestApi> {
  const url = process.env.SOLVEREIGN_LIVE_SANDBOX_URL;
  if (!url) throw new Error('run the suite through test/e2e/run.mjs (it starts the live-profile sandbox)');
  const api = await signInAs('platform_admin');
  await vscode.workspace
    .getConfiguration('solvereign')
    .update(
      'environments',
      [{ name: 'Live cockpit', url, tenant: 'lts', site: 'wien' }],
      vscode.ConfigurationTarget.Global,
    );
  await waitFor(
    () => api.connection.environments.some((e) => e.id === LIVE_COCKPIT_ID),
    'the live environment',
  );
  await vscode.commands.executeCommand('solvereign.selectEnvironment', LIVE_COCKPIT_ID);
  if (api.connection.state !== 'ready') throw new Error(`live cockpit: ${api.connection.describeState()}`);
  return api;
}

/** Closes the editors, forgets the live cockpit and goes back to the local sandbox. */
export async function leaveLiveCockpit(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.workspace
    .getConfiguration('solvereign')
    .update('environments', undefined, vscode.ConfigurationTarget.Global);
  await vscode.commands.executeCommand('solvereign.selectEnvironment', 'local-sandbox');
}

/**
 * For a suite against live's cockpit: connects before its tests and leaves after them. Returns the
 * test handles and live's first FAIL run (once connected).
 */
export function useLiveCockpit(): () => Promise<{ api: SolvereignTestApi; fail: RunSummary }> {
  let api: SolvereignTestApi | undefined;
  before(async () => {
    api = await connectLiveCockpit();
  });
  after(leaveLiveCockpit);
  return async () => {
    if (!api) throw new Error('not connected to the live cockpit');
    const runs = (await api.connection.requireClient().listRuns({ limit: 50 })).runs;
    const fail = runs.find((r) => r.status === 'FAIL');
    if (!fail) throw new Error('live lists no FAIL run');
    return { api, fail };
  };
}

/** The seeded week with duplicate tours in its upload: its Overlap audit FAILs on named drivers and tours. */
export async function overlapFailRun(api: SolvereignTestApi): Promise<string> {
  const runs = (await api.connection.requireClient().listRuns({ limit: 50 })).runs;
  for (const r of runs.filter((x) => x.status === 'FAIL')) {
    const ev = await api.evidence.cache().get(api.evidence.source(), r.run_id);
    if (ev.audits?.some((a) => a.check_name === 'Overlap' && a.status === 'FAIL')) return r.run_id;
  }
  throw new Error('the seed has no FAIL run with an Overlap FAIL');
}

/** Opens a run's evidence and returns the code actions offered on the first finding on its input. */
export async function findingActions(runId: string): Promise<vscode.CodeAction[]> {
  await vscode.commands.executeCommand('solvereign.openEvidence', runId);
  const forecast = vscode.Uri.from({ scheme: 'solvereign-evidence', path: `/${runId}/input/forecast.txt` });
  const d = await waitFor(
    () => vscode.languages.getDiagnostics(forecast).find((x) => x.source?.startsWith('SOLVEREIGN ')),
    'a finding on the input',
  );
  return (await vscode.commands.executeCommand(
    'vscode.executeCodeActionProvider',
    forecast,
    d.range,
  )) as vscode.CodeAction[];
}
