// Ids shared by the activation code, the lazily loaded language client and the server. No imports:
// the activation bundle includes this file and must stay small.

export const FORECAST_LANGUAGE_ID = 'solvereign-forecast';
export const LOG_LANGUAGE_ID = 'solvereign-log';

export const COMMANDS = {
  forecastCheck: 'solvereign.forecast.check',
  forecastSolve: 'solvereign.forecast.solve',
  restartServer: 'solvereign.restartLanguageServer',
  /** Built by the Runs view; the log server only produces links to it. */
  revealRun: 'solvereign.revealRun',
} as const;

/** `solvereign.logs.maxDiagnostics`: diagnostics per log file before the rest are summarised. */
export const DEFAULT_MAX_LOG_DIAGNOSTICS = 1000;

/**
 * VS Code does not synchronise a text model to the extension host when its text is longer than
 * 50 * 1024 * 1024 characters (TextModel._MODEL_SYNC_LIMIT, decided once when the model is created;
 * `shouldSynchronizeModel` is false): no didOpen reaches the language client, `workspace.textDocuments`
 * does not list it, and `openTextDocument` rejects. Such logs go through `openLargeLog` instead.
 */
export const VSCODE_SYNC_LIMIT_CHARS = 50 * 1024 * 1024;

/** File names of the log language (package.json `contributes.languages` says the same). */
export function isSolvereignLogName(fileName: string): boolean {
  const base = fileName.replace(/^.*[\\/]/, '').toLowerCase();
  return base === 'api.log' || base === 'solver.log' || base.endsWith('.solvereign.log');
}
