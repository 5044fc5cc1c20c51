// The language client (bundled alone to dist/language-client.js, loaded on first use by index.ts):
// starts the server, implements the code-lens commands, and feeds the server the logs VS Code keeps
// from extensions (text above 50 MB is never synchronised, so no didOpen would ever arrive).
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  type LanguageClientOptions,
  RevealOutputChannelOn,
  type ServerOptions,
  TransportKind,
} from 'vscode-languageclient/node';
import { streamRun } from '../api/sse';
import { isoWeekId } from '../shared/isoWeek';
import type { LanguageFeatures, LanguageHost } from './index';
import {
  closeLargeLogNotification,
  COMMANDS,
  FORECAST_LANGUAGE_ID,
  type ForecastSummary,
  forecastSummaryRequest,
  LARGE_LOG_CHUNK_CHARS,
  LOG_LANGUAGE_ID,
  largeLogChunkNotification,
  logAnalyzedNotification,
  openLargeLogNotification,
  VSCODE_SYNC_LIMIT_CHARS,
} from './protocol';
import { isSolvereignLogName } from './ids';
import { RestartPolicy } from './restartPolicy';

/**
 * The library shows some failures itself ("couldn't create connection to server", with "Go to
 * output"), whatever the options say; the host shows each failure once, with Show Log and Restart.
 */
class SolvereignLanguageClient extends LanguageClient {
  constructor(name: string, server: ServerOptions, options: LanguageClientOptions, log: LanguageHost['log']) {
    super('solvereign', name, server, options);
    (
      this as unknown as { showNotificationMessage(type: number, message?: string): void }
    ).showNotificationMessage = (_type, message) => log.debug(`language client: ${message ?? ''}`);
  }
}

export async function startLanguageFeatures(host: LanguageHost): Promise<LanguageFeatures> {
  const module = host.serverModule();
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const restarts = new RestartPolicy();
  let initialized = false;
  let endedDuringStartup = false;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: FORECAST_LANGUAGE_ID }, { language: LOG_LANGUAGE_ID }],
    initializationOptions: { maxLogDiagnostics: host.maxLogDiagnostics() },
    revealOutputChannelOn: RevealOutputChannelOn.Never,
    // One channel for every start (a restart must not add another "SOLVEREIGN Language Server").
    outputChannel: host.outputChannel(),
    // A start that fails rejects client.start(): the host reports it. Later on, a server that stops
    // by itself is started again a few times, then the host says the features are off.
    initializationFailedHandler: (error) => {
      host.log.error(`language server: initialization failed: ${(error as Error)?.message ?? error}`);
      return false;
    },
    errorHandler: {
      error: (error, _message, count) => {
        host.log.warn(`language server: connection error ${count ?? 1}: ${error.message}`);
        if ((count ?? 1) <= 3) return { action: ErrorAction.Continue, handled: true };
        host.failed(`the connection to the language server keeps failing (${error.message})`);
        return { action: ErrorAction.Shutdown, handled: true };
      },
      closed: () => {
        if (!initialized) {
          endedDuringStartup = true;
          return { action: CloseAction.DoNotRestart, handled: true };
        }
        if (restarts.stopped()) {
          host.log.warn(
            `language server stopped (${restarts.recent}× in ${restarts.windowMinutes} min); restarting`,
          );
          return { action: CloseAction.Restart, handled: true };
        }
        host.failed(
          `the language server stopped ${restarts.recent} times in ${restarts.windowMinutes} minutes and is not restarted`,
        );
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
    // The server receives `{solvereign: {logs: {...}}}` on every change of these settings.
    synchronize: { configurationSection: 'solvereign.logs' },
  };
  const client = new SolvereignLanguageClient(
    'SOLVEREIGN Language Server',
    serverOptions,
    clientOptions,
    host.log,
  );
  let startError: unknown;
  try {
    await client.start();
  } catch (e) {
    startError = e;
  }
  // start() may also resolve without a running client (the server died while it was starting).
  if (startError !== undefined || !client.isRunning()) {
    await client.dispose().catch(() => undefined);
    throw new Error(
      endedDuringStartup
        ? 'its process ended during start-up'
        : `start-up failed: ${startError instanceof Error ? startError.message : 'the client is not running'}`,
    );
  }
  initialized = true;

  const largeLogs = new LargeLogTracker(client);
  const disposables: vscode.Disposable[] = [
    largeLogs,
    client.onNotification(logAnalyzedNotification, (p) => {
      if (!largeLogs.isTracked(p.uri)) return;
      vscode.window.setStatusBarMessage(
        `SOLVEREIGN: ${p.lines.toLocaleString()} log lines, ${p.findings} error codes, read in ${p.millis} ms`,
        8000,
      );
    }),
  ];
  largeLogs.refresh();

  const documentOf = async (arg?: vscode.Uri | string): Promise<vscode.TextDocument | undefined> => {
    const uri = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg;
    if (!uri) {
      const active = vscode.window.activeTextEditor?.document;
      return active?.languageId === FORECAST_LANGUAGE_ID ? active : undefined;
    }
    return vscode.workspace.openTextDocument(uri);
  };

  const summaryOf = async (doc: vscode.TextDocument): Promise<ForecastSummary | null> =>
    client.sendRequest(forecastSummaryRequest, { uri: doc.uri.toString() });

  const checkForecast = async (arg?: vscode.Uri | string): Promise<ForecastSummary | undefined> => {
    const doc = await documentOf(arg);
    if (!doc) {
      void vscode.window.showWarningMessage('Open a forecast file (.forecast) to check it.');
      return undefined;
    }
    const summary = await summaryOf(doc);
    if (!summary) {
      void vscode.window.showWarningMessage(`${doc.fileName} is not a forecast document.`);
      return undefined;
    }
    // Not awaited: the notification stays until dismissed, the command returns now.
    const show =
      summary.verdict === 'FAIL'
        ? vscode.window.showErrorMessage
        : summary.verdict === 'WARN'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    void show(summary.message);
    return summary;
  };

  const solveForecast = async (
    arg?: vscode.Uri | string,
  ): Promise<{ runId?: string; summary?: ForecastSummary }> => {
    const doc = await documentOf(arg);
    if (!doc) {
      void vscode.window.showWarningMessage('Open a forecast file (.forecast) to solve it.');
      return {};
    }
    const summary = (await summaryOf(doc)) ?? undefined;
    if (!summary) return {};
    if (summary.verdict === 'FAIL') {
      const lines = summary.failedLines ?? [];
      void vscode.window.showErrorMessage(
        `${summary.message} Not solved: fix the failing line${lines.length === 1 ? '' : 's'} (${lines.slice(0, 5).join(', ')}${lines.length > 5 ? ', …' : ''}) first.`,
      );
      return { summary };
    }
    const api = host.apiClient();
    if (!api) {
      void vscode.window
        .showWarningMessage(
          `${summary.message} Solving needs a connection: start the local sandbox or sign in.`,
          'Start Local Sandbox',
          'Sign In',
        )
        .then((choice) => {
          if (choice === 'Start Local Sandbox')
            void vscode.commands.executeCommand('solvereign.startLocalSandbox');
          else if (choice === 'Sign In') void vscode.commands.executeCommand('solvereign.signIn');
        });
      return { summary };
    }
    const week = summary.week ?? nextIsoWeek(new Date());
    let runId: string;
    try {
      runId = await solveWithProgress(api, doc, summary, week);
    } catch (err) {
      void vscode.window.showErrorMessage(
        `Solving ${summary.tours} tours for ${week} failed: ${(err as Error).message}`,
      );
      return { summary };
    }
    // The Runs view owns revealing a run and opening its audit report.
    await vscode.commands.executeCommand(COMMANDS.revealRun, runId);
    return { runId, summary };
  };

  return {
    checkForecast,
    solveForecast,
    dispose: async () => {
      for (const d of disposables) d.dispose();
      await client.stop();
    },
  };
}

type ApiClient = NonNullable<ReturnType<LanguageHost['apiClient']>>;

/** Creates the run in the sandbox and follows its event stream; resolves with the run id. */
function solveWithProgress(
  api: ApiClient,
  doc: vscode.TextDocument,
  summary: ForecastSummary,
  week: string,
): Thenable<string> {
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `Solving ${summary.tours} tours for ${week}`,
      cancellable: false,
    },
    async (progress) => {
      const created = await api.createRun({ forecast: doc.getText(), week });
      let last = 0;
      for await (const event of streamRun(api, created.run_id)) {
        if (event.type === 'progress') {
          progress.report({ message: event.phase, increment: Math.max(0, event.percent - last) });
          last = Math.max(last, event.percent);
        } else if (event.type === 'error') {
          throw new Error(`${event.error_code}: ${event.message}`);
        }
      }
      return created.run_id;
    },
  );
}

/** ISO week after the one containing `now` (`2026-W04`): the week a forecast is usually for. */
export function nextIsoWeek(now: Date): string {
  return isoWeekId(new Date(now.getTime() + 7 * 86_400_000));
}

/**
 * Logs open in a tab but absent from `workspace.textDocuments` are the ones VS Code did not sync.
 * file: URIs are read by the server itself (streamed from disk; same machine as the extension host);
 * other schemes are read here with workspace.fs and sent in ordered chunks.
 */
class LargeLogTracker implements vscode.Disposable {
  private readonly tracked = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly client: LanguageClient) {
    this.subscriptions = [
      vscode.window.tabGroups.onDidChangeTabs(() => this.refresh()),
      vscode.workspace.onDidOpenTextDocument(() => this.refresh()),
    ];
  }

  isTracked(uri: string): boolean {
    return this.tracked.has(uri);
  }

  refresh(): void {
    const synced = new Set(vscode.workspace.textDocuments.map((d) => d.uri.toString()));
    const visible = new Map<string, vscode.Uri>();
    for (const g of vscode.window.tabGroups.all) {
      for (const t of g.tabs) {
        if (t.input instanceof vscode.TabInputText && isSolvereignLogName(t.input.uri.path)) {
          visible.set(t.input.uri.toString(), t.input.uri);
        }
      }
    }
    for (const [key, uri] of visible) {
      if (this.tracked.has(key) || synced.has(key)) continue;
      this.tracked.add(key);
      void this.open(uri).catch((err) => {
        this.tracked.delete(key);
        void vscode.window.showWarningMessage(
          `SOLVEREIGN could not read ${uri.fsPath}: ${(err as Error).message}`,
        );
      });
    }
    for (const key of [...this.tracked]) {
      if (visible.has(key) && !synced.has(key)) continue;
      this.tracked.delete(key);
      void this.client.sendNotification(closeLargeLogNotification, { uri: key });
    }
  }

  private async open(uri: vscode.Uri): Promise<void> {
    const stat = await vscode.workspace.fs.stat(uri);
    // UTF-8 bytes >= characters, so a file up to the limit in bytes is always synced: such a tab
    // only has not had its didOpen yet.
    if (stat.size <= VSCODE_SYNC_LIMIT_CHARS) {
      this.tracked.delete(uri.toString());
      return;
    }
    const key = uri.toString();
    if (uri.scheme === 'file') {
      await this.client.sendNotification(openLargeLogNotification, { uri: key, source: 'file' });
      return;
    }
    await this.client.sendNotification(openLargeLogNotification, { uri: key, source: 'chunks' });
    const bytes = await vscode.workspace.fs.readFile(uri);
    const decoder = new TextDecoder('utf-8');
    const step = LARGE_LOG_CHUNK_CHARS;
    let seq = 0;
    for (let at = 0; at < bytes.length || seq === 0; at += step) {
      const last = at + step >= bytes.length;
      const text = decoder.decode(bytes.subarray(at, at + step), { stream: !last });
      await this.client.sendNotification(largeLogChunkNotification, { uri: key, seq: seq++, text, last });
      if (!this.tracked.has(key)) return;
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
