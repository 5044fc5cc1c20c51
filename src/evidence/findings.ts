// What an L3 engineer sees of a run in the editor: the run's tours (its input forecast expanded to the
// week), a readable plan summary (one line per driver, one segment per day) and every audit violation
// as a finding located on the input lines of its tours and on the plan summary's driver/day segment.
// Pure: the diagnostics, the timeline, compare and the audits-as-tests controller all map runs
// through this module. No `vscode`.
import { parseForecastInput } from '../roster/forecast';
import type { AuditResult, AuditViolation } from '../roster/types';
import { DAY_ABBREVIATIONS, formatMinutes } from '../shared/days';
import { expandWeek, type TourInstance } from '../roster/week';
import { isIsoWeek } from '../shared/isoWeek';
import type { RunEvidence } from './runEvidence';

/** The name of the derived plan summary in the evidence folder (not an entry of the archive). */
export const PLAN_SUMMARY_FILE = 'plan-summary.txt';

/** The runbook's code for a failing audit: its own where the runbook has one, else the lock gate it trips. */
export function auditRunbookCode(check: string, status: string): string | undefined {
  if (status !== 'FAIL') return undefined;
  if (check === 'Coverage') return 'ERR_AUDIT_001';
  if (check === 'Overlap') return 'ERR_AUDIT_002';
  return 'ERR_LOCK_002';
}

export interface PlanAssignmentRow {
  driver_id: string;
  tour_id: string;
  /** 1..7 when the plan says. */
  day?: number;
}

/** plan.json's assignments (the sandbox's and live's plan files both carry them), or [] when it has none. */
export function planAssignments(plan: unknown): PlanAssignmentRow[] {
  const list = (plan as { assignments?: unknown } | null)?.assignments;
  if (!Array.isArray(list)) return [];
  const out: PlanAssignmentRow[] = [];
  for (const a of list) {
    if (!a || typeof a !== 'object') continue;
    const r = a as Record<string, unknown>;
    if (r.driver_id === undefined || r.tour_id === undefined) continue;
    const day = Number(r.day);
    out.push({
      driver_id: String(r.driver_id),
      tour_id: String(r.tour_id),
      ...(day >= 1 && day <= 7 ? { day } : {}),
    });
  }
  return out;
}

/** The run's tours: its input forecast expanded to its week (tour ids as the solver gave them). */
export function runTours(ev: Pick<RunEvidence, 'forecast' | 'week'>): TourInstance[] | undefined {
  if (!ev.forecast || !ev.week || !isIsoWeek(ev.week)) return undefined;
  return expandWeek(parseForecastInput(ev.forecast.text).tours, ev.week).tours;
}

const dayName = (d: number) => DAY_ABBREVIATIONS[d - 1] ?? String(d);

/** "06:00-10:00+15:00-19:00": a tour's working parts. */
export function tourTimes(t: Pick<TourInstance, 'parts'>): string {
  return t.parts.map((p) => `${formatMinutes(p.start)}-${formatMinutes(p.end)}`).join('+');
}

/** "Mo 06:00-14:00 Depot Nord, line 4": how a tour is named in messages and labels. */
export function tourLabel(t: TourInstance): string {
  return `${dayName(t.day)} ${tourTimes(t)}${t.depot ? ` Depot ${t.depot}` : ''}, line ${t.line}`;
}

/** A place in the plan summary: 0-based line, 0-based columns [start, end). */
export interface SummaryLocation {
  line: number;
  start: number;
  end: number;
}

export interface PlanSummary {
  text: string;
  drivers: number;
  /** The driver's line (no day) or the driver's segment of that day (1..7). */
  locate(driverId: string, day?: number): SummaryLocation | undefined;
}

/** Driver ids in natural order (D2 before D10). */
export const byDriverId = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** A depot as the plan summary and the timeline name it: "Depot Nord" -> "Nord". */
export const depotName = (depot: string) => depot.replace(/^Depot /, '');

/**
 * One line per driver: `D001  Mo 06:00-14:00 Nord [T0001 L4]  |  Di …`. Without tours (a pack with no
 * input), tours are named by id under the day the plan gives.
 */
export function buildPlanSummary(
  runId: string,
  assignments: readonly PlanAssignmentRow[],
  tours?: readonly TourInstance[],
  meta: { week?: string; output_hash?: string } = {},
): PlanSummary {
  const byId = new Map((tours ?? []).map((t) => [t.id, t]));
  const byDriver = new Map<string, { day: number; text: string; start: number }[]>();
  for (const a of assignments) {
    const t = byId.get(a.tour_id);
    const day = t?.day ?? a.day ?? 0;
    const text = t
      ? `${tourTimes(t)}${t.depot ? ` ${depotName(t.depot)}` : ''} [${t.id} L${t.line}]`
      : `[${a.tour_id}]`;
    let list = byDriver.get(a.driver_id);
    if (!list) {
      list = [];
      byDriver.set(a.driver_id, list);
    }
    list.push({ day, text, start: t?.start ?? 0 });
  }
  const drivers = [...byDriver.keys()].sort(byDriverId);
  const width = Math.max(4, ...drivers.map((d) => d.length));
  const lines = [
    `# Plan of ${runId}${meta.week ? ` · week ${meta.week}` : ''} · ${drivers.length} drivers · ${assignments.length} assignments${meta.output_hash ? ` · ${meta.output_hash}` : ''}`,
    tours
      ? '# Derived from plan.json and the input forecast of the verified evidence pack; one line per driver.'
      : '# Derived from plan.json of the verified evidence pack (it holds no input forecast: tours by id only).',
  ];
  const where = new Map<string, SummaryLocation>();
  for (const d of drivers) {
    const line = lines.length;
    let text = d.padEnd(width);
    const days = new Map<number, { text: string; start: number }[]>();
    for (const e of byDriver.get(d)!) {
      const l = days.get(e.day);
      if (l) l.push(e);
      else days.set(e.day, [e]);
    }
    [...days.keys()]
      .sort((a, b) => a - b)
      .forEach((day, i) => {
        text += i === 0 ? '  ' : '  |  ';
        const start = text.length;
        const tourText = days
          .get(day)!
          .sort((a, b) => a.start - b.start)
          .map((e) => e.text)
          .join(', ');
        text += `${day ? dayName(day) : '?'} ${tourText}`;
        where.set(`${d}\u0000${day}`, { line, start, end: text.length });
      });
    where.set(d, { line, start: 0, end: d.length });
    lines.push(text);
  }
  return {
    text: `${lines.join('\n')}\n`,
    drivers: drivers.length,
    locate: (driverId, day) =>
      day !== undefined ? (where.get(`${driverId}\u0000${day}`) ?? where.get(driverId)) : where.get(driverId),
  };
}

/** A tour a finding involves, with its input line when the run's input is known. */
export interface FindingTour {
  id: string;
  line?: number;
  label: string;
}

/** One audit violation, located. */
export interface AuditFinding {
  audit: string;
  status: 'FAIL' | 'WARN';
  /** The runbook code (ERR_AUDIT_001/002, or ERR_LOCK_002 for the other failing audits). */
  code?: string;
  message: string;
  violation: AuditViolation;
  /** 1-based input lines involved, the primary one first (empty without input lines). */
  lines: number[];
  tours: FindingTour[];
  driver?: string;
  /** 1..7 */
  day?: number;
  /** Where it sits in the plan summary (the driver/day segment, else the driver's line, else the header). */
  plan: SummaryLocation;
}

/**
 * An audit's violations: the sandbox itemises them; live's details are free-form (`{message,
 * drivers?}` or `{message, tours?}`), so each named driver or tour becomes one, and a count with
 * nothing named stays one finding that says so.
 */
function itemised(a: AuditResult): AuditViolation[] {
  const d = (a.details ?? null) as {
    message?: unknown;
    violations?: AuditViolation[];
    drivers?: unknown;
    tours?: unknown;
  } | null;
  if (Array.isArray(d?.violations) && d.violations.length) return d.violations;
  const message =
    typeof d?.message === 'string' && d.message
      ? d.message
      : `${a.check_name} ${a.status}: ${a.violation_count} violation(s), not itemised by this server`;
  const names = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  const drivers = names(d?.drivers);
  if (drivers.length)
    return drivers.map((driver_id) => ({ message: `${message} (${driver_id})`, driver_id }));
  const tours = names(d?.tours);
  if (tours.length) return tours.map((t) => ({ message: `${message} (${t})`, tour_ids: [t] }));
  return [{ message }];
}

const DAY_INDEX = new Map<string, number>(DAY_ABBREVIATIONS.map((d, i) => [d, i + 1]));

/** Every violation of the FAIL and WARN audits as a finding (PASS audits have none). */
export function auditFindings(
  audits: readonly AuditResult[],
  tours?: readonly TourInstance[],
  summary?: PlanSummary,
): AuditFinding[] {
  const byId = new Map((tours ?? []).map((t) => [t.id, t]));
  const out: AuditFinding[] = [];
  for (const a of audits) {
    if (a.status !== 'FAIL' && a.status !== 'WARN') continue;
    const violations = itemised(a);
    for (const v of violations) {
      const found = (v.tour_ids ?? []).map((id) => byId.get(id));
      const tourList: FindingTour[] = (v.tour_ids ?? []).map((id, i) => {
        const t = found[i];
        return t ? { id, line: t.line, label: `${id} ${tourLabel(t)}` } : { id, label: id };
      });
      const lines = [
        ...new Set(
          [tours ? v.line : undefined, ...tourList.map((t) => t.line)].filter(
            (l): l is number => typeof l === 'number' && l >= 1,
          ),
        ),
      ];
      const day = (v.day && DAY_INDEX.get(v.day)) || found.find((t) => t)?.day;
      const plan = (v.driver_id && summary?.locate(v.driver_id, day)) || { line: 0, start: 0, end: 0 };
      const code = auditRunbookCode(a.check_name, a.status);
      out.push({
        audit: a.check_name,
        status: a.status,
        ...(code ? { code } : {}),
        message: v.message,
        violation: v,
        lines,
        tours: tourList,
        ...(v.driver_id ? { driver: v.driver_id } : {}),
        ...(day ? { day } : {}),
        plan,
      });
    }
  }
  return out;
}

/** A run as the editor shows it: tours, plan summary and findings, from its verified evidence. */
export interface RunFindings {
  runId: string;
  week?: string;
  tours?: TourInstance[];
  summary?: PlanSummary;
  findings: AuditFinding[];
  /** False when the pack holds no input forecast (live): findings go on the plan summary only. */
  inputLines: boolean;
  /** Audits FAIL/WARN/PASS counts as the run reported them. */
  counts: { fail: number; warn: number; pass: number };
}

/** An ERROR run's pack may hold no plan (or `null`): then there is no plan summary, only what it has. */
export function hasPlan(ev: Pick<RunEvidence, 'plan'>): boolean {
  return !!ev.plan && typeof ev.plan === 'object';
}

export function runFindings(ev: RunEvidence): RunFindings {
  const tours = runTours(ev);
  const assignments = planAssignments(ev.plan);
  const summary = hasPlan(ev)
    ? buildPlanSummary(ev.runId, assignments, tours, {
        week: ev.week,
        output_hash: String((ev.plan as { output_hash?: unknown } | null)?.output_hash ?? '') || undefined,
      })
    : undefined;
  const audits = ev.audits ?? [];
  return {
    runId: ev.runId,
    ...(ev.week ? { week: ev.week } : {}),
    ...(tours ? { tours } : {}),
    ...(summary ? { summary } : {}),
    findings: auditFindings(audits, tours, summary),
    inputLines: tours !== undefined,
    counts: {
      fail: audits.filter((a) => a.status === 'FAIL').length,
      warn: audits.filter((a) => a.status === 'WARN').length,
      pass: audits.filter((a) => a.status === 'PASS').length,
    },
  };
}

/** The 0-based character range of a 1-based input line without its indentation and trailing blanks. */
export function lineRange(text: string, line: number): { line: number; start: number; end: number } {
  const lines = text.split(/\r?\n/);
  const l = lines[line - 1] ?? '';
  const start = l.length - l.trimStart().length;
  const end = l.trimEnd().length;
  return { line: line - 1, start: end > start ? start : 0, end: end > start ? end : l.length };
}
