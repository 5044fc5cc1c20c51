// Credentials live only in SecretStorage: after signing in with an API key or a password, the secret
// is in SecretStorage and in none of the settings, globalState or the extension's log.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { demoKey, extensionApi, signInAs, waitFor } from './helpers';

const ENV = 'local-sandbox';

async function readLog(): Promise<string> {
  const api = await extensionApi();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(api.inspect.logFile));
  } catch {
    return '';
  }
}

function everywhereButSecrets(globalState: Record<string, unknown>): string {
  return [
    JSON.stringify(vscode.workspace.getConfiguration()),
    JSON.stringify(vscode.workspace.getConfiguration('solvereign')),
    JSON.stringify(globalState),
  ].join('\n');
}

describe('connection: credentials only in SecretStorage', () => {
  it('an API key sign-in is kept in SecretStorage, and not in settings, globalState or the log', async () => {
    const api = await signInAs('dispatcher');
    const key = demoKey('dispatcher');
    assert.equal(api.connection.state, 'ready');
    assert.equal(api.connection.role, 'dispatcher');
    assert.equal(await api.connection.hasStoredCredential(ENV), true);
    assert.ok(
      !everywhereButSecrets(api.inspect.globalState()).includes(key),
      'key found outside SecretStorage',
    );
    const log = await waitFor(async () => {
      const text = await readLog();
      return /signed in to Local sandbox as dispatcher@lts\.demo/.test(text) ? text : '';
    }, 'the sign-in line in the log file');
    assert.ok(!log.includes(key), 'the API key is in the log');
  });

  it('a password sign-in keeps the session in SecretStorage, never logs the password; sign-out removes it', async () => {
    const api = await extensionApi();
    const password = 'solvereign-demo';
    const result = (await vscode.commands.executeCommand('solvereign.signIn', {
      environmentId: ENV,
      email: 'opslead@lts.demo',
      password,
    })) as { email: string; role: string } | undefined;
    assert.equal(result?.role, 'ops_lead');
    assert.equal(api.connection.role, 'ops_lead');
    assert.equal(await api.connection.hasStoredCredential(ENV), true);
    assert.ok(!everywhereButSecrets(api.inspect.globalState()).includes(password));
    await waitFor(
      async () => /as opslead@lts\.demo/.test(await readLog()),
      'the password sign-in in the log',
    );
    assert.ok(!(await readLog()).includes(password), 'the password is in the log');

    await vscode.commands.executeCommand('solvereign.signOut', ENV);
    assert.equal(await api.connection.hasStoredCredential(ENV), false);
    assert.equal(api.connection.state, 'signedOut');
  });

  it('a wrong API key is refused and nothing is stored', async () => {
    const api = await extensionApi();
    const wrong = 'sv_lts_dispatcher_demo_000000000000000000000000';
    const result = await vscode.commands.executeCommand('solvereign.signIn', {
      environmentId: ENV,
      apiKey: wrong,
    });
    assert.equal(result, undefined);
    assert.equal(await api.connection.hasStoredCredential(ENV), false);
    assert.notEqual(api.connection.state, 'ready');
    assert.ok(!(await readLog()).includes(wrong), 'the refused key is in the log');
    await signInAs('platform_admin'); // leave the suite signed in, as the other suites expect
  });
});
