// Pieces several procedures share: role checks in the runbook's words, incidents (server first,
// the workspace file as fallback), run pickers.
import { SolvereignApiError } from '../../api/errors';
import type { Incident, IncidentCreate, RunSummary, SystemStatus } from '../../api/schemas';
import { newIncidentId } from '../../incidents/workspaceIncidentStore';
import { CONTACTS_SETTING, type Contact, isPlaceholderContact } from '../../incidents/sla';
import { LOCK_ERRORS, ROLE_TITLES, type Role } from '../../shared/runbook';
import { offered, type ProcedureCapability, type ProcedureEnv } from '../context';
import { humanTime } from '../../shared/humanTime';
import type { ServerMutation } from '../../shared/mutations';
import { type PickItem, type Step, StepError, type StepOutcome } from '../engine/engine';
import type { Verdict } from '../../ops/healthCheck';
import type { StepStatus } from '../engine/engine';

export function roleTitle(role: string | undefined): string {
  return role ? `${ROLE_TITLES[role as Role] ?? role} (${role})` : 'unknown role';
}

/** A role check as a step outcome: blocked with PERMISSION_DENIED's resolution when not allowed. */
export function requireRole(env: ProcedureEnv, allowed: readonly string[], what: string): StepOutcome {
  const role = env.who.role;
  if (!role || !allowed.includes(role)) {
    return {
      status: 'blocked',
      stop: true,
      detail: `PERMISSION_DENIED — ${LOCK_ERRORS.PERMISSION_DENIED.cause}: ${what} needs ${allowed
        .map((r) => roleTitle(r))
        .join(' or ')}; you are ${roleTitle(role)}. Resolution: ${LOCK_ERRORS.PERMISSION_DENIED.resolution}.`,
    };
  }
  return { detail: `${roleTitle(role)} may ${what}` };
}

export function verdictStatus(v: Verdict): StepStatus {
  return v === 'PASS' ? 'ok' : v === 'WARN' ? 'warn' : 'fail';
}

/** The directory's row for a role (case-insensitive), or a row with only the role. */
export function contactFor(contacts: readonly Contact[], role: string): Contact {
  return contacts.find((c) => c.role.toLowerCase() === role.toLowerCase()) ?? { role };
}

/** An addressee: "Eva (Ops Lead) <ops@lts-transport.at>", "Ops Lead <ops@lts-transport.at>". */
export function contactLabel(c: Contact): string {
  const who = c.primary ? `${c.primary} (${c.role})` : c.role;
  const reach = c.email ?? c.phone;
  return reach ? `${who} <${reach}>` : who;
}

/** A line for notices and messages when an addressee is still a default placeholder. */
export function placeholderNote(used: readonly Contact[]): string | undefined {
  const roles = [...new Set(used.filter(isPlaceholderContact).map((c) => c.role))];
  if (!roles.length) return undefined;
  return `Note: the address of ${roles.join(', ')} is a placeholder — set the real one in Settings › ${CONTACTS_SETTING} before sending.`;
}

export interface CreatedIncident {
  id: string;
  where: 'server' | 'workspace';
  path?: string;
  incident: Incident;
  /** Why the server did not take it (when it went to the workspace file). */
  serverProblem?: string;
}

/** Creates the incident on the server; when the server lacks incidents or fails, in the workspace file. */
export async function createIncident(env: ProcedureEnv, body: IncidentCreate): Promise<CreatedIncident> {
  try {
    const incident = await env.client.createIncident(body, { signal: env.signal });
    env.host.mutated?.({ kind: 'incident', id: incident.id });
    return { id: incident.id, where: 'server', incident };
  } catch (e) {
    if (e instanceof SolvereignApiError && e.kind === 'cancelled') throw e;
    const serverProblem = e instanceof Error ? e.message : String(e);
    const now = env.now().toISOString();
    const incident: Incident = {
      id: newIncidentId(env.now()),
      type: body.type,
      severity: body.severity,
      status: body.status ?? 'new',
      tenant_id: body.tenant_id ?? env.environment.tenant ?? null,
      summary: body.summary,
      created_at: now,
      updated_at: now,
      resolved_at: null,
      assigned_to: body.assigned_to ?? null,
      root_cause: null,
      evidence: body.evidence ?? [],
      timeline: body.timeline ?? [
        { timestamp: now, action: 'Incident opened', actor: env.who.email ?? null },
      ],
    };
    try {
      const path = await env.host.addWorkspaceIncident(incident);
      return { id: incident.id, where: 'workspace', path, incident, serverProblem };
    } catch (e2) {
      throw new StepError(
        `the incident could not be created on the server (${serverProblem}) nor in the workspace file (${
          e2 instanceof Error ? e2.message : String(e2)
        }); create it by hand: ${body.severity} ${body.summary}`,
      );
    }
  }
}

export function runItem(r: RunSummary): PickItem<string> {
  return {
    label: r.run_id,
    value: r.run_id,
    description: `${r.status} · ${r.week_id}${r.published ? ' · published' : ''}${r.locked ? ' · locked' : ''}`,
    detail: `${r.audit_pass_count}/${r.audit_total} audits PASS · ${
      r.coverage_percent == null ? 'coverage unknown' : `coverage ${r.coverage_percent} %`
    } · ${humanTime(r.timestamp)}`,
  };
}

export function isRunId(v: unknown): string | undefined {
  return typeof v === 'string' && /^RUN-[\w-]+$/.test(v) ? undefined : 'a run id like RUN-20260113-001';
}

export function codeBlock(text: string, lang = ''): string {
  const fence = text.includes('```') ? '~~~~' : '```';
  return `${fence}${lang}\n${text.trimEnd()}\n${fence}`;
}

/** `2026-W03` shifted by n weeks; undefined for a week that does not exist (the shared ISO rule). */
export { shiftIsoWeek } from '../../shared/isoWeek';

/** The kill switch as the server answered a change of it (for the views). */
export function killSwitchMutation(after: SystemStatus): ServerMutation {
  return {
    kind: 'killSwitch',
    active: after.kill_switch_active,
    mode: after.kill_switch_mode,
    reason: after.kill_switch_reason,
  };
}

/**
 * The first step of a procedure the server may not offer (live): asked before anything else, it
 * ends the run "not offered" with the working fallback, never a FAIL or an ERROR from the call.
 */
export function notOfferedStep<S extends { notOffered?: boolean }>(
  env: ProcedureEnv,
  capability: ProcedureCapability,
  title: string,
): Step<S> {
  return {
    kind: 'do',
    id: 'capability',
    title,
    when: () => !offered(env, capability),
    run: async (s) => {
      s.notOffered = true;
      return {
        status: 'skipped',
        stop: true,
        detail: `not offered by this server: ${env.capabilities?.fallbackText(capability) ?? ''}`,
      };
    },
  };
}
