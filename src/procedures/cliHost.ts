// The procedures' host outside the editor (the CLI): records and documents in a records folder,
// the workspace incident file of the current directory, notices on stderr, the roster analysis in
// process (loaded only when SP-002 asks for it). No `vscode` here.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Incident } from '../api/schemas';
import { addIncident, incidentFilePath, readIncidentFile } from '../incidents/workspaceIncidentStore';
import { type Contact, DEFAULT_CONTACTS } from '../incidents/sla';
import type { AnalysisApi } from './analysis/runner';
import type { AlarmSpec, ProcedureHost } from './context';

export interface CliHostOptions {
  /** The directory the CLI runs in (the workspace: its incident file). */
  cwd: string;
  /** Where records and documents go; undefined: nowhere (the record is printed). */
  recordsDir?: string;
  /** Notices for people (stderr). */
  say: (line: string) => void;
  contacts?: Contact[];
}

export class CliProcedureHost implements ProcedureHost {
  /** Documents a procedure opened (notices, messages): the CLI prints their paths. */
  readonly documents: { path?: string; content: string }[] = [];
  constructor(private readonly o: CliHostOptions) {}

  async copyToClipboard(text: string): Promise<void> {
    // No clipboard in a terminal: the command is printed to copy by hand.
    this.o.say(`Command to run on the server:\n  ${text}`);
  }
  async readWorkspaceIncidents(): Promise<{ incidents: Incident[]; found: boolean; error?: string }> {
    try {
      const f = await readIncidentFile(incidentFilePath(this.o.cwd));
      return { incidents: f.incidents, found: f.exists };
    } catch (e) {
      return { incidents: [], found: true, error: e instanceof Error ? e.message : String(e) };
    }
  }
  async addWorkspaceIncident(incident: Incident): Promise<string> {
    const file = incidentFilePath(this.o.cwd);
    await addIncident(file, incident);
    return file;
  }
  async commandExists(): Promise<boolean> {
    return false;
  }
  async executeCommand(id: string): Promise<unknown> {
    throw new Error(`${id} is an editor command; not available in the CLI`);
  }
  async openMarkdown(content: string): Promise<void> {
    this.documents.push({ content });
  }
  async saveAndOpen(name: string, content: string): Promise<string | undefined> {
    const p = await this.saveFile(name, content);
    this.documents.push({ path: p, content });
    return p;
  }
  async saveFile(name: string, content: string): Promise<string | undefined> {
    if (!this.o.recordsDir) return undefined;
    await mkdir(this.o.recordsDir, { recursive: true });
    const p = path.join(this.o.recordsDir, path.basename(name));
    await writeFile(p, content, { flag: 'wx' }).catch(async (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EEXIST') throw e;
      await writeFile(p, content);
    });
    return p;
  }
  notify(level: 'info' | 'warn' | 'error', message: string): void {
    if (level !== 'info') this.o.say(`${level === 'error' ? 'error' : 'warning'}: ${message}`);
  }
  contacts(): Contact[] {
    return [...(this.o.contacts ?? DEFAULT_CONTACTS)];
  }
  setAlarm(alarm: AlarmSpec | undefined): void {
    if (alarm) this.o.say(`ALARM: ${alarm.tooltip}`);
  }
  showLog(): void {}
  analysis(): AnalysisApi {
    // The roster engine is loaded on first use: only SP-002 needs it.
    return new Proxy({} as AnalysisApi, {
      get:
        (_t, op: string) =>
        async (...args: unknown[]) => {
          const { analysis } = await import('./analysis/index');
          const { inProcessAnalysis } = await import('./analysis/runner');
          const api = inProcessAnalysis(analysis) as unknown as Record<string, (...a: unknown[]) => unknown>;
          const fn = api[op];
          if (!fn) throw new Error(`no roster analysis "${op}"`);
          return fn(...args);
        },
    });
  }
}
