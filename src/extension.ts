// The composition root: activate() builds the shared services once and hands them to each area's
// register function. Everything heavier (language client, webviews, procedures' engine) is loaded
// when first used.
import * as vscode from 'vscode';
import { CapabilityCache } from './api/capabilities';
import { registerConnectionCommands } from './commands/connectionCommands';
import { Config } from './config';
import { type ConnectionState, ConnectionManager } from './connection/connectionManager';
import { createLogger } from './connection/log';
import type { EvidenceCache } from './evidence/runEvidence';
import { LAZY_BUNDLES, loadBundle } from './bundles';
import { type L3Api, registerL3 } from './l3';
import { type LanguageApi, registerLanguageFeatures } from './language';
import { type ProceduresApi, registerProcedures } from './procedures';
import type { ExtensionServices } from './services';
import { registerSidebar, type SidebarApi } from './views';
import { SidebarStore } from './views/sidebarStore';
import { type ReportsApi, registerReports } from './webviews';

/** What other extensions may use: where this window is connected, never a credential or a client. */
export interface SolvereignApi {
  readonly apiVersion: 1;
  connection(): {
    state: ConnectionState;
    environment?: { name: string; url: string; tenant: string; site: string };
    role?: string;
  };
  readonly onDidChangeConnection: vscode.Event<void>;
}

/** The handles the extension-host tests drive and inspect; exported only in test mode. */
export interface SolvereignTestApi extends ExtensionServices {
  inspect: { globalState(): Record<string, unknown>; logFile: vscode.Uri };
  sidebar: SidebarApi;
  procedures: ProceduresApi;
  reports: ReportsApi;
  language: LanguageApi;
  l3: L3Api;
}

export type SolvereignExports = SolvereignApi & { test?: SolvereignTestApi };

/** What deactivate() waits for: the language server and the local sandbox process ending. */
let shutdown: (() => Promise<void>) | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<SolvereignExports | undefined> {
  const log = createLogger(context);
  try {
    const config = new Config(vscode.workspace);
    const connection = new ConnectionManager(context, log, config);
    context.subscriptions.push(connection);
    // Detected once per server for the trees and the procedures alike, again after a reconnect.
    const capabilities = new CapabilityCache();
    let wasReady = connection.state === 'ready';
    context.subscriptions.push(
      connection.onDidChange(() => {
        const ready = connection.state === 'ready';
        if (ready && !wasReady) capabilities.forget();
        wasReady = ready;
      }),
    );
    let evidenceCache: EvidenceCache | undefined;
    let evidenceScope = '';
    const scopeOf = () => {
      const env = connection.active;
      return env ? `${env.url}|${env.tenant}|${env.site}|${connection.state}` : '';
    };
    context.subscriptions.push(
      connection.onDidChange(() => {
        // Sign-out or another environment/site: nothing of the old server's packs stays.
        const scope = scopeOf();
        if (scope !== evidenceScope) evidenceCache?.clear();
        evidenceScope = scope;
      }),
    );
    const evidence: ExtensionServices['evidence'] = {
      cache: () => {
        evidenceCache ??= new (loadBundle<typeof import('./evidence/runEvidence')>(
          context.extensionPath,
          LAZY_BUNDLES.evidence,
        ).EvidenceCache)();
        return evidenceCache;
      },
      source: () => {
        const client = connection.requireClient();
        const env = connection.active;
        return {
          scope: env ? `${env.url}|${env.tenant}|${env.site}` : 'unknown',
          evidence: (runId, o) => client.evidence(runId, o),
          checksums: async (runId, o) => (await client.evidenceChecksums(runId, o)).checksums,
        };
      },
    };
    const services: ExtensionServices = {
      config,
      connection,
      log,
      store: new SidebarStore(),
      capabilities,
      evidence,
    };
    registerConnectionCommands(context, services);
    const sidebar = registerSidebar(context, services);
    const procedures = registerProcedures(context, services);
    const reports = registerReports(context, services);
    const l3 = registerL3(context, services);
    // Starts the language client only when a forecast or SOLVEREIGN log opens.
    const language = registerLanguageFeatures(context, services);
    shutdown = async () => {
      await Promise.allSettled([language.stop(), connection.shutdown()]);
    };
    void connection.refresh();

    const api: SolvereignApi = {
      apiVersion: 1,
      connection: () => {
        const env = connection.active;
        return {
          state: connection.state,
          environment: env && { name: env.name, url: env.url, tenant: env.tenant, site: env.site },
          role: connection.role,
        };
      },
      onDidChangeConnection: connection.onDidChange,
    };
    if (context.extensionMode !== vscode.ExtensionMode.Test) return api;
    const test: SolvereignTestApi = {
      ...services,
      inspect: {
        globalState: () =>
          Object.fromEntries(context.globalState.keys().map((k) => [k, context.globalState.get(k)])),
        logFile: vscode.Uri.joinPath(context.logUri, 'SOLVEREIGN.log'),
      },
      sidebar,
      procedures,
      reports,
      language,
      l3,
    };
    return { ...api, test };
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

export async function deactivate(): Promise<void> {
  const stop = shutdown;
  shutdown = undefined;
  await stop?.();
}
