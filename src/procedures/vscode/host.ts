// The procedures' host in VS Code: the records folder, the workspace incident file, documents,
// notifications (never awaited), the alarm status bar item, other areas' commands, and the
// roster analysis worker.
import path from 'node:path';
import * as vscode from 'vscode';
import type { Incident as IncidentT } from '../../api/schemas';
import { type Config, SETTINGS } from '../../config';
import type { MutationReporter, ServerMutation } from '../../shared/mutations';
import type { Logger } from '../../connection/log';
import { addIncident, INCIDENT_FILE, incidentFilePath } from '../../incidents/workspaceIncidentStore';
import { type Contact, DEFAULT_CONTACTS, parseContacts } from '../../incidents/sla';
import { type AnalysisApi, workerAnalysis } from '../analysis/runner';
import type { AlarmSpec, ProcedureHost } from '../context';
import { parseIncidentFile } from '../lenientIncidentReader';
import { resolveRecordsFolder } from '../recordsFolder';
import { writeFileSafe } from '../../shared/safeWrite';

export const DEFAULT_RECORDS_FOLDER = SETTINGS['records.folder'].default;

function workspaceRoot(): vscode.Uri | undefined {
  return (
    vscode.workspace.workspaceFolders?.find((f) => f.uri.scheme === 'file')?.uri ??
    vscode.workspace.workspaceFolders?.[0]?.uri
  );
}

export function recordsFolder(config: Config): vscode.Uri | undefined {
  return recordsTarget(config)?.uri;
}

/**
 * The records folder: a workspace setting stays inside the workspace (a cloned repository's
 * settings must not send files elsewhere); a folder outside it only from the user's settings.
 */
function recordsTarget(config: Config): { uri: vscode.Uri; root?: string; ignored?: string } | undefined {
  const root = workspaceRoot();
  if (!root) return undefined;
  const { user, workspace } = config.layers('records.folder', root);
  if (root.scheme !== 'file') {
    const setting = workspace ?? user ?? DEFAULT_RECORDS_FOLDER;
    return { uri: vscode.Uri.joinPath(root, ...setting.split(/[\\/]+/).filter((p) => p && p !== '..')) };
  }
  const r = resolveRecordsFolder(root.fsPath, { user, workspace }, DEFAULT_RECORDS_FOLDER);
  return { uri: vscode.Uri.file(r.folder), root: r.root, ignored: r.ignored };
}

export class VscodeProcedureHost implements ProcedureHost, vscode.Disposable {
  private alarmItem: vscode.StatusBarItem | undefined;
  private analysisApi: AnalysisApi | undefined;
  alarmText: string | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: Logger,
    private readonly config: Config,
    private readonly reporter: MutationReporter,
  ) {}

  mutated(m: ServerMutation): void {
    this.reporter.mutated(m);
  }

  async readWorkspaceIncidents(): Promise<{ incidents: IncidentT[]; found: boolean; error?: string }> {
    const root = workspaceRoot();
    if (!root) return { incidents: [], found: false };
    const uri = vscode.Uri.joinPath(root, ...INCIDENT_FILE.split(/[\\/]/));
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(uri);
    } catch {
      return { incidents: [], found: false };
    }
    return { ...parseIncidentFile(Buffer.from(bytes).toString('utf8')), found: true };
  }

  async addWorkspaceIncident(incident: IncidentT): Promise<string> {
    const root = workspaceRoot();
    if (!root) throw new Error('no workspace folder is open');
    if (root.scheme !== 'file') throw new Error(`the workspace folder ${root.toString()} is not on disk`);
    // The sidebar's writer: atomic, keeps every other incident, never touches a file it cannot parse.
    const file = incidentFilePath(root.fsPath);
    await addIncident(file, incident);
    return file;
  }

  async commandExists(id: string): Promise<boolean> {
    return (await vscode.commands.getCommands(true)).includes(id);
  }

  executeCommand(id: string, ...args: unknown[]): Promise<unknown> {
    return Promise.resolve(vscode.commands.executeCommand(id, ...args));
  }

  async openMarkdown(content: string): Promise<void> {
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(doc, { preview: false, preserveFocus: true });
  }

  async copyToClipboard(text: string): Promise<void> {
    await vscode.env.clipboard.writeText(text);
  }

  async saveAndOpen(name: string, content: string): Promise<string | undefined> {
    const saved = await this.saveFile(name, content);
    if (saved === undefined) {
      await this.openMarkdown(content);
      return undefined;
    }
    const uri = saved.includes('://') ? vscode.Uri.parse(saved) : vscode.Uri.file(saved);
    await vscode.window.showTextDocument(uri, { preview: false, preserveFocus: true });
    return saved;
  }

  async saveFile(name: string, content: string): Promise<string | undefined> {
    const target = recordsTarget(this.config);
    if (!target) return undefined;
    if (target.ignored) this.log.warn(target.ignored);
    const uri = vscode.Uri.joinPath(target.uri, name);
    if (uri.scheme === 'file') {
      // On disk: no write through a planted link, workspace file modes kept.
      await writeFileSafe(uri.fsPath, content, { root: target.root });
      return uri.fsPath;
    }
    await vscode.workspace.fs.createDirectory(target.uri);
    await vscode.workspace.fs.writeFile(uri, Buffer.from(content));
    return uri.toString();
  }

  notify(
    level: 'info' | 'warn' | 'error',
    message: string,
    actions: { title: string; run: () => void }[] = [],
  ): void {
    const show =
      level === 'error'
        ? vscode.window.showErrorMessage
        : level === 'warn'
          ? vscode.window.showWarningMessage
          : vscode.window.showInformationMessage;
    void show(message, ...actions.map((a) => a.title)).then((picked) =>
      actions.find((a) => a.title === picked)?.run(),
    );
  }

  contacts(): Contact[] {
    const set = parseContacts(this.config.get('contacts'));
    // Roles the setting does not name keep the runbook's defaults (a message still has an address).
    const named = new Set(set.map((c) => c.role.toLowerCase()));
    return [...set, ...DEFAULT_CONTACTS.filter((d) => !named.has(d.role.toLowerCase()))];
  }

  setAlarm(alarm: AlarmSpec | undefined): void {
    this.alarmText = alarm?.text;
    if (!alarm) {
      this.alarmItem?.hide();
      return;
    }
    if (!this.alarmItem) {
      this.alarmItem = vscode.window.createStatusBarItem(
        'solvereign.procedures.alarm',
        vscode.StatusBarAlignment.Left,
        1000,
      );
      this.alarmItem.name = 'SOLVEREIGN alarm';
      this.alarmItem.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    }
    this.alarmItem.text = alarm.text;
    this.alarmItem.tooltip = alarm.tooltip;
    this.alarmItem.command = alarm.command ? { title: 'Retry', ...alarm.command } : undefined;
    this.alarmItem.show();
    this.log.error(`ALARM: ${alarm.tooltip}`);
  }

  showLog(): void {
    this.log.show();
  }

  analysis(): AnalysisApi {
    this.analysisApi ??= workerAnalysis(
      path.join(this.context.extensionPath, 'dist', 'procedures-analysis.js'),
    );
    return this.analysisApi;
  }

  dispose(): void {
    this.alarmItem?.dispose();
  }
}
