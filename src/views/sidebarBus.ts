// The sidebar's shared hooks between the Sites tree (created in extension.ts) and the rest of the
// sidebar (registerSidebar): a "refresh the sites" signal for the periodic refresh, and a probe that
// says whether an environment has a stored sign-in (for the environment rows).
import * as vscode from 'vscode';

const refreshSites = new vscode.EventEmitter<void>();

export const sidebarBus = {
  /** Fired by the sidebar's scheduler; the Sites tree re-renders. */
  onDidRequestSitesRefresh: refreshSites.event,
  requestSitesRefresh(): void {
    refreshSites.fire();
  },
  /** Set by registerSidebar: whether an environment has credentials in SecretStorage. */
  signedInProbe: undefined as ((environmentId: string) => Promise<boolean>) | undefined,
};
