// Activation side of the forecast/log language features. Only listeners and two command stubs live
// here; vscode-languageclient is bundled separately (dist/language-client.js) and required the first
// time a forecast or SOLVEREIGN log shows up, so activation does not pay for it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Logger } from '../connection/log';
import { LAZY_BUNDLES, loadBundle } from '../bundles';
import type { ExtensionServices } from '../services';
import { COMMANDS, FORECAST_LANGUAGE_ID, isSolvereignLogName, LOG_LANGUAGE_ID } from './ids';

/** What the lazily loaded client module exports (see client.ts). */
export interface LanguageClientModule {
  startLanguageFeatures(host: LanguageHost): Promise<LanguageFeatures>;
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
  /** The language server's script. */
  serverModule(): string;
  log: Logger;
  /** The client gave up after start-up (crashed too often, connection broken): features are off. */
  failed(reason: string): void;
  /** The server's output channel, shared by every start. */
  outputChannel(): vscode.OutputChannel;
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
/** The language features' lifecycle, for deactivate() and the extension-host tests. */
export interface LanguageApi {
  state(): { state: 'idle' | 'starting' | 'running' | 'failed'; reason?: string };
  /** Stops the client (if any) and starts it again; the Restart Language Server command. */
  restart(): Promise<{ ok: boolean; error?: string }>;
  /** Stops the client and its server process; resolves when both are gone. */
  stop(): Promise<void>;
  /** Failure messages shown to the user so far (newest last). */
  readonly failuresShown: readonly string[];
}

/** Test mode only: the server module to start instead of dist/language-server.js (a crashing one). */
const SERVER_MODULE_OVERRIDE = 'SOLVEREIGN_LANGUAGE_SERVER_MODULE';

/** Registers the lazy-start listeners and the language commands. Called once from `activate`. */
export function registerLanguageFeatures(
  context: vscode.ExtensionContext,
  services: ExtensionServices,
): LanguageApi {
  const { log } = services;
  let started: Promise<LanguageFeatures> | undefined;
  let running = false;
  /** Why the features are off; set until the user restarts them. */
  let failure: string | undefined;
  let failureShown = false;
  const failuresShown: string[] = [];
  let serverOutput: vscode.OutputChannel | undefined;

  const fail = (reason: string) => {
    failure = reason;
    log.error(`language server: ${reason}`);
    const dead = started;
    started = undefined;
    running = false;
    void dead?.then((f) => f.dispose()).catch(() => undefined);
    // Once per failure: opening more forecasts or logs does not repeat it; a restart re-arms it.
    if (failureShown) return;
    failureShown = true;
    const message = `SOLVEREIGN language features are off: ${reason}.`;
    failuresShown.push(message);
    void vscode.window.showErrorMessage(message, 'Show Log', 'Restart').then((a) => {
      if (a === 'Show Log') log.show();
      else if (a === 'Restart') void restart();
    });
  };

  const host: LanguageHost = {
    apiClient: () => services.connection.client,
    maxLogDiagnostics: () => services.config.get('logs.maxDiagnostics'),
    serverModule: () =>
      (context.extensionMode === vscode.ExtensionMode.Test && process.env[SERVER_MODULE_OVERRIDE]) ||
      context.asAbsolutePath(path.join('dist', 'language-server.js')),
    log,
    failed: fail,
    outputChannel: () => {
      if (!serverOutput) {
        serverOutput = vscode.window.createOutputChannel('SOLVEREIGN Language Server');
        context.subscriptions.push(serverOutput);
      }
      return serverOutput;
    },
  };

  const ensure = (): Promise<LanguageFeatures> => {
    if (failure) return Promise.reject(new Error(failure));
    if (!started) {
      const attempt = Promise.resolve().then(() =>
        loadBundle<LanguageClientModule>(
          context.extensionPath,
          LAZY_BUNDLES.languageClient,
        ).startLanguageFeatures(host),
      );
      started = attempt;
      attempt.then(
        () => {
          if (started !== attempt) return;
          running = true;
          log.info('language server started');
        },
        (e: unknown) => {
          if (started === attempt) fail(`the language server could not start (${(e as Error).message})`);
        },
      );
    }
    return started;
  };
  const maybeStart = () => {
    if (started || failure) return;
    if (vscode.workspace.textDocuments.some(isOurs) || hasUnsyncedLogTab()) void ensure();
  };

  const stop = async (): Promise<void> => {
    const s = started;
    started = undefined;
    running = false;
    await s?.then((f) => f.dispose()).catch(() => undefined);
  };
  const restart = async (): Promise<{ ok: boolean; error?: string }> => {
    await stop();
    failure = undefined;
    failureShown = false;
    try {
      await ensure();
      vscode.window.setStatusBarMessage('SOLVEREIGN language server restarted', 5000);
      return { ok: true };
    } catch (e) {
      return { ok: false, error: failure ?? (e as Error).message };
    }
  };
  /** Runs a language command; while the features are off it says why and offers the restart. */
  const withFeatures = async <T>(
    fn: (f: LanguageFeatures) => Promise<T>,
  ): Promise<T | { ok: false; error: string }> => {
    let features: LanguageFeatures;
    try {
      features = await ensure();
    } catch (e) {
      const error = (e as Error).message;
      void vscode.window
        .showErrorMessage(`SOLVEREIGN language features are off: ${error}.`, 'Restart')
        .then((a) => a && void restart());
      return { ok: false, error };
    }
    return fn(features);
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => {
      if (isOurs(d) && !failure) void ensure();
    }),
    vscode.window.tabGroups.onDidChangeTabs(maybeStart),
    vscode.commands.registerCommand(COMMANDS.forecastCheck, (uri?: vscode.Uri | string) =>
      withFeatures((f) => f.checkForecast(uri)),
    ),
    vscode.commands.registerCommand(COMMANDS.forecastSolve, (uri?: vscode.Uri | string) =>
      withFeatures((f) => f.solveForecast(uri)),
    ),
    vscode.commands.registerCommand(COMMANDS.restartServer, restart),
    { dispose: () => void stop() },
  );
  maybeStart();
  return {
    state: () => ({
      state: failure ? 'failed' : running ? 'running' : started ? 'starting' : 'idle',
      reason: failure,
    }),
    restart,
    stop,
    failuresShown,
  };
}
