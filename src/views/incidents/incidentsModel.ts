// The Incidents tree's data, independent of VS Code: incidents from the server and from the
// workspace file, each labelled by source, with their SLA clock and escalation. vscode-free.
import type { Incident } from '../../api/schemas';
import {
  describeSla,
  formatDuration,
  type IncidentSource,
  isActive,
  type SlaOptions,
  type SlaStatus,
  slaStatus,
} from '../../incidents/sla';
import { accessibleName, LEVEL_WORDS } from '../accessibleName';

export interface SourceState {
  source: IncidentSource;
  incidents: Incident[];
  /** Why the source could not be read (the tree shows it as a row). */
  error?: string;
  /** The server lacks the [ops] incidents endpoint; `fallback` says what to do instead. */
  unsupported?: string;
  /** Workspace only: the file, and whether it is unparseable (writes refuse it). */
  path?: string;
  broken?: boolean;
  /** Not available here (not signed in, no workspace folder). */
  unavailable?: string;
}

export interface IncidentsSnapshot {
  server: SourceState;
  workspace: SourceState;
  loadedAt: Date;
}

export interface IncidentsClient {
  incidents(): Promise<{ incidents: Incident[] }>;
}

export async function loadServerIncidents(
  client: IncidentsClient | undefined,
  why: string,
): Promise<SourceState> {
  if (!client) return { source: 'server', incidents: [], unavailable: why };
  try {
    const r = await client.incidents();
    return { source: 'server', incidents: r.incidents };
  } catch (e) {
    const err = e as { kind?: string; fallback?: string; message?: string };
    if (err.kind === 'unsupported')
      return {
        source: 'server',
        incidents: [],
        unsupported: `This server has no incidents endpoint. ${err.fallback ?? ''}`.trim(),
      };
    return { source: 'server', incidents: [], error: err.message ?? String(e) };
  }
}

export async function loadWorkspaceIncidents(file: string | undefined): Promise<SourceState> {
  if (!file)
    return {
      source: 'workspace',
      incidents: [],
      unavailable: 'Open a folder to track incidents in .claude/state/active-incidents.json.',
    };
  // The reader validates with the incident schema (zod): loaded when a file is first read.
  // (require, not import(): bundled, it still runs only here; under a TypeScript runner it resolves)
  const { IncidentFileError, readIncidentFile } =
    require('../../incidents/workspaceIncidentStore') as typeof import('../../incidents/workspaceIncidentStore');
  try {
    const c = await readIncidentFile(file);
    return { source: 'workspace', incidents: c.incidents, path: file };
  } catch (e) {
    return {
      source: 'workspace',
      incidents: [],
      path: file,
      error: (e as Error).message,
      broken: e instanceof IncidentFileError && e.reason !== 'io',
    };
  }
}

const SEVERITY_RANK: Record<Incident['severity'], number> = { S0: 0, S1: 1, S2: 2, S3: 3 };

/** Active first, then by severity, then newest first. */
export function sortIncidents(list: readonly Incident[]): Incident[] {
  return [...list].sort((a, b) => {
    const act = Number(isActive(b.status)) - Number(isActive(a.status));
    if (act) return act;
    const sev = SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity];
    if (sev) return sev;
    return b.created_at.localeCompare(a.created_at);
  });
}

export function isCritical(i: Incident): boolean {
  return (i.severity === 'S0' || i.severity === 'S1') && isActive(i.status);
}

/** The view badge: open S0/S1 incidents of both sources. */
export function criticalOpenCount(s: IncidentsSnapshot | undefined): number {
  return openSevere(s).critical;
}

/** Open S0/S1 incidents of both sources, and how many of them are S0 (the status bar). */
export function openSevere(s: IncidentsSnapshot | undefined): { critical: number; s0: number } {
  if (!s) return { critical: 0, s0: 0 };
  const open = [...s.server.incidents, ...s.workspace.incidents].filter(isCritical);
  return { critical: open.length, s0: open.filter((i) => i.severity === 'S0').length };
}

export interface IncidentRow {
  label: string;
  description: string;
  tooltip: string;
  /** Name, status, SLA state and escalation: what the row shows, in words. */
  accessibleName: string;
  sla: SlaStatus;
}

/** The incident's own row: "S1 Solver fails" / "investigating · resolution SLA 3h left · → Platform Lead in 12m". */
export function incidentRow(i: Incident, now: Date, opts: SlaOptions = {}): IncidentRow {
  const sla = slaStatus(i, now, opts);
  const d = describeSla(sla);
  const description = [i.status, sla.active ? d.sla : '', d.escalation].filter(Boolean).join(' · ');
  const tooltip = [
    `${i.id} — ${i.severity} ${i.type}, ${i.status}`,
    i.summary,
    `Tenant: ${i.tenant_id ?? 'platform-wide'} · assigned to: ${i.assigned_to ?? 'nobody'}`,
    `Created ${i.created_at}${i.updated_at ? ` · updated ${i.updated_at}` : ''}`,
    `${sla.tier.tier} SLA: respond by ${sla.responseDueAt.toISOString()}, resolve by ${sla.resolutionDueAt.toISOString()}`,
    `Escalation: ${sla.escalation.rule.text}`,
  ].join('\n');
  const label = `${i.severity} ${i.summary}`;
  return { label, description, tooltip, accessibleName: accessibleName(label, description), sla };
}

export interface DetailRow {
  id: string;
  label: string;
  description: string;
  level: 'ok' | 'warn' | 'error' | 'info';
}

/** The rows under an incident: status, SLA, escalation, contacts, root cause, timeline. */
export function incidentDetailRows(i: Incident, now: Date, opts: SlaOptions = {}): DetailRow[] {
  const s = slaStatus(i, now, opts);
  const d = describeSla(s);
  const rows: DetailRow[] = [
    {
      id: 'status',
      label: 'Status',
      description: `${i.status} (${i.type})`,
      level: s.active ? 'warn' : 'ok',
    },
    {
      id: 'sla',
      label: `SLA (${s.tier.tier})`,
      description: s.active
        ? `${d.sla} — due ${s.dueAt?.toISOString()}`
        : `stopped (${i.status}${i.resolved_at ? ` at ${i.resolved_at}` : ''})`,
      level: !s.active ? 'ok' : s.breached ? 'error' : 'info',
    },
    { id: 'first-contact', label: 'First contact', description: s.firstContact.label, level: 'info' },
  ];
  if (s.active) {
    rows.push({
      id: 'escalation',
      label: s.escalation.due ? 'Escalated' : 'Escalates next',
      description: s.escalation.due
        ? `to ${s.escalation.to.label} (since ${formatDuration(-s.escalation.inMs)})`
        : `to ${s.escalation.to.label} in ${formatDuration(s.escalation.inMs)} (${s.escalation.at.toISOString()})`,
      level: s.escalation.due ? 'error' : 'info',
    });
  }
  rows.push({ id: 'assigned', label: 'Assigned to', description: i.assigned_to ?? 'nobody', level: 'info' });
  if (i.root_cause)
    rows.push({ id: 'root-cause', label: 'Root cause', description: i.root_cause, level: 'info' });
  const timeline = [...(i.timeline ?? [])].reverse().slice(0, 20);
  timeline.forEach((t, n) => {
    rows.push({
      id: `timeline-${n}`,
      label: t.timestamp.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
      description: `${t.action}${t.actor ? ` — ${t.actor}` : ''}`,
      level: 'info',
    });
  });
  return rows;
}

/** Reads a command's incident argument: a tree node, {source, id}, {incident}, or an id. */
export function incidentRefFromArg(arg: unknown): { source?: IncidentSource; id: string } | undefined {
  if (typeof arg === 'string') return /^INC-/.test(arg) ? { id: arg } : undefined;
  if (!arg || typeof arg !== 'object') return undefined;
  const o = arg as { source?: unknown; id?: unknown; incident?: { id?: unknown } };
  const source = o.source === 'server' || o.source === 'workspace' ? o.source : undefined;
  if (typeof o.id === 'string') return { source, id: o.id };
  if (o.incident && typeof o.incident.id === 'string') return { source, id: o.incident.id };
  return undefined;
}

// ---------------------------------------------------------------- accessible names of the rows

/** A source group: "Server incidents, Local sandbox lts/wien, 1 active"; the file group is named, not a path. */
export function sourceGroupAccessibleName(
  source: IncidentSource,
  where: string | undefined,
  activeCount: number | undefined,
): string {
  return accessibleName(
    source === 'server' ? 'Server incidents' : 'Workspace file incidents',
    source === 'server' ? where : undefined,
    activeCount !== undefined && `${activeCount} active`,
  );
}

export function closedGroupAccessibleName(count: number): string {
  return accessibleName('Closed incidents', String(count));
}

/** A detail row under an incident: "SLA (L2), problem, resolution SLA BREACHED (1d 16h) — due …". */
export function detailAccessibleName(row: DetailRow): string {
  return accessibleName(row.label, LEVEL_WORDS[row.level], row.description);
}
