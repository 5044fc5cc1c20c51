// What a procedure runs with: the API client, who and where, and a host for everything the editor
// does (files, documents, notifications, commands of other areas). The host is an interface so the
// flows run unchanged in the extension and in unit tests against an in-process sandbox.
import type { SolvereignClient } from '../api/client';
import type { Incident } from '../api/schemas';
import type { AnalysisApi } from './analysis/runner';
import type { Contact } from '../incidents/sla';
import type { ServerMutation } from '../shared/mutations';

export interface AlarmSpec {
  text: string;
  tooltip: string;
  /** Command (with arguments) the alarm item runs. */
  command?: { command: string; arguments?: unknown[] };
}

export interface ProcedureHost {
  /** `.claude/state/active-incidents.json` of the workspace (found=false when absent). */
  readWorkspaceIncidents(): Promise<{ incidents: Incident[]; found: boolean; error?: string }>;
  /** Appends an incident to the workspace file; returns its path. Throws without a workspace. */
  addWorkspaceIncident(incident: Incident): Promise<string>;
  commandExists(id: string): Promise<boolean>;
  executeCommand(id: string, ...args: unknown[]): Promise<unknown>;
  /** Reports a change the server confirmed, so views show it at once (hosts without views omit it). */
  mutated?(m: ServerMutation): void;
  /** Opens markdown as an untitled document (reports, notices, messages). */
  openMarkdown(content: string): Promise<void>;
  /**
   * Saves a document (a notice, a message) into the records folder and opens it from there, so it
   * is never lost as an unsaved Untitled document; returns the path, or undefined (opened untitled)
   * when no workspace folder is open.
   */
  saveAndOpen(name: string, content: string): Promise<string | undefined>;
  /** Writes into the records folder; undefined when no workspace folder is open. */
  saveFile(name: string, content: string): Promise<string | undefined>;
  /** Never awaited by a procedure (a notification resolves only when dismissed). */
  notify(
    level: 'info' | 'warn' | 'error',
    message: string,
    actions?: { title: string; run: () => void }[],
  ): void;
  contacts(): Contact[];
  setAlarm(alarm: AlarmSpec | undefined): void;
  showLog(): void;
  analysis(): AnalysisApi;
}

export interface ProcedureEnv {
  client: SolvereignClient;
  who: { email?: string; role?: string };
  environment: { name?: string; url?: string; tenant?: string; site?: string };
  host: ProcedureHost;
  signal: AbortSignal;
  now: () => Date;
}
