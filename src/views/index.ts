// Sidebar wiring (Runs and Incidents trees, status bar) — owned by the sidebar work (issue 4).
import type * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the sidebar work
export interface SidebarApi {}

export function registerSidebar(_context: vscode.ExtensionContext, _services: ExtensionServices): SidebarApi {
  return {};
}
