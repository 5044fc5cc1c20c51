// Report webviews (audit, drift, fire drills) — owned by the reports work (issue 6).
import type * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the reports work
export interface ReportsApi {}

export function registerReports(_context: vscode.ExtensionContext, _services: ExtensionServices): ReportsApi {
  return {};
}
