// Runbook procedures SP-001..SP-006 and routines — owned by the procedures work (issue 5).
import type * as vscode from 'vscode';
import type { ExtensionServices } from '../services';

// biome-ignore lint/suspicious/noEmptyInterface: filled in by the procedures work
export interface ProceduresApi {}

export function registerProcedures(
  _context: vscode.ExtensionContext,
  _services: ExtensionServices,
): ProceduresApi {
  return {};
}
