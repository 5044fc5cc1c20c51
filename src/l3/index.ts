// The L3 workspace's registration, all of it thin so activation loads none of it: the read-only
// evidence file system (a proxy), the "SOLVEREIGN audits" test controller (its handlers load the
// implementation), the commands, and the findings of evidence documents as they open. The
// implementation (src/l3/workspace.ts, in dist/l3.js) loads on first use.
import * as vscode from 'vscode';
import { LAZY_BUNDLES, loadBundle } from '../bundles';
import type { ExtensionServices } from '../services';
import type { AuditTestOutcome, L3Workspace } from './bundle';

const EVIDENCE_SCHEME = 'solvereign-evidence';

/** What the extension-host tests inspect. */
export interface L3Api {
  /** Runs whose findings are in the Problems panel. */
  shownRuns(): { runId: string; uris: string[] }[];
  /** The last outcome of each test item that ran. */
  outcomes(): AuditTestOutcome[];
  /** Test items (roots with their audits' labels). */
  testItems(): { id: string; label: string; children: string[] }[];
  /** Runs the audits of these root items (all roots when none are given). */
  runAudits(ids?: string[]): Promise<AuditTestOutcome[]>;
}

export function registerL3(context: vscode.ExtensionContext, services: ExtensionServices): L3Api {
  const controller = vscode.tests.createTestController('solvereign.audits', 'SOLVEREIGN audits');
  let workspace: L3Workspace | undefined;
  const l3 = (): L3Workspace => {
    if (!workspace) {
      const b = loadBundle<typeof import('./bundle')>(context.extensionPath, LAZY_BUNDLES.l3);
      workspace = new b.L3Workspace(services, controller, () => profile);
      context.subscriptions.push(workspace);
    }
    return workspace;
  };
  const profile = controller.createRunProfile(
    'Run audits',
    vscode.TestRunProfileKind.Run,
    async (request, token) => {
      await l3().tests.run(request, token);
    },
    true,
    undefined,
    true,
  );
  controller.resolveHandler = async (item) => {
    if (!item) await l3().tests.ensureDiscovered();
  };
  controller.refreshHandler = async () => {
    await l3().tests.discover();
  };
  const changes = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  const fs = () => l3().fs;
  const proxy: vscode.FileSystemProvider = {
    onDidChangeFile: changes.event,
    watch: () => new vscode.Disposable(() => undefined),
    stat: (uri) => fs().stat(uri),
    readDirectory: (uri) => fs().readDirectory(uri),
    readFile: (uri) => fs().readFile(uri),
    createDirectory: () => fs().createDirectory(),
    writeFile: () => fs().writeFile(),
    delete: () => fs().delete(),
    rename: () => fs().rename(),
  };
  const command = (id: string, run: (arg: unknown) => unknown) =>
    vscode.commands.registerCommand(id, (arg?: unknown) => run(arg));
  context.subscriptions.push(
    changes,
    controller,
    profile,
    vscode.workspace.registerFileSystemProvider(EVIDENCE_SCHEME, proxy, {
      isCaseSensitive: true,
      isReadonly: true,
    }),
    vscode.workspace.onDidOpenTextDocument((doc) => {
      if (doc.uri.scheme === EVIDENCE_SCHEME) l3().documentOpened(doc.uri);
    }),
    command('solvereign.openEvidence', (arg) => l3().openEvidence(arg)),
    command('solvereign.addEvidenceFolder', (arg) => l3().addEvidenceFolder(arg)),
    command('solvereign.reproduceRunLocally', (arg) => l3().reproduceRunLocally(arg)),
    // Two runs side by side; from the Runs view with two rows selected VS Code passes both.
    vscode.commands.registerCommand('solvereign.compareRuns', (...args: unknown[]) => l3().compareRuns(args)),
    vscode.commands.registerCommand('solvereign.compareSelectedRuns', (...args: unknown[]) =>
      l3().compareRuns(args),
    ),
  );
  return {
    shownRuns: () => workspace?.diagnostics.runs() ?? [],
    outcomes: () => [...(workspace?.tests.outcomes.values() ?? [])],
    testItems: () => {
      const out: { id: string; label: string; children: string[] }[] = [];
      controller.items.forEach((i) => {
        const children: string[] = [];
        i.children.forEach((c) => void children.push(c.label));
        out.push({ id: i.id, label: i.label, children });
      });
      return out;
    },
    runAudits: async (ids) => {
      const items: vscode.TestItem[] = [];
      if (ids?.length) controller.items.forEach((i) => void (ids.includes(i.id) && items.push(i)));
      return l3().runItems(ids?.length ? items : undefined);
    },
  };
}
