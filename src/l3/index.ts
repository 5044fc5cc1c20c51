// The L3 workspace's registration: the read-only evidence file system (a thin proxy, so activation
// does not load it) and "Open Evidence". The implementation (src/l3/evidenceFs.ts) loads on first use.
import * as vscode from 'vscode';
import { LAZY_BUNDLES, loadBundle } from '../bundles';
import type { ExtensionServices } from '../services';
import { runIdFromArg } from '../shared/args';

type EvidenceFsBundle = typeof import('./evidenceFs');

export function registerL3(context: vscode.ExtensionContext, services: ExtensionServices): void {
  let bundle: EvidenceFsBundle | undefined;
  let fs: vscode.FileSystemProvider | undefined;
  const load = () => {
    bundle ??= loadBundle<EvidenceFsBundle>(context.extensionPath, LAZY_BUNDLES.l3Evidence);
    return bundle;
  };
  const provider = () => {
    fs ??= new (load().EvidenceFileSystem)(services);
    return fs;
  };
  const changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  const proxy: vscode.FileSystemProvider = {
    onDidChangeFile: changes.event,
    watch: () => new vscode.Disposable(() => undefined),
    stat: (uri) => provider().stat(uri),
    readDirectory: (uri) => provider().readDirectory(uri),
    readFile: (uri) => provider().readFile(uri),
    createDirectory: (uri) => provider().createDirectory(uri),
    writeFile: (uri, content, options) => provider().writeFile(uri, content, options),
    delete: (uri, options) => provider().delete(uri, options),
    rename: (a, b, options) => provider().rename(a, b, options),
  };
  context.subscriptions.push(
    changes,
    vscode.workspace.registerFileSystemProvider('solvereign-evidence', proxy, {
      isCaseSensitive: true,
      isReadonly: true,
    }),
    vscode.commands.registerCommand('solvereign.openEvidence', async (arg?: unknown) => {
      let runId = runIdFromArg(arg);
      try {
        if (!runId) {
          const client = services.connection.requireClient();
          const items = (async (): Promise<vscode.QuickPickItem[]> => {
            const list = await client.listRuns({ limit: 30 });
            return list.runs.map((r) => ({ label: r.run_id, description: `${r.week_id} · ${r.status}` }));
          })();
          const pick = await vscode.window.showQuickPick(items, {
            title: 'Open Evidence',
            placeHolder: 'Pick a run (recent runs of the current site)',
          });
          if (!pick) return { cancelled: true };
          runId = pick.label;
        }
        return await load().openEvidence(services, runId);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        services.log.error(`solvereign.openEvidence: ${message}`);
        void vscode.window.showErrorMessage(message, 'Show Log').then((a) => a && services.log.show());
        return { error: message };
      }
    }),
  );
}
