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

/** A server feature a procedure may need that not every server has (live lacks them). */
export type ProcedureCapability = 'killSwitch' | 'fireDrills' | 'incidents' | 'drift' | 'driftBaseline';

/**
 * What this server offers, as far as the procedures need it, and the exact working fallback where
 * it does not (the table of src/api/capabilities.ts, handed in by the extension and the CLI).
 */
export interface ProcedureCapabilities {
  /** false = not offered by this server; absent = assume it is. */
  offered: Partial<Record<ProcedureCapability, boolean>>;
  /** One sentence: what is not offered, what to do instead and where. */
  fallbackText(c: ProcedureCapability): string;
  /** The server-side kill-switch command, filled in (it runs on the server, not here). */
  killSwitchCommand(action: 'disable' | 'enable', by: string, reason: string): string;
  /** What the user must know about the server's switch ("global: every site"). */
  killSwitchScope?: string;
}

export function offered(env: Pick<ProcedureEnv, 'capabilities'>, c: ProcedureCapability): boolean {
  return env.capabilities?.offered[c] !== false;
}

export interface ProcedureHost {
  /** Puts text on the clipboard (a fallback command to run elsewhere). */
  copyToClipboard(text: string): Promise<void>;
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
  /** What the server offers; undefined until detected (then every feature is assumed). */
  capabilities?: ProcedureCapabilities;
  signal: AbortSignal;
  now: () => Date;
}
