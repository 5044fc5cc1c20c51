// activate(): wiring only. Everything heavier (language client, webviews, procedures' engine) is
// loaded when first used.
import * as vscode from 'vscode';
import { registerConnectionCommands } from './commands/connectionCommands';
import { ConnectionManager } from './connection/connectionManager';
import { createLogger } from './connection/log';
import { activateLanguageFeatures } from './language';
import { registerProcedures, type ProceduresApi } from './procedures';
import type { ExtensionServices } from './services';
import { registerSidebar, type SidebarApi } from './views';
import { SitesProvider } from './views/sites/sitesProvider';
import { registerReports, type ReportsApi } from './webviews';

/** What the extension exports: used by the extension-host tests and by other parts of the extension. */
export interface SolvereignExtensionApi extends ExtensionServices {
  /** Read-only views for the extension-host tests: where state and the log live. */
  inspect: { globalState(): Record<string, unknown>; logFile: vscode.Uri };
  views: { sites: SitesProvider };
  sidebar: SidebarApi;
  procedures: ProceduresApi;
  reports: ReportsApi;
}

let api: SolvereignExtensionApi | undefined;

export function getApi(): SolvereignExtensionApi | undefined {
  return api;
}

export async function activate(
  context: vscode.ExtensionContext,
): Promise<SolvereignExtensionApi | undefined> {
  const log = createLogger(context);
  try {
    const connection = new ConnectionManager(context, log);
    context.subscriptions.push(connection);
    const sites = new SitesProvider(connection);
    context.subscriptions.push(sites, vscode.window.registerTreeDataProvider('solvereign.sites', sites));
    registerConnectionCommands(context, connection, log);
    const services: ExtensionServices = { connection, log };
    api = {
      ...services,
      inspect: {
        globalState: () =>
          Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
        logFile: vscode.Uri.joinPath(context.logUri, 'SOLVEREIGN.log'),
      },
      views: { sites },
      sidebar: registerSidebar(context, services),
      procedures: registerProcedures(context, services),
      reports: registerReports(context, services),
    };
    // Starts the language client only when a forecast or SOLVEREIGN log opens.
    activateLanguageFeatures(context, services);
    void connection.refresh();
    return api;
  } catch (e) {
    // Show our own error instead of VS Code's generic "activation failed".
    const message = e instanceof Error ? e.message : String(e);
    log.error(`activation failed: ${message}`);
    void vscode.window
      .showErrorMessage(`SOLVEREIGN Ops could not start: ${message}`, 'Show Log')
      .then((a) => {
        if (a) log.show();
      });
    return undefined;
  }
}

export function deactivate(): void {
  api = undefined;
}
