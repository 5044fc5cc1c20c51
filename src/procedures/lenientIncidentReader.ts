// The workspace incident file (`.claude/state/active-incidents.json`, runbook SP-001 step 3) as the
// procedures read it: valid incidents kept, the rest reported, never a crash. No `vscode` here.
// Writes go through src/incidents/workspaceIncidentStore.ts (whose strict reader refuses the whole file).
import type { Incident as IncidentT } from '../api/schemas';
import { INCIDENT_FILE, validateIncidentEntries } from '../incidents/workspaceIncidentStore';

/** Reads the workspace incident file, keeping the valid incidents and saying what is wrong with the rest. */
export function parseIncidentFile(text: string): { incidents: IncidentT[]; error?: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { incidents: [], error: `${INCIDENT_FILE} is not valid JSON (${(e as Error).message})` };
  }
  const list = raw && typeof raw === 'object' ? (raw as { incidents?: unknown }).incidents : undefined;
  if (!Array.isArray(list)) return { incidents: [], error: `${INCIDENT_FILE} has no "incidents" list` };
  const { valid, invalid } = validateIncidentEntries(list);
  const bad = invalid.map((x) => {
    const item = list[x.index];
    return `#${x.index + 1}${item && typeof item === 'object' && 'id' in item ? ` (${String((item as { id: unknown }).id)})` : ''}`;
  });
  return {
    incidents: valid,
    error: bad.length
      ? `${INCIDENT_FILE}: ${bad.length} invalid incident(s) skipped: ${bad.join(', ')}`
      : undefined,
  };
}
