// Creating and changing an incident, the same way wherever it lives: the workspace incident file
// (workspaceIncidentStore.ts) and the sandbox's incident endpoints. Pure: a clock and an author come in, a
// schema-valid incident goes out.
import { randomBytes } from 'node:crypto';
import {
  INCIDENT_ID,
  Incident,
  type IncidentCreate,
  type IncidentPatch,
  type IncidentStatus,
} from '../api/schemas';

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** `INC-YYYYMMDD-XXXXXX` (UTC date, six random capitals/digits). */
export function newIncidentId(now: Date, random: (n: number) => Buffer = randomBytes): string {
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  const bytes = random(6);
  let code = '';
  for (let i = 0; i < 6; i++) code += ID_ALPHABET[bytes[i] % ID_ALPHABET.length];
  const id = `INC-${date}-${code}`;
  if (!INCIDENT_ID.test(id)) throw new Error(`generated incident id ${id} does not match the schema`);
  return id;
}

/** A complete, schema-valid incident from what a person (or a procedure) says about it. */
export function draftIncident(
  create: IncidentCreate,
  opts: { now: Date; actor?: string | null; id?: string },
): Incident {
  const at = opts.now.toISOString();
  const status: IncidentStatus = create.status ?? 'new';
  const incident: Incident = {
    id: opts.id ?? newIncidentId(opts.now),
    type: create.type,
    severity: create.severity,
    status,
    tenant_id: create.tenant_id ?? null,
    summary: create.summary,
    created_at: at,
    updated_at: at,
    resolved_at: status === 'resolved' ? at : null,
    assigned_to: create.assigned_to ?? null,
    root_cause: null,
    evidence: create.evidence ?? [],
    timeline: [
      ...(create.timeline ?? []),
      { timestamp: at, action: 'Incident created', actor: opts.actor ?? null },
    ],
  };
  return Incident.parse(incident);
}

export interface IncidentFilePatch extends IncidentPatch {
  /** Clock and author of the change (timeline entries, updated_at, resolved_at). */
  now?: Date;
  actor?: string | null;
}

/** Applies a patch the way the server does (status/severity changes and notes go to the timeline). */
export function applyIncidentPatch(incident: Incident, patch: IncidentFilePatch): Incident {
  const now = patch.now ?? new Date();
  const at = now.toISOString();
  const actor = patch.actor ?? null;
  const i: Incident = { ...incident, timeline: [...(incident.timeline ?? [])] };
  if (patch.status && patch.status !== i.status) {
    i.timeline!.push({ timestamp: at, action: `Status ${i.status} -> ${patch.status}`, actor });
    i.resolved_at = patch.status === 'resolved' ? at : null;
    i.status = patch.status;
  }
  if (patch.severity && patch.severity !== i.severity) {
    i.timeline!.push({ timestamp: at, action: `Severity ${i.severity} -> ${patch.severity}`, actor });
    i.severity = patch.severity;
  }
  if (patch.summary !== undefined) i.summary = patch.summary;
  if (patch.assigned_to !== undefined) i.assigned_to = patch.assigned_to;
  if (patch.root_cause !== undefined) i.root_cause = patch.root_cause;
  if (patch.evidence?.length) i.evidence = [...(i.evidence ?? []), ...patch.evidence];
  if (patch.timeline_entry) {
    i.timeline!.push({
      timestamp: at,
      action: patch.timeline_entry.action,
      actor: patch.timeline_entry.actor ?? actor,
    });
  }
  i.updated_at = at;
  return Incident.parse(i);
}
