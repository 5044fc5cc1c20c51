// Activation side of the forecast/log language features. Only listeners and two command stubs live
// here; vscode-languageclient is bundled separately (dist/language-client.js) and required the first
// time a forecast or SOLVEREIGN log shows up, so activation does not pay for it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionServices } from '../services';
import { COMMANDS, FORECAST_LANGUAGE_ID, isSolvereignLogName, LOG_LANGUAGE_ID } from './ids';

/** What the lazily loaded client module exports (see client.ts). */
export interface LanguageClientModule {
  startLanguageFeatures(context: vscode.ExtensionContext, host: LanguageHost): Promise<LanguageFeatures>;
}

export interface LanguageFeatures {
  checkForecast(uri?: vscode.Uri | string): Promise<unknown>;
  solveForecast(uri?: vscode.Uri | string): Promise<unknown>;
  dispose(): Promise<void>;
}

/** What the client needs from the rest of the extension. */
export interface LanguageHost {
  /** The API client of the active environment, or undefined when not connected/signed in. */
  apiClient(): import('../api/client').SolvereignClient | undefined;
  /** `solvereign.logs.maxDiagnostics` now (the server is told of later changes by the client). */
  maxLogDiagnostics(): number;
}

const isOurs = (d: vscode.TextDocument) =>
  d.languageId === FORECAST_LANGUAGE_ID || d.languageId === LOG_LANGUAGE_ID;

/** A tab showing a log VS Code did not sync to extensions (text above 50 MB). */
function hasUnsyncedLogTab(): boolean {
  const synced = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
  return vscode.window.tabGroups.all.some((g) =>
    g.tabs.some(
      (t) =>
        t.input instanceof vscode.TabInputText &&
        isSolvereignLogName(t.input.uri.path) &&
        !synced.has(t.input.uri.toString()),
    ),
  );
}

/** Registers the lazy-start listeners and the forecast commands. Called once from `activate`. */
export function registerLanguageFeatures(
  context: vscode.ExtensionContext,
  services: ExtensionServices,
): void {
  const host: LanguageHost = {
    apiClient: () => services.connection.client,
    maxLogDiagnostics: () => services.config.get('logs.maxDiagnostics'),
  };
  let started: Promise<LanguageFeatures> | undefined;
  const ensure = (): Promise<LanguageFeatures> => {
    if (!started) {
      // A runtime path, so esbuild leaves the require alone and the client stays in its own bundle.
      const file = path.join(context.extensionPath, 'dist', 'language-client.js');
      started = (require(file) as LanguageClientModule).startLanguageFeatures(context, host);
      started.catch(() => {
        started = undefined;
      });
    }
    return started;
  };
  const maybeStart = () => {
    if (started) return;
    if (vscode.workspace.textDocuments.some(isOurs) || hasUnsyncedLogTab()) void ensure();
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isOurs(d)) void ensure();
    }),
    vscode.window.tabGroups.onDidChangeTabs(maybeStart),
    vscode.commands.registerCommand(COMMANDS.forecastCheck, async (uri?: vscode.Uri | string) =>
      (await ensure()).checkForecast(uri),
    ),
    vscode.commands.registerCommand(COMMANDS.forecastSolve, async (uri?: vscode.Uri | string) =>
      (await ensure()).solveForecast(uri),
    ),
    {
      dispose: () => {
        const s = started;
        started = undefined;
        void s?.then((f) => f.dispose()).catch(() => undefined);
      },
    },
  );
  maybeStart();
}
