// The language server's wiring: documents, settings, and the handlers of both languages on one
// connection. `startServer` takes any connection so tests drive it in-process over streams.
import { createReadStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import {
  CodeActionKind,
  type Connection,
  type Diagnostic,
  DiagnosticSeverity,
  type DocumentLink,
  type DocumentSymbol,
  type Hover,
  type InitializeResult,
  MarkupKind,
  SymbolKind,
  TextDocumentSyncKind,
  TextDocuments,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  closeLargeLogNotification,
  DEFAULT_MAX_LOG_DIAGNOSTICS,
  FORECAST_LANGUAGE_ID,
  forecastSummaryRequest,
  LOG_LANGUAGE_ID,
  type LargeLogChunkParams,
  largeLogChunkNotification,
  logAnalyzedNotification,
  openLargeLogNotification,
  revealRunCommandUri,
  type ServerSettings,
} from '../language/protocol';
import {
  analyzeForecast,
  type ForecastDoc,
  forecastCodeActions,
  forecastCodeLenses,
  forecastCompletion,
  forecastDiagnostics,
  forecastFormatting,
  forecastHover,
  forecastSummary,
  forecastSymbols,
  SOURCE,
} from './forecast';
import { ForecastParseCache } from './incremental';
import {
  diagnosticSeverity,
  errorHover,
  errorMessage,
  type LogAnalysis,
  type LogErrorFinding,
  LogScanner,
} from './log';

/** Debounce of re-validation while typing; the first validation of a document is immediate. */
const CHANGE_DELAY_MS = 120;
const MAX_OUTLINE_ERRORS = 2000;
const MAX_RUN_CHILDREN = 200;

export function settingsFrom(raw: unknown, fallback: ServerSettings): ServerSettings {
  const r = (raw ?? {}) as Record<string, unknown>;
  // Accept both the flat form (initializationOptions) and VS Code's nested settings object.
  const nested = (r.solvereign as { logs?: { maxDiagnostics?: unknown } } | undefined)?.logs?.maxDiagnostics;
  const value = nested ?? r.maxLogDiagnostics;
  const n = Number(value);
  return { maxLogDiagnostics: Number.isInteger(n) && n >= 0 ? n : fallback.maxLogDiagnostics };
}

/** Turns log findings into at most `max` diagnostics (most severe first), plus one saying what was left out. */
export function logDiagnostics(
  analysis: LogAnalysis,
  max: number,
): { diagnostics: Diagnostic[]; omitted: number } {
  const all = analysis.errors;
  let chosen: LogErrorFinding[];
  if (all.length <= max) chosen = all;
  else {
    // Stable by severity then position: S0/S1 first so a cap never hides an outage behind noise.
    const buckets: LogErrorFinding[][] = [[], [], []];
    for (const f of all) buckets[diagnosticSeverity(f.severity) - 1]!.push(f);
    chosen = buckets.flat().slice(0, max);
    chosen.sort((a, b) => a.line - b.line || a.start - b.start);
  }
  const diagnostics: Diagnostic[] = chosen.map((f) => ({
    range: { start: { line: f.line, character: f.start }, end: { line: f.line, character: f.end } },
    severity: diagnosticSeverity(f.severity),
    code: f.code,
    source: SOURCE,
    message: errorMessage(f),
  }));
  const omitted = all.length - chosen.length;
  if (omitted > 0) {
    const kept = new Set(chosen);
    const firstLeftOut = all.find((f) => !kept.has(f))!;
    const bySeverity = new Map<string, number>();
    for (const f of all) {
      if (kept.has(f)) continue;
      const k = f.severity ?? 'unknown';
      bySeverity.set(k, (bySeverity.get(k) ?? 0) + 1);
    }
    const detail = [...bySeverity]
      .sort()
      .map(([k, v]) => `${v} ${k}`)
      .join(', ');
    diagnostics.push({
      range: {
        start: { line: firstLeftOut.line, character: firstLeftOut.start },
        end: { line: firstLeftOut.line, character: firstLeftOut.end },
      },
      severity: DiagnosticSeverity.Information,
      code: 'DIAGNOSTICS_CAPPED',
      source: SOURCE,
      message: `${omitted} more error code${omitted === 1 ? '' : 's'} in this log not shown (${detail}); the limit is ${max} (setting solvereign.logs.maxDiagnostics).`,
    });
  }
  return { diagnostics, omitted };
}

export function logSymbols(analysis: LogAnalysis): DocumentSymbol[] {
  const pos = (line: number, character: number) => ({ line, character });
  const errSymbol = (f: LogErrorFinding): DocumentSymbol => ({
    name: f.code,
    detail: [f.severity, f.message].filter(Boolean).join(' · '),
    kind: SymbolKind.Key,
    range: { start: pos(f.line, f.start), end: pos(f.line, f.end) },
    selectionRange: { start: pos(f.line, f.start), end: pos(f.line, f.end) },
  });
  const runChildren = new Map<string, DocumentSymbol[]>();
  const loose: DocumentSymbol[] = [];
  let count = 0;
  for (const f of analysis.errors) {
    if (count >= MAX_OUTLINE_ERRORS) break;
    if (f.runIds.length) {
      for (const id of f.runIds) {
        const list = runChildren.get(id) ?? [];
        if (list.length < MAX_RUN_CHILDREN) list.push(errSymbol(f));
        runChildren.set(id, list);
      }
    } else loose.push(errSymbol(f));
    count++;
  }
  const runs: DocumentSymbol[] = [...analysis.runs.values()].map((r) => {
    const children = runChildren.get(r.runId) ?? [];
    return {
      name: r.runId,
      detail: `${r.mentions} mention${r.mentions === 1 ? '' : 's'}${children.length ? `, ${children.length} error${children.length === 1 ? '' : 's'}` : ''}`,
      kind: SymbolKind.Event,
      range: { start: pos(r.firstLine, r.firstStart), end: pos(r.lastLine, r.lastEnd) },
      selectionRange: {
        start: pos(r.firstLine, r.firstStart),
        end: pos(r.firstLine, r.firstStart + r.runId.length),
      },
      children,
    };
  });
  const out = [...runs, ...loose];
  return out.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
  );
}

export function logLinks(analysis: LogAnalysis): DocumentLink[] {
  return analysis.runMentions.map((m) => ({
    range: { start: { line: m.line, character: m.start }, end: { line: m.line, character: m.end } },
    target: revealRunCommandUri(m.runId),
    tooltip: `Reveal ${m.runId} in the Runs view`,
  }));
}

/** The hover for the token under the cursor in a log line. */
export function logHover(lineText: string, character: number, line: number): Hover | null {
  const re = /\bERR_[A-Z0-9]+(?:_[A-Z0-9]+)*\b|\bRUN-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/g;
  for (let m = re.exec(lineText); m; m = re.exec(lineText)) {
    if (character < m.index || character > m.index + m[0].length) continue;
    const r = { start: { line, character: m.index }, end: { line, character: m.index + m[0].length } };
    if (m[0].startsWith('ERR_')) {
      const explicit = /\bseverity["']?\s*[=:]\s*["']?(S[0-3])\b/i.exec(lineText)?.[1]?.toUpperCase();
      return {
        contents: {
          kind: MarkupKind.Markdown,
          value: errorHover(m[0], explicit as 'S0' | 'S1' | 'S2' | 'S3' | undefined),
        },
        range: r,
      };
    }
    return {
      contents: {
        kind: MarkupKind.Markdown,
        value: `**${m[0]}** — [reveal the run / open its audit report](${revealRunCommandUri(m[0])})`,
      },
      range: r,
    };
  }
  return null;
}

interface LargeLog {
  scanner: LogScanner;
  nextSeq: number;
  chars: number;
  started: number;
  closed: boolean;
  analysis?: LogAnalysis;
}

export function startServer(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  let settings: ServerSettings = { maxLogDiagnostics: DEFAULT_MAX_LOG_DIAGNOSTICS };
  const forecasts = new Map<string, { version: number; doc: ForecastDoc; cache: ForecastParseCache }>();
  const logs = new Map<string, { version: number; analysis: LogAnalysis }>();
  const largeLogs = new Map<string, LargeLog>();
  const timers = new Map<string, NodeJS.Timeout>();

  const forecastOf = (d: TextDocument): ForecastDoc => {
    const hit = forecasts.get(d.uri);
    if (hit && hit.version === d.version) return hit.doc;
    const cache = hit?.cache ?? new ForecastParseCache();
    const doc = analyzeForecast(d.uri, d.getText(), cache);
    forecasts.set(d.uri, { version: d.version, doc, cache });
    return doc;
  };
  const logOf = (d: TextDocument): LogAnalysis => {
    const hit = logs.get(d.uri);
    if (hit && hit.version === d.version) return hit.analysis;
    const scanner = new LogScanner();
    scanner.push(d.getText());
    const analysis = scanner.finish();
    logs.set(d.uri, { version: d.version, analysis });
    return analysis;
  };

  const publishLog = (uri: string, analysis: LogAnalysis, chars: number, started: number) => {
    const { diagnostics, omitted } = logDiagnostics(analysis, settings.maxLogDiagnostics);
    void connection.sendDiagnostics({ uri, diagnostics });
    void connection.sendNotification(logAnalyzedNotification, {
      uri,
      lines: analysis.lines,
      chars,
      findings: analysis.errors.length,
      diagnostics: diagnostics.length,
      omitted,
      runs: analysis.runs.size,
      millis: Math.round(performance.now() - started),
    });
  };

  const validate = (d: TextDocument) => {
    const started = performance.now();
    if (d.languageId === FORECAST_LANGUAGE_ID) {
      void connection.sendDiagnostics({
        uri: d.uri,
        version: d.version,
        diagnostics: forecastDiagnostics(forecastOf(d)),
      });
    } else if (d.languageId === LOG_LANGUAGE_ID) {
      publishLog(d.uri, logOf(d), d.getText().length, started);
    }
  };

  connection.onInitialize((params): InitializeResult => {
    settings = settingsFrom(params.initializationOptions, settings);
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        hoverProvider: true,
        completionProvider: { triggerCharacters: [' '] },
        documentSymbolProvider: true,
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        documentLinkProvider: { resolveProvider: false },
      },
      serverInfo: { name: 'solvereign-language-server' },
    };
  });

  connection.onDidChangeConfiguration((params) => {
    const next = settingsFrom(params.settings, settings);
    if (next.maxLogDiagnostics === settings.maxLogDiagnostics) return;
    settings = next;
    for (const d of documents.all()) if (d.languageId === LOG_LANGUAGE_ID) validate(d);
    for (const [uri, l] of largeLogs) if (l.analysis) publishLog(uri, l.analysis, l.chars, performance.now());
  });

  // TextDocuments fires onDidChangeContent right after onDidOpen: validate opens at once, once.
  const justOpened = new Set<string>();
  documents.onDidOpen((e) => {
    justOpened.add(e.document.uri);
    validate(e.document);
  });
  documents.onDidChangeContent((e) => {
    if (justOpened.delete(e.document.uri)) return;
    // Edits are debounced.
    clearTimeout(timers.get(e.document.uri));
    timers.set(
      e.document.uri,
      setTimeout(() => {
        timers.delete(e.document.uri);
        const current = documents.get(e.document.uri);
        if (current) validate(current);
      }, CHANGE_DELAY_MS),
    );
  });
  documents.onDidClose((e) => {
    clearTimeout(timers.get(e.document.uri));
    timers.delete(e.document.uri);
    forecasts.delete(e.document.uri);
    logs.delete(e.document.uri);
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });

  const withDoc = <T>(uri: string, lang: string, fn: (d: TextDocument) => T): T | null => {
    const d = documents.get(uri);
    return d && d.languageId === lang ? fn(d) : null;
  };

  connection.onHover(({ textDocument, position }) => {
    const d = documents.get(textDocument.uri);
    if (!d) return null;
    if (d.languageId === FORECAST_LANGUAGE_ID)
      return forecastHover(forecastOf(d), position.line, position.character);
    if (d.languageId === LOG_LANGUAGE_ID) {
      const lineText = d.getText({
        start: { line: position.line, character: 0 },
        end: { line: position.line + 1, character: 0 },
      });
      return logHover(lineText.replace(/\r?\n$/, ''), position.character, position.line);
    }
    return null;
  });

  connection.onCompletion(({ textDocument, position }) =>
    withDoc(textDocument.uri, FORECAST_LANGUAGE_ID, (d) => {
      const lineText = d.getText({ start: { line: position.line, character: 0 }, end: position });
      return forecastCompletion(forecastOf(d), lineText, position.character);
    }),
  );

  connection.onDocumentSymbol(({ textDocument }) => {
    const d = documents.get(textDocument.uri);
    if (!d) return null;
    if (d.languageId === FORECAST_LANGUAGE_ID) return forecastSymbols(forecastOf(d));
    if (d.languageId === LOG_LANGUAGE_ID) return logSymbols(logOf(d));
    return null;
  });

  connection.onDocumentFormatting(({ textDocument }) =>
    withDoc(textDocument.uri, FORECAST_LANGUAGE_ID, (d) => forecastFormatting(forecastOf(d))),
  );

  connection.onCodeAction(({ textDocument, range, context }) =>
    withDoc(textDocument.uri, FORECAST_LANGUAGE_ID, (d) =>
      forecastCodeActions(
        forecastOf(d),
        range,
        context.diagnostics.filter((x) => x.source === SOURCE),
      ),
    ),
  );

  connection.onCodeLens(({ textDocument }) =>
    withDoc(textDocument.uri, FORECAST_LANGUAGE_ID, (d) => forecastCodeLenses(forecastOf(d))),
  );

  connection.onDocumentLinks(({ textDocument }) =>
    withDoc(textDocument.uri, LOG_LANGUAGE_ID, (d) => logLinks(logOf(d))),
  );

  connection.onRequest(forecastSummaryRequest, ({ uri }) =>
    withDoc(uri, FORECAST_LANGUAGE_ID, (d) => forecastSummary(forecastOf(d))),
  );

  // ------------------------------------------------------------ logs VS Code does not sync (> 50 MB)
  const finishLarge = (uri: string, l: LargeLog) => {
    if (l.closed) return;
    l.analysis = l.scanner.finish();
    publishLog(uri, l.analysis, l.chars, l.started);
  };

  connection.onNotification(openLargeLogNotification, ({ uri, source }) => {
    const previous = largeLogs.get(uri);
    if (previous) previous.closed = true;
    const l: LargeLog = {
      scanner: new LogScanner(),
      nextSeq: 0,
      chars: 0,
      started: performance.now(),
      closed: false,
    };
    largeLogs.set(uri, l);
    if (source !== 'file') return;
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch (err) {
      connection.console.error(`solvereign: cannot read ${uri}: ${(err as Error).message}`);
      return;
    }
    // Streamed so a huge log never exists as one string in this process.
    const stream = createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 });
    stream.on('data', (chunk) => {
      if (l.closed) {
        stream.destroy();
        return;
      }
      l.chars += (chunk as string).length;
      l.scanner.push(chunk as string);
    });
    stream.on('error', (err) => connection.console.error(`solvereign: cannot read ${path}: ${err.message}`));
    stream.on('end', () => finishLarge(uri, l));
  });

  connection.onNotification(largeLogChunkNotification, (p: LargeLogChunkParams) => {
    const l = largeLogs.get(p.uri);
    if (!l || l.closed || p.seq !== l.nextSeq) return;
    l.nextSeq++;
    l.chars += p.text.length;
    l.scanner.push(p.text);
    if (p.last) finishLarge(p.uri, l);
  });

  connection.onNotification(closeLargeLogNotification, ({ uri }) => {
    const l = largeLogs.get(uri);
    if (l) l.closed = true;
    largeLogs.delete(uri);
    void connection.sendDiagnostics({ uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
}
