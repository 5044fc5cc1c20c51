// Renders the sites model as a VS Code tree. Errors become rows with a retry action.
import * as vscode from 'vscode';
import type { ServerCapabilities } from '../../api/capabilities';
import type { SolvereignClient } from '../../api/client';
import type { ConnectionManager } from '../../connection/connectionManager';
import type { Environment } from '../../connection/environments';
import {
  activeEnvironmentAccessibleName,
  activeEnvironmentDescription,
  capabilityRow,
  type FactRow,
  factAccessibleName,
  factRows,
  loadSiteFacts,
  otherEnvironmentAccessibleName,
  type SiteRef,
  siteAccessibleName,
  sitesOf,
  tenantAccessibleName,
} from './sitesModel';

export type SitesNode =
  | { kind: 'environment'; env: Environment; active?: boolean; signedIn?: boolean }
  | { kind: 'tenant'; env: Environment; tenant: string; tenantName?: string; sites: SiteRef[] }
  | { kind: 'site'; env: Environment; ref: SiteRef; active: boolean }
  | { kind: 'fact'; row: FactRow }
  | { kind: 'message'; label: string; detail?: string; retry?: boolean };

const LEVEL_ICON: Record<FactRow['level'], vscode.ThemeIcon> = {
  ok: new vscode.ThemeIcon('pass', new vscode.ThemeColor('solvereign.passedIcon')),
  warn: new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground')),
  error: new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground')),
  info: new vscode.ThemeIcon('info'),
};

export class SitesProvider implements vscode.TreeDataProvider<SitesNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<SitesNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly connection: ConnectionManager,
    /** The server's detected capabilities (cached per server); omitted: no capability row. */
    private readonly capabilities?: (client: SolvereignClient) => Promise<ServerCapabilities>,
  ) {
    this.subscription = connection.onDidChange(() => this.refresh());
  }

  refresh(): void {
    this.emitter.fire(undefined);
  }

  getTreeItem(node: SitesNode): vscode.TreeItem {
    switch (node.kind) {
      case 'environment': {
        if (node.active === false) {
          // Another environment: a switcher row.
          const item = new vscode.TreeItem(node.env.name, vscode.TreeItemCollapsibleState.None);
          item.id = `env:${node.env.id}`;
          const signIn =
            node.signedIn === undefined ? '' : node.signedIn ? ' · signed in' : ' · not signed in';
          item.description = `${node.env.tenant}/${node.env.site}${signIn} · click to switch`;
          item.iconPath = new vscode.ThemeIcon(node.env.isLocalSandbox ? 'vm-outline' : 'cloud');
          item.contextValue = `environment.inactive${node.env.isLocalSandbox ? '.sandbox' : ''}`;
          item.tooltip = `${node.env.name}\n${node.env.url}\nSwitch to this environment`;
          item.accessibilityInformation = {
            label: otherEnvironmentAccessibleName(node.env, node.signedIn),
            role: 'button',
          };
          item.command = {
            command: 'solvereign.selectEnvironment',
            title: 'Select Environment',
            arguments: [node.env.id],
          };
          return item;
        }
        const item = new vscode.TreeItem(node.env.name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `env:${node.env.id}`;
        item.description = activeEnvironmentDescription(
          node.env.url,
          this.connection.state,
          this.connection.session
            ? { email: this.connection.session.email, role: this.connection.session.role_name }
            : undefined,
        );
        item.iconPath = new vscode.ThemeIcon(node.env.isLocalSandbox ? 'vm' : 'cloud');
        item.contextValue = `environment${node.env.isLocalSandbox ? '.sandbox' : ''}`;
        item.tooltip = `${node.env.name} (active)\n${node.env.url}\n${this.connection.describeState()}`;
        const session = this.connection.session;
        item.accessibilityInformation = {
          label: activeEnvironmentAccessibleName(
            node.env.name,
            this.connection.state === 'ready' ? 'connected' : this.connection.describeState(),
            session ? { email: session.email, role: session.role_name } : undefined,
          ),
        };
        return item;
      }
      case 'tenant': {
        const item = new vscode.TreeItem(node.tenant, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `tenant:${node.env.id}:${node.tenant}`;
        item.description = node.tenantName;
        item.iconPath = new vscode.ThemeIcon('organization');
        item.contextValue = 'tenant';
        item.accessibilityInformation = { label: tenantAccessibleName(node.tenant, node.tenantName) };
        return item;
      }
      case 'site': {
        const item = new vscode.TreeItem(node.ref.site, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `site:${node.env.id}:${node.ref.tenant}/${node.ref.site}`;
        item.description = `${node.ref.siteName ?? ''}${node.active ? ' (active)' : ''}`.trim();
        item.iconPath = new vscode.ThemeIcon('location');
        item.contextValue = node.active ? 'site.active' : 'site';
        item.accessibilityInformation = { label: siteAccessibleName(node.ref, node.active) };
        item.command = node.active
          ? undefined
          : {
              command: 'solvereign.selectSite',
              title: 'Select Site',
              arguments: [node.ref.tenant, node.ref.site],
            };
        return item;
      }
      case 'fact': {
        const item = new vscode.TreeItem(node.row.label, vscode.TreeItemCollapsibleState.None);
        item.id = `fact:${node.row.id}`;
        item.description = node.row.description;
        item.iconPath = LEVEL_ICON[node.row.level];
        item.tooltip = node.row.tooltip ?? `${node.row.label}: ${node.row.description}`;
        item.contextValue = `fact.${node.row.id.split('/').pop()}`;
        item.accessibilityInformation = { label: factAccessibleName(node.row) };
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
        item.description = node.detail;
        item.tooltip = node.detail;
        item.iconPath = new vscode.ThemeIcon(node.retry ? 'error' : 'info');
        if (node.retry) {
          item.contextValue = 'message.retry';
          item.command = { command: 'solvereign.refresh', title: 'Retry' };
        }
        return item;
      }
    }
  }

  async getChildren(node?: SitesNode): Promise<SitesNode[]> {
    const env = this.connection.active;
    if (!node) {
      if (!env) return [];
      // The active environment first (expanded), then the others as switcher rows.
      const others = this.connection.environments.filter((e) => e.id !== env.id);
      const signedIn = await Promise.all(
        others.map((e) => this.connection.hasStoredCredential(e.id).catch(() => undefined)),
      );
      return [
        { kind: 'environment', env, active: true },
        ...others.map(
          (e, n): SitesNode => ({ kind: 'environment', env: e, active: false, signedIn: signedIn[n] }),
        ),
      ];
    }
    if (node.kind === 'environment') {
      if (node.active === false) return [];
      if (this.connection.state !== 'ready') {
        return [
          {
            kind: 'message',
            label: this.connection.describeState(),
            detail: this.connection.problem,
            retry: this.connection.state === 'unreachable',
          },
        ];
      }
      const tenants: SitesNode[] = sitesOf(node.env, this.connection.session).map((t) => ({
        kind: 'tenant',
        env: node.env,
        ...t,
      }));
      const client = this.connection.client;
      if (!client || !this.capabilities) return tenants;
      const server: SitesNode = await this.capabilities(client).then(
        (caps): SitesNode => ({ kind: 'fact', row: capabilityRow(node.env.id, caps) }),
        (e): SitesNode => ({
          kind: 'message',
          label: 'Server capabilities unknown',
          detail: `${(e as Error).message}; every feature is tried and a missing one says so`,
        }),
      );
      return [server, ...tenants];
    }
    if (node.kind === 'tenant') {
      return node.sites.map((ref) => ({
        kind: 'site',
        env: node.env,
        ref,
        active: ref.tenant === node.env.tenant && ref.site === node.env.site,
      }));
    }
    if (node.kind === 'site') {
      const client = this.connection.client;
      if (!client) return [{ kind: 'message', label: this.connection.describeState() }];
      const facts = await loadSiteFacts(client, node.ref);
      const rows: SitesNode[] = factRows(facts).map((row) => ({ kind: 'fact', row }));
      if (facts.error)
        rows.push({ kind: 'message', label: 'Could not load site status', detail: facts.error, retry: true });
      return rows;
    }
    return [];
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
