// Runs the language server in-process over a pair of PassThrough streams and talks to it with a plain
// JSON-RPC client connection: the same messages VS Code's client sends, without VS Code.
import { PassThrough } from 'node:stream';
import { createConnection } from 'vscode-languageserver/node';
import {
  CodeActionRequest,
  type CodeActionParams,
  CodeLensRequest,
  CompletionRequest,
  type Diagnostic,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DocumentFormattingRequest,
  DocumentLinkRequest,
  DocumentSymbolRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  type ProtocolConnection,
  PublishDiagnosticsNotification,
  type PublishDiagnosticsParams,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { type LogAnalyzedParams, logAnalyzedNotification } from '../../../src/language/protocol';
import { startServer } from '../../../src/language-server/session';

type Waiter<T> = { match: (p: T) => boolean; resolve: (p: T) => void };

/** Resolves the waiters `p` matches; returns the others. */
function settle<T>(waiters: Waiter<T>[], p: T): Waiter<T>[] {
  const rest: Waiter<T>[] = [];
  for (const w of waiters) {
    if (w.match(p)) w.resolve(p);
    else rest.push(w);
  }
  return rest;
}

export class TestClient {
  readonly diagnostics = new Map<string, PublishDiagnosticsParams>();
  readonly analyzed = new Map<string, LogAnalyzedParams>();
  private diagWaiters: Waiter<PublishDiagnosticsParams>[] = [];
  private logWaiters: Waiter<LogAnalyzedParams>[] = [];
  private versions = new Map<string, number>();

  constructor(readonly connection: ProtocolConnection) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.diagnostics.set(p.uri, p);
      this.diagWaiters = settle(this.diagWaiters, p);
    });
    connection.onNotification(logAnalyzedNotification, (p) => {
      this.analyzed.set(p.uri, p);
      this.logWaiters = settle(this.logWaiters, p);
    });
  }

  /** Resolves with the next diagnostics published for `uri` (optionally: for that document version). */
  nextDiagnostics(uri: string, version?: number): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve) =>
      this.diagWaiters.push({
        match: (p) => p.uri === uri && (version === undefined || p.version === version),
        resolve,
      }),
    );
  }

  nextLogAnalysis(uri: string): Promise<LogAnalyzedParams> {
    return new Promise((resolve) => this.logWaiters.push({ match: (p) => p.uri === uri, resolve }));
  }

  async open(uri: string, languageId: string, text: string): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    this.versions.set(uri, 1);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId, version: 1, text },
    });
    return (await next).diagnostics;
  }

  /** Replaces the whole text (a full-range incremental change) and waits for the new diagnostics. */
  async replace(uri: string, text: string): Promise<Diagnostic[]> {
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    const next = this.nextDiagnostics(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    return (await next).diagnostics;
  }

  async close(uri: string): Promise<Diagnostic[]> {
    const next = this.nextDiagnostics(uri);
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    return (await next).diagnostics;
  }

  hover(uri: string, line: number, character: number) {
    return this.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri },
      position: { line, character },
    });
  }
  completion(uri: string, line: number, character: number) {
    return this.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri },
      position: { line, character },
    });
  }
  symbols(uri: string) {
    return this.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } });
  }
  format(uri: string) {
    return this.connection.sendRequest(DocumentFormattingRequest.type, {
      textDocument: { uri },
      options: { tabSize: 2, insertSpaces: true },
    });
  }
  codeActions(uri: string, range: CodeActionParams['range'], diagnostics: Diagnostic[]) {
    return this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range,
      context: { diagnostics },
    });
  }
  codeLens(uri: string) {
    return this.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
  }
  links(uri: string) {
    return this.connection.sendRequest(DocumentLinkRequest.type, { textDocument: { uri } });
  }
  configure(settings: unknown) {
    return this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings });
  }

  async dispose(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    // No `exit` notification: the server would call process.exit (it is this test process).
    this.connection.dispose();
  }
}

export async function startTestServer(initializationOptions?: unknown): Promise<TestClient> {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  // Reader/writer objects rather than raw streams: with raw streams the library exits the process
  // when the input ends.
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)));
  const connection = createProtocolConnection(
    new StreamMessageReader(toClient),
    new StreamMessageWriter(toServer),
  );
  const client = new TestClient(connection);
  connection.listen();
  await connection.sendRequest(InitializeRequest.type, {
    // null: no parent-process watchdog timer (it would keep mocha alive).
    processId: null,
    rootUri: null,
    capabilities: {},
    initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});
  return client;
}

/** Text of a diagnostic's range in `text` (single-line ranges). */
export function rangeText(text: string, d: { range: Diagnostic['range'] }): string {
  const line = text.split('\n')[d.range.start.line] ?? '';
  return line.slice(d.range.start.character, d.range.end.character);
}

/** Applies LSP text edits (non-overlapping) to a text. */
export function applyEdits(text: string, edits: { range: Diagnostic['range']; newText: string }[]): string {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const offset = (p: { line: number; character: number }) =>
    p.line < starts.length ? starts[p.line]! + p.character : text.length;
  const sorted = edits
    .map((e) => ({ from: offset(e.range.start), to: offset(e.range.end), text: e.newText }))
    .sort((a, b) => a.from - b.from);
  // One pass, in order: slicing the whole text per edit would be quadratic on big documents.
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.from), e.text);
    at = e.to;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
