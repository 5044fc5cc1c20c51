// Small formatting helpers shared by the report builders. Pure functions, no `vscode`.
import { shiftIsoWeek } from '../shared/isoWeek';
import { AUDIT_CHECKS } from '../shared/runbook';
import type { Cell, Tone } from './model';

export function statusTone(status: string | null | undefined): Tone {
  switch ((status ?? '').toUpperCase()) {
    case 'PASS':
    case 'OK':
      return 'pass';
    case 'WARN':
    case 'WARNING':
      return 'warn';
    case 'FAIL':
    case 'BLOCK':
    case 'BLOCKED':
    case 'ERROR':
    case 'ALERT':
    case 'INCIDENT':
      return 'fail';
    case 'PENDING':
      return 'info';
    default:
      return 'neutral';
  }
}

/** A number with at most `digits` decimals and no trailing zeros; '—' for missing. */
export function fmtNumber(n: number | null | undefined, digits = 3): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  const s = n.toFixed(digits);
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** `+3 (+2.1 %)`, `−0.016 (−1.6 %)`, `±0`; '—' when either side is missing. */
export function fmtDelta(current: number | null | undefined, previous: number | null | undefined): string {
  if (current === null || current === undefined || previous === null || previous === undefined) return '—';
  if (!Number.isFinite(current) || !Number.isFinite(previous)) return '—';
  const d = current - previous;
  if (Math.abs(d) < 1e-9) return '±0';
  const sign = d > 0 ? '+' : '−';
  const abs = fmtNumber(Math.abs(d));
  if (previous === 0) return `${sign}${abs}`;
  const pct = (100 * d) / Math.abs(previous);
  return `${sign}${abs} (${pct > 0 ? '+' : '−'}${fmtNumber(Math.abs(pct), 1)} %)`;
}

export function fmtMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  return ms >= 1000 ? `${fmtNumber(ms / 1000, 2)} s` : `${Math.round(ms)} ms`;
}

/** ISO timestamps as `YYYY-MM-DD HH:MM UTC`; anything unreadable is shown as it came. */
export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function yesNo(b: boolean | null | undefined): string {
  return b === null || b === undefined ? '—' : b ? 'yes' : 'no';
}

/** The Monday (UTC) of an ISO week `YYYY-Www`; undefined for a week that does not exist. */
export { isoWeekId, mondayOfIsoWeek as isoWeekMonday } from '../shared/isoWeek';

/** The ISO week before `weekId` (`2026-W01` -> `2025-W52`/`W53`). */
export function previousWeekId(weekId: string): string | undefined {
  return shiftIsoWeek(weekId, -1);
}

/** Free-form server data as readable text (strings verbatim, everything else as indented JSON). */
export function freeText(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A KPI's value as text: numbers formatted, no value (null, undefined, empty) as "—". */
export function kpiText(v: unknown): string {
  return typeof v === 'number' ? fmtNumber(v) : v === null || v === undefined || v === '' ? '—' : String(v);
}

/** A KPI's value as a table cell: sortable when a number, drift_status in its status tone. */
export function kpiValueCell(kpi: string, v: unknown): Cell {
  return {
    text: kpiText(v),
    sort: typeof v === 'number' ? v : undefined,
    tone: kpi === 'drift_status' ? statusTone(String(v)) : undefined,
  };
}

/** The seven audits in runbook order, then any other check the runs name, each once. */
export function auditCheckNames(...runs: { audit_results: { check_name: string }[] }[]): string[] {
  const extra = runs.flatMap((r) => r.audit_results.map((a) => a.check_name));
  return [...new Set<string>([...AUDIT_CHECKS, ...extra])];
}
