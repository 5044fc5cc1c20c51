// The language client's and server's shared vocabulary: language ids, command ids, settings and the
// custom requests/notifications. Imported by both sides, so it must not import `vscode` (the server
// runs in a plain Node process) nor anything heavier than the JSON-RPC message types.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import { COMMANDS } from './ids';

export {
  COMMANDS,
  DEFAULT_MAX_LOG_DIAGNOSTICS,
  FORECAST_LANGUAGE_ID,
  LOG_LANGUAGE_ID,
  VSCODE_SYNC_LIMIT_CHARS,
} from './ids';

/** The server's settings, as sent in `initializationOptions` and `workspace/didChangeConfiguration`. */
export interface ServerSettings {
  maxLogDiagnostics: number;
}

export interface ForecastDaySummary {
  /** `Mo` ... `So`. */
  day: string;
  /** Tours after multiplying counts. */
  tours: number;
  workMinutes: number;
}

export interface ForecastSummary {
  uri: string;
  verdict: 'PASS' | 'WARN' | 'FAIL';
  /** Tours after multiplying counts. */
  tours: number;
  /** Lines that describe a tour (valid or not). */
  tourLines: number;
  passed: number;
  warned: number;
  failed: number;
  duplicateLines: number;
  inputHash: string;
  days: ForecastDaySummary[];
  /** `# Week: 2026-W03` from the file's header comment, if present and an existing ISO week. */
  week: string | null;
  /** One line for a notification. */
  message: string;
  /** 1-based lines that FAIL: a forecast with any is not solved. */
  failedLines: number[];
}

export interface UriParams {
  uri: string;
}

/** Summary of a forecast the server has open (the "Check" code lens). */
export const forecastSummaryRequest = new RequestType<UriParams, ForecastSummary | null, void>(
  'solvereign/forecastSummary',
);

export interface OpenLargeLogParams {
  uri: string;
  /**
   * How the text arrives: `file` = the server reads the file itself from disk (file: URIs, same
   * machine as the extension host); `chunks` = the client sends it with `largeLogChunk`.
   */
  source: 'file' | 'chunks';
}

export interface LargeLogChunkParams {
  uri: string;
  /** 0-based, consecutive. */
  seq: number;
  text: string;
  last: boolean;
}

/** Server -> client when a log has been analysed (tests and the bench wait for it). */
export interface LogAnalyzedParams {
  uri: string;
  lines: number;
  /** UTF-16 characters read. */
  chars: number;
  findings: number;
  diagnostics: number;
  omitted: number;
  runs: number;
  millis: number;
}

export const openLargeLogNotification = new NotificationType<OpenLargeLogParams>('solvereign/openLargeLog');
export const largeLogChunkNotification = new NotificationType<LargeLogChunkParams>(
  'solvereign/largeLogChunk',
);
export const closeLargeLogNotification = new NotificationType<UriParams>('solvereign/closeLargeLog');
export const logAnalyzedNotification = new NotificationType<LogAnalyzedParams>('solvereign/logAnalyzed');

/** Chunk size the client uses for `largeLogChunk` (JSON-RPC messages stay well below IPC limits). */
export const LARGE_LOG_CHUNK_CHARS = 4 * 1024 * 1024;

/** Document link target that reveals a run (command URI with a JSON array of arguments). */
export function revealRunCommandUri(runId: string): string {
  return `command:${COMMANDS.revealRun}?${encodeURIComponent(JSON.stringify([runId]))}`;
}
