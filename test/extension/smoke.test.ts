import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'solvereign.solvereign-ops';

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

/** The extension under test; fails the calling test with a clear message when it is missing. */
function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} not among ${vscode.extensions.all.map((e) => e.id).join(', ')}`);
  return found;
}

describe('smoke: the extension in a real VS Code', () => {
  it('is installed under its id', () => {
    assert.equal(extension().packageJSON.name, 'solvereign-ops');
  });

  it('activates', async () => {
    await extension().activate();
    assert.equal(extension().isActive, true);
  });

  it('exports a minimal API (no client, no credential) and its test handles only in test mode', async () => {
    const exported = (await extension().activate()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(exported).sort(), [
      'apiVersion',
      'connection',
      'onDidChangeConnection',
      'test',
    ]);
    const connection = (exported.connection as () => Record<string, unknown>)();
    assert.deepEqual(
      Object.keys(connection).filter((k) => !['state', 'environment', 'role'].includes(k)),
      [],
    );
    const environment = connection.environment as Record<string, unknown> | undefined;
    if (environment) assert.deepEqual(Object.keys(environment).sort(), ['name', 'site', 'tenant', 'url']);
  });

  it('runs in a VS Code with the API it was built for (1.99)', () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major > 1 || minor >= 99, `VS Code ${vscode.version}`);
  });

  it('registers every contributed command, all in category SOLVEREIGN', async () => {
    const commands: ContributedCommand[] = extension().packageJSON.contributes?.commands ?? [];
    assert.ok(commands.length > 0, 'the manifest contributes commands');
    await extension().activate();
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = commands.filter((c) => !registered.has(c.command)).map((c) => c.command);
    assert.deepEqual(missing, [], 'contributed but not registered');
    const otherCategory = commands.filter((c) => c.category !== 'SOLVEREIGN').map((c) => c.command);
    assert.deepEqual(otherCategory, [], 'commands without category SOLVEREIGN');
  });

  it('has the workbench show every contributed view (its focus command exists)', async () => {
    const views: { id: string }[] = Object.values(
      (extension().packageJSON.contributes?.views ?? {}) as Record<string, { id: string }[]>,
    ).flat();
    assert.ok(views.length > 0, 'the manifest contributes views');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = views.filter((v) => !registered.has(`${v.id}.focus`)).map((v) => v.id);
    assert.deepEqual(missing, [], 'views the workbench does not know');
  });

  it('sees the sandbox URL the harness passed in the environment', () => {
    const url = process.env.SOLVEREIGN_SANDBOX_URL;
    assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+/, 'run the suite through test/e2e/run.mjs');
  });

  it('opened the test workspace folder', () => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    assert.equal(folders.length, 1);
    assert.equal(folders[0].uri.scheme, 'file');
  });
});
