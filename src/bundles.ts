// The extension's parts that load on first use, each built by esbuild.mjs as its own bundle. The
// path is computed at run time, so esbuild leaves the require alone and the part stays out of
// dist/extension.js (what activation loads).
import path from 'node:path';

export const LAZY_BUNDLES = {
  /** The HTTP client with axios and the API's zod schemas (src/api/client.ts), made on first connect. */
  apiClient: 'api-client',
  /** vscode-languageclient and the forecast/log commands (src/language/client.ts). */
  languageClient: 'language-client',
  /** The procedures' engine, flows and VS Code host (src/procedures/vscode/procedureCommands.ts). */
  procedures: 'procedures',
  /** The report panels' host and report builders (src/webviews/reportsHost.ts). */
  reports: 'reports',
  /** Creating and changing incidents from the Incidents view (src/views/incidents/incidentCommands.ts). */
  incidentCommands: 'incident-commands',
  /** Sign-in, environment/site pickers and sandbox start (src/commands/connectionPrompts.ts). */
  connectionPrompts: 'connection-prompts',
  /** The verified evidence-pack cache of the L3 workspace (src/evidence/runEvidence.ts). */
  evidence: 'evidence',
  /** The L3 workspace: evidence as files, findings as diagnostics, audits as tests (src/l3/bundle.ts). */
  l3: 'l3',
} as const;

export function loadBundle<T>(
  extensionPath: string,
  name: (typeof LAZY_BUNDLES)[keyof typeof LAZY_BUNDLES],
): T {
  return require(path.join(extensionPath, 'dist', `${name}.js`)) as T;
}
