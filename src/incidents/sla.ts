// The runbook's support tiers, escalation matrix, on-call rotation and contact directory as pure,
// clock-injected functions (SUPPORT_RUNBOOK.md "Support Tiers", "Escalation Matrix", "On-Call
// Rotation", "Contact Directory"). No `vscode` here: the sidebar, the procedures and the unit tests
// share it. Every function takes `now` instead of reading the clock.
import type { Incident } from '../api/schemas';
import { isoWeekOf } from '../shared/isoWeek';
import type { Severity } from '../shared/runbook';

const MIN = 60_000;
const HOUR = 60 * MIN;

export type Tier = 'L1' | 'L2' | 'L3';

export interface TierInfo {
  tier: Tier;
  responseMs: number;
  resolutionMs: number;
  scope: string;
}

/** "Support Tiers". */
export const TIERS: Readonly<Record<Tier, TierInfo>> = {
  L1: {
    tier: 'L1',
    responseMs: 15 * MIN,
    resolutionMs: 4 * HOUR,
    scope: 'Known issues, status checks, basic troubleshooting',
  },
  L2: {
    tier: 'L2',
    responseMs: 1 * HOUR,
    resolutionMs: 8 * HOUR,
    scope: 'Investigation, configuration changes, workarounds',
  },
  L3: {
    tier: 'L3',
    responseMs: 2 * HOUR,
    resolutionMs: 24 * HOUR,
    scope: 'Code fixes, database operations, platform issues',
  },
};

/**
 * Which tier's clocks run for an incident of a severity. The runbook does not map them directly;
 * this follows the severity table's "Response" column: S1 "Immediate L3 escalation" -> L3, S2 "L2
 * investigation" -> L2, S3 "Normal queue" -> L1, and S0 "All hands" -> the strictest clocks (L1).
 */
export const SEVERITY_TIER: Readonly<Record<Severity, Tier>> = { S0: 'L1', S1: 'L3', S2: 'L2', S3: 'L1' };

/** Who an escalation step goes to: a role of the contact directory, or the week's on-call. */
export type Party = 'On-call' | 'CTO' | 'Platform Lead' | 'L3 Queue' | 'L2 Queue' | 'Support Queue';

export interface EscalationRule {
  severity: Severity;
  firstContact: Party;
  /** Time after creation when the incident escalates (0 = immediately). */
  escalateAfterMs: number;
  /** Where it escalates to. */
  escalateTo: Party;
  /** The matrix's own words, for tooltips. */
  text: string;
}

/** "Escalation Matrix". */
export const ESCALATION_MATRIX: Readonly<Record<Severity, EscalationRule>> = {
  S0: {
    severity: 'S0',
    firstContact: 'On-call',
    escalateAfterMs: 5 * MIN,
    escalateTo: 'CTO',
    text: 'On-call immediately, CTO after 5 min',
  },
  S1: {
    severity: 'S1',
    firstContact: 'On-call',
    escalateAfterMs: 30 * MIN,
    escalateTo: 'Platform Lead',
    text: 'On-call, Platform Lead after 30 min',
  },
  S2: {
    severity: 'S2',
    firstContact: 'On-call',
    escalateAfterMs: 2 * HOUR,
    escalateTo: 'L3 Queue',
    text: 'On-call, L3 queue after 2 hours',
  },
  S3: {
    severity: 'S3',
    firstContact: 'Support Queue',
    escalateAfterMs: 8 * HOUR,
    escalateTo: 'L2 Queue',
    text: 'Support queue, L2 queue after 8 hours',
  },
};

// ---------------------------------------------------------------- on-call rotation

export interface IsoWeek {
  year: number;
  week: number;
}

/** The calendar date of `now` in a time zone (the rotation follows the team's local Monday). */
function localDate(now: Date, timeZone: string): { y: number; m: number; d: number } {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(now);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return { y: get('year'), m: get('month'), d: get('day') };
}

/** ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(now: Date, timeZone = 'UTC'): IsoWeek {
  const { y, m, d } = localDate(now, timeZone);
  const { year, week } = isoWeekOf(new Date(Date.UTC(y, m - 1, d)));
  return { year, week };
}

export interface OnCall {
  week: IsoWeek;
  primary: string;
  backup: string;
}

/** "On-Call Rotation": odd ISO weeks Platform Lead primary / Backend Dev backup, even weeks swapped. */
export function onCall(now: Date, timeZone = 'Europe/Vienna'): OnCall {
  const week = isoWeek(now, timeZone);
  return week.week % 2 === 1
    ? { week, primary: 'Platform Lead', backup: 'Backend Dev' }
    : { week, primary: 'Backend Dev', backup: 'Platform Lead' };
}

// ---------------------------------------------------------------- contact directory

export interface Contact {
  role: string;
  primary?: string | null;
  backup?: string | null;
  email?: string | null;
  phone?: string | null;
}

/** "Contact Directory" (names are placeholders in the runbook, so only roles and emails). */
// Every party of the runbook's escalation matrix and on-call rotation has a row: placeholders
// (company.com) the user replaces in Settings, never "no contact" in the middle of an escalation.
export const DEFAULT_CONTACTS: readonly Contact[] = [
  { role: 'Platform Lead', email: 'platform@company.com' },
  { role: 'Ops Lead', email: 'ops@lts-transport.at' },
  { role: 'Dispatcher', email: 'dispatch@lts-transport.at' },
  { role: 'Support Queue', email: 'support@company.com' },
  { role: 'Backend Dev', email: 'backend-dev@company.com' },
  { role: 'CTO', email: 'cto@company.com' },
  { role: 'L2 Queue', email: 'l2-queue@company.com' },
  { role: 'L3 Queue', email: 'l3-queue@company.com' },
];

/** The setting that holds the contacts, for "edit them here" links. */
export const CONTACTS_SETTING = 'solvereign.contacts';

/** A default row still unchanged: shown as a placeholder to edit, not as a real address. */
export function isPlaceholderContact(c: Pick<Contact, 'role' | 'email'>): boolean {
  return DEFAULT_CONTACTS.some(
    (d) => d.role === c.role && d.email === c.email && /@company\.com$/.test(d.email ?? ''),
  );
}

/** Reads the `solvereign.contacts` setting, keeping the valid rows; falls back to the defaults. */
export function parseContacts(raw: unknown): Contact[] {
  if (!Array.isArray(raw) || raw.length === 0) return [...DEFAULT_CONTACTS];
  const out: Contact[] = [];
  for (const r of raw) {
    if (!r || typeof r !== 'object') continue;
    const o = r as Record<string, unknown>;
    if (typeof o.role !== 'string' || !o.role.trim()) continue;
    const str = (k: string) =>
      typeof o[k] === 'string' && (o[k] as string).trim() ? (o[k] as string).trim() : null;
    out.push({
      role: o.role.trim(),
      primary: str('primary'),
      backup: str('backup'),
      email: str('email'),
      phone: str('phone'),
    });
  }
  return out.length ? out : [...DEFAULT_CONTACTS];
}

export interface ResolvedParty {
  /** The matrix's party ("On-call", "CTO", …). */
  party: Party;
  /** The role it stands for now ("On-call" -> the week's primary). */
  role: string;
  contact?: Contact;
  /** "Platform Lead <platform@company.com>" or "CTO (no contact in solvereign.contacts)". */
  label: string;
}

export function resolveParty(
  party: Party,
  at: Date,
  contacts: readonly Contact[],
  timeZone?: string,
): ResolvedParty {
  const role = party === 'On-call' ? onCall(at, timeZone).primary : party;
  const contact = contacts.find((c) => c.role.toLowerCase() === role.toLowerCase());
  const who = contact?.primary ? `${contact.primary}, ${role}` : role;
  const reach = contact?.email ?? contact?.phone;
  const label = `${party === 'On-call' ? `On-call (${who})` : who}${
    reach ? ` <${reach}>` : contact ? '' : ' (no contact in solvereign.contacts)'
  }`;
  return { party, role, contact, label };
}

// ---------------------------------------------------------------- SLA and escalation of one incident

export interface SlaOptions {
  contacts?: readonly Contact[];
  /** Time zone of the on-call rotation's week boundary. */
  timeZone?: string;
  tiers?: Partial<Record<Severity, Tier>>;
}

export interface SlaStatus {
  severity: Severity;
  tier: TierInfo;
  /** Not resolved, stale or mitigated (CONTRACT.md's "active"). */
  active: boolean;
  createdAt: Date;
  responseDueAt: Date;
  resolutionDueAt: Date;
  /** Someone took it: the status moved past `new`. */
  responded: boolean;
  /** The clock that runs now: response until someone takes it, then resolution; none when closed. */
  phase: 'response' | 'resolution' | 'closed';
  dueAt?: Date;
  /** dueAt - now (negative when overdue). */
  remainingMs?: number;
  /** The running clock is past its deadline (strictly: at the deadline itself it is still met). */
  breached: boolean;
  firstContact: ResolvedParty;
  /** Escalation: due when now - created >= escalateAfterMs (at exactly 30 min an S1 escalates). */
  escalation: {
    rule: EscalationRule;
    to: ResolvedParty;
    at: Date;
    due: boolean;
    /** at - now (<= 0 when due). */
    inMs: number;
  };
}

function parseTime(s: string | null | undefined): Date | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : new Date(t);
}

export function isActive(status: Incident['status']): boolean {
  return status !== 'resolved' && status !== 'stale' && status !== 'mitigated';
}

export function slaStatus(incident: Incident, now: Date, opts: SlaOptions = {}): SlaStatus {
  const contacts = opts.contacts ?? DEFAULT_CONTACTS;
  const severity = incident.severity;
  const tier = TIERS[opts.tiers?.[severity] ?? SEVERITY_TIER[severity]];
  const createdAt = parseTime(incident.created_at) ?? now;
  const responseDueAt = new Date(createdAt.getTime() + tier.responseMs);
  const resolutionDueAt = new Date(createdAt.getTime() + tier.resolutionMs);
  const active = isActive(incident.status);
  const responded = incident.status !== 'new';
  const phase: SlaStatus['phase'] = !active ? 'closed' : responded ? 'resolution' : 'response';
  const dueAt = phase === 'response' ? responseDueAt : phase === 'resolution' ? resolutionDueAt : undefined;
  const remainingMs = dueAt ? dueAt.getTime() - now.getTime() : undefined;
  const rule = ESCALATION_MATRIX[severity];
  const escalationAt = new Date(createdAt.getTime() + rule.escalateAfterMs);
  const inMs = escalationAt.getTime() - now.getTime();
  return {
    severity,
    tier,
    active,
    createdAt,
    responseDueAt,
    resolutionDueAt,
    responded,
    phase,
    dueAt,
    remainingMs,
    breached: remainingMs !== undefined && remainingMs < 0,
    firstContact: resolveParty(rule.firstContact, createdAt, contacts, opts.timeZone),
    escalation: {
      rule,
      to: resolveParty(rule.escalateTo, escalationAt, contacts, opts.timeZone),
      at: escalationAt,
      due: active && inMs <= 0,
      inMs,
    },
  };
}

/** "4h 05m", "12m", "45s"; negative durations read "overdue 5m". */
export function formatDuration(ms: number): string {
  const neg = ms < 0;
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86_400);
  s -= d * 86_400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  const text =
    d > 0 ? `${d}d ${h}h` : h > 0 ? `${h}h ${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m` : `${s}s`;
  return neg ? `overdue ${text}` : text;
}

/** One line for a tree row: "SLA resolution 3h 20m left · → Platform Lead in 12m". */
export function describeSla(s: SlaStatus): { sla: string; escalation: string } {
  const sla =
    s.phase === 'closed'
      ? 'SLA stopped'
      : s.breached
        ? `${s.phase} SLA BREACHED (${formatDuration(s.remainingMs ?? 0)})`
        : `${s.phase} SLA ${formatDuration(s.remainingMs ?? 0)} left`;
  const escalation = !s.active
    ? ''
    : s.escalation.due
      ? `escalated to ${s.escalation.to.role}`
      : `→ ${s.escalation.to.role} in ${formatDuration(s.escalation.inMs)}`;
  return { sla, escalation };
}

// ---------------------------------------------------------------- notifications on transitions

export type IncidentSource = 'server' | 'workspace';

export interface SourcedIncident {
  source: IncidentSource;
  incident: Incident;
}

export type IncidentEventKind = 'critical' | 'escalation' | 'breach';

export interface IncidentEvent {
  kind: IncidentEventKind;
  key: string;
  source: IncidentSource;
  incidentId: string;
  severity: Severity;
  message: string;
}

/**
 * What to notify about now, given what was notified before (`notified`, a set of keys the caller
 * keeps, e.g. in workspaceState). Each transition gives one event, once: an active S0/S1 seen for
 * the first time (or raised to S0/S1), its escalation falling due, a running SLA clock breaching.
 * Returns the events and the new key set (keys of incidents that are gone are dropped).
 */
export function incidentEvents(
  incidents: readonly SourcedIncident[],
  now: Date,
  notified: ReadonlySet<string>,
  opts: SlaOptions = {},
): { events: IncidentEvent[]; notified: Set<string> } {
  const events: IncidentEvent[] = [];
  const next = new Set<string>();
  const live = new Set(incidents.map((i) => `${i.source}:${i.incident.id}`));
  for (const k of notified) {
    const [source, id] = k.split(':');
    if (live.has(`${source}:${id}`)) next.add(k);
  }
  const emit = (si: SourcedIncident, kind: IncidentEventKind, suffix: string, message: string) => {
    const key = `${si.source}:${si.incident.id}:${kind}:${suffix}`;
    if (next.has(key)) return;
    next.add(key);
    events.push({
      kind,
      key,
      source: si.source,
      incidentId: si.incident.id,
      severity: si.incident.severity,
      message,
    });
  };
  for (const si of incidents) {
    const i = si.incident;
    if (!isActive(i.status)) continue;
    const s = slaStatus(i, now, opts);
    const where = si.source === 'server' ? 'server' : 'workspace file';
    if (i.severity === 'S0' || i.severity === 'S1') {
      emit(
        si,
        'critical',
        i.severity,
        `${i.severity} incident open (${where}): ${i.summary} — first contact ${s.firstContact.label}.`,
      );
    }
    if (s.escalation.due) {
      emit(
        si,
        'escalation',
        s.escalation.rule.escalateTo,
        `${i.id} (${i.severity}) is due for escalation to ${s.escalation.to.label} (${s.escalation.rule.text}).`,
      );
    }
    if (s.breached) {
      emit(
        si,
        'breach',
        s.phase,
        `${i.id} (${i.severity}) breached its ${s.tier.tier} ${s.phase} SLA (${formatDuration(
          s.phase === 'response' ? s.tier.responseMs : s.tier.resolutionMs,
        )}).`,
      );
    }
  }
  return { events, notified: next };
}
