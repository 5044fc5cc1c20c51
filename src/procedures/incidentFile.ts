// The workspace incident file (`.claude/state/active-incidents.json`, runbook SP-001 step 3) as the
// procedures read it: valid incidents kept, the rest reported, never a crash. No `vscode` here.
// Writes go through src/incidents/incidentFile.ts (whose strict reader refuses the whole file).
import { Incident, type Incident as IncidentT } from '../api/schemas';
import { INCIDENT_FILE } from '../incidents/incidentFile';

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
  const incidents: IncidentT[] = [];
  const bad: string[] = [];
  list.forEach((item, i) => {
    const r = Incident.safeParse(item);
    if (r.success) incidents.push(r.data);
    else
      bad.push(
        `#${i + 1}${item && typeof item === 'object' && 'id' in item ? ` (${String((item as { id: unknown }).id)})` : ''}`,
      );
  });
  return {
    incidents,
    error: bad.length
      ? `${INCIDENT_FILE}: ${bad.length} invalid incident(s) skipped: ${bad.join(', ')}`
      : undefined,
  };
}
