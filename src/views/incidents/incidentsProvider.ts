// Renders incidents from the server and the workspace file as the Incidents tree: one group per
// source, active incidents first with severity icons, SLA countdown and next escalation; closed ones
// in a collapsed group; errors as rows with a retry (or "open the file") action.
import * as vscode from 'vscode';
import type { Incident } from '../../api/schemas';
import type { ConnectionManager } from '../../connection/connectionManager';
import type { IncidentSource, SlaOptions } from '../../incidents/sla';
import {
  closedGroupAccessibleName,
  type DetailRow,
  detailAccessibleName,
  type IncidentsSnapshot,
  incidentDetailRows,
  incidentRow,
  isCritical,
  loadServerIncidents,
  loadWorkspaceIncidents,
  type SourceState,
  sortIncidents,
  sourceGroupAccessibleName,
} from './incidentsModel';
import { isActive } from '../../incidents/sla';

export type IncidentsNode =
  | { kind: 'source'; source: IncidentSource }
  | { kind: 'incident'; source: IncidentSource; incident: Incident }
  | { kind: 'closed'; source: IncidentSource; incidents: Incident[] }
  | { kind: 'detail'; source: IncidentSource; incidentId: string; row: DetailRow }
  | {
      kind: 'message';
      source: IncidentSource;
      label: string;
      detail?: string;
      action?: 'retry' | 'openFile' | 'signIn';
    };

const SEVERITY_ICON: Record<Incident['severity'], vscode.ThemeIcon> = {
  S0: new vscode.ThemeIcon('flame', new vscode.ThemeColor('errorForeground')),
  S1: new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground')),
  S2: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  S3: new vscode.ThemeIcon('info'),
};
const LEVEL_ICON: Record<DetailRow['level'], vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('solvereign.passedIcon')),
  warn: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  info: new vscode.ThemeIcon('circle-small'),
};

export interface IncidentsProviderOptions {
  now: () => Date;
  slaOptions: () => SlaOptions;
  /** The workspace file's path (undefined without a folder). */
  filePath: () => string | undefined;
}

export class IncidentsProvider implements vscode.TreeDataProvider<IncidentsNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<IncidentsNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly loadedEmitter = new vscode.EventEmitter<IncidentsSnapshot>();
  /** Fires after each load (badge, status bar, notifications listen). */
  readonly onDidLoad = this.loadedEmitter.event;
  private current: IncidentsSnapshot | undefined;
  private loading: Promise<IncidentsSnapshot> | undefined;

  constructor(
    private readonly connection: ConnectionManager,
    private readonly options: IncidentsProviderOptions,
  ) {}

  get snapshot(): IncidentsSnapshot | undefined {
    return this.current;
  }

  /** Loads both sources again (one load at a time; callers during a load share it). */
  refresh(): Promise<IncidentsSnapshot> {
    if (!this.loading) {
      this.loading = this.load().finally(() => {
        this.loading = undefined;
      });
    }
    return this.loading;
  }

  /** Re-renders without loading (the SLA countdown moves with the clock). */
  rerender(): void {
    this.emitter.fire(undefined);
  }

  private async load(): Promise<IncidentsSnapshot> {
    const client = this.connection.state === 'ready' ? this.connection.client : undefined;
    const [server, workspace] = await Promise.all([
      loadServerIncidents(client, this.connection.describeState()),
      loadWorkspaceIncidents(this.options.filePath()),
    ]);
    this.current = { server, workspace, loadedAt: this.options.now() };
    this.emitter.fire(undefined);
    this.loadedEmitter.fire(this.current);
    return this.current;
  }

  find(id: string, source?: IncidentSource): { source: IncidentSource; incident: Incident } | undefined {
    const s = this.current;
    if (!s) return undefined;
    for (const st of [s.workspace, s.server]) {
      if (source && st.source !== source) continue;
      const incident = st.incidents.find((i) => i.id === id);
      if (incident) return { source: st.source, incident };
    }
    return undefined;
  }

  getTreeItem(node: IncidentsNode): vscode.TreeItem {
    switch (node.kind) {
      case 'source': {
        const st = this.state(node.source);
        const label = node.source === 'server' ? 'Server' : 'Workspace file';
        const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `incidents:${node.source}`;
        const active = st?.incidents.filter((i) => isActive(i.status)).length ?? 0;
        const where =
          node.source === 'server'
            ? this.connection.client
              ? `${this.connection.active?.name ?? ''} ${this.connection.client.tenant}/${this.connection.client.site}`.trim()
              : ''
            : '.claude/state/active-incidents.json';
        item.description = `${where}${st ? ` · ${active} active` : ''}`;
        item.tooltip =
          node.source === 'server'
            ? 'Incidents recorded on the SOLVEREIGN server'
            : `Incidents tracked in the workspace file${st?.path ? `\n${st.path}` : ''}`;
        item.accessibilityInformation = {
          label: sourceGroupAccessibleName(node.source, where, st ? active : undefined),
        };
        item.iconPath = new vscode.ThemeIcon(node.source === 'server' ? 'cloud' : 'file');
        item.contextValue = `incidents.source.${node.source}`;
        return item;
      }
      case 'incident': {
        const row = incidentRow(node.incident, this.options.now(), this.options.slaOptions());
        const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `incident:${node.source}:${node.incident.id}`;
        item.description = row.description;
        item.tooltip = `${row.tooltip}\nSource: ${node.source === 'server' ? 'server' : 'workspace file'}`;
        item.iconPath = isActive(node.incident.status)
          ? SEVERITY_ICON[node.incident.severity]
          : new vscode.ThemeIcon('pass', new vscode.ThemeColor('solvereign.passedIcon'));
        item.contextValue = `incident.${node.source}.${isActive(node.incident.status) ? 'active' : 'closed'}`;
        item.accessibilityInformation = { label: row.accessibleName };
        return item;
      }
      case 'closed': {
        const item = new vscode.TreeItem(
          `Closed (${node.incidents.length})`,
          vscode.TreeItemCollapsibleState.Collapsed,
        );
        item.id = `incidents:${node.source}:closed`;
        item.iconPath = new vscode.ThemeIcon('archive');
        item.contextValue = 'incidents.closed';
        item.accessibilityInformation = { label: closedGroupAccessibleName(node.incidents.length) };
        return item;
      }
      case 'detail': {
        const item = new vscode.TreeItem(node.row.label, vscode.TreeItemCollapsibleState.None);
        item.id = `incident:${node.source}:${node.incidentId}:${node.row.id}`;
        item.description = node.row.description;
        item.tooltip = `${node.row.label}: ${node.row.description}`;
        item.iconPath = LEVEL_ICON[node.row.level];
        item.contextValue = `incident.detail.${node.row.id.replace(/-\d+$/, '')}`;
        item.accessibilityInformation = { label: detailAccessibleName(node.row) };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.tooltip = node.detail ? `${node.label}\n${node.detail}` : node.label;
        item.iconPath = new vscode.ThemeIcon(
          node.action === 'retry' || node.action === 'openFile' ? 'error' : 'info',
        );
        item.contextValue = `message.${node.action ?? 'info'}`;
        if (node.action === 'retry')
          item.command = { command: 'solvereign.incidents.refresh', title: 'Retry' };
        if (node.action === 'openFile')
          item.command = { command: 'solvereign.incidents.openFile', title: 'Open File' };
        if (node.action === 'signIn') item.command = { command: 'solvereign.signIn', title: 'Sign In' };
        return item;
      }
    }
  }

  private state(source: IncidentSource): SourceState | undefined {
    return source === 'server' ? this.current?.server : this.current?.workspace;
  }

  async getChildren(node?: IncidentsNode): Promise<IncidentsNode[]> {
    if (!node) {
      if (!this.current) await this.refresh();
      const hasFolder = !!this.options.filePath();
      // Nothing to show at all: empty, so the view's welcome content explains.
      if (this.connection.state !== 'ready' && !hasFolder) return [];
      return [
        { kind: 'source', source: 'server' },
        { kind: 'source', source: 'workspace' },
      ];
    }
    if (node.kind === 'source') {
      const st = this.state(node.source);
      if (!st) return [];
      const rows: IncidentsNode[] = [];
      if (st.unavailable)
        rows.push({
          kind: 'message',
          source: node.source,
          label: st.unavailable,
          action: node.source === 'server' && this.connection.state === 'signedOut' ? 'signIn' : undefined,
        });
      if (st.unsupported) rows.push({ kind: 'message', source: node.source, label: st.unsupported });
      if (st.error)
        rows.push({
          kind: 'message',
          source: node.source,
          label: st.broken
            ? 'The incident file cannot be parsed — click to open it'
            : 'Could not load incidents — click to retry',
          detail: st.error,
          action: st.broken ? 'openFile' : 'retry',
        });
      const sorted = sortIncidents(st.incidents);
      const active = sorted.filter((i) => isActive(i.status));
      const closed = sorted.filter((i) => !isActive(i.status));
      for (const incident of active) rows.push({ kind: 'incident', source: node.source, incident });
      if (closed.length) rows.push({ kind: 'closed', source: node.source, incidents: closed });
      if (!rows.length) rows.push({ kind: 'message', source: node.source, label: 'No incidents' });
      return rows;
    }
    if (node.kind === 'closed')
      return node.incidents.map((incident) => ({ kind: 'incident', source: node.source, incident }));
    if (node.kind === 'incident') {
      return incidentDetailRows(node.incident, this.options.now(), this.options.slaOptions()).map((row) => ({
        kind: 'detail',
        source: node.source,
        incidentId: node.incident.id,
        row,
      }));
    }
    return [];
  }

  /** Open S0/S1 incidents of both sources. */
  criticalOpen(): number {
    const s = this.current;
    if (!s) return 0;
    return [...s.server.incidents, ...s.workspace.incidents].filter(isCritical).length;
  }

  dispose(): void {
    this.emitter.dispose();
    this.loadedEmitter.dispose();
  }
}
