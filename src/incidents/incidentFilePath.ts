// Where a workspace keeps its incidents (the runbook's state file), apart from reading it: the trees
// need the path at activation, the reader (with the incident schema) loads when the file is read.
import path from 'node:path';

export const INCIDENT_FILE = path.join('.claude', 'state', 'active-incidents.json');

export function incidentFilePath(workspaceFolder: string): string {
  return path.join(workspaceFolder, INCIDENT_FILE);
}
