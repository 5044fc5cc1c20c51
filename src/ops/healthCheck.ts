// SP-001 Health check: /health + /health/ready + dispatcher status + last 5 runs + active incidents,
// judged against the runbook's three success criteria. The calls run in parallel; each one may
// fail on its own without hiding the others.
import type { SolvereignClient } from '../api/client';
import { SolvereignApiError } from '../api/errors';
import { flattenChecks } from '../api/lenient';
import {
  type Health,
  type Incident,
  isActiveIncident,
  type Readiness,
  type RunSummary,
  type SystemStatus,
} from '../api/schemas';

export type Verdict = 'PASS' | 'WARN' | 'FAIL';

export interface Criterion {
  id: 'api' | 'runs' | 'incidents';
  title: string;
  verdict: Verdict;
  detail: string;
}

export interface HealthCheckData {
  health?: Health;
  ready?: Readiness;
  status?: SystemStatus;
  runs?: RunSummary[];
  /** Server incidents and workspace-file incidents, labelled by source. */
  incidents: { source: 'server' | 'workspace'; incident: Incident }[];
  errors: { step: string; error: SolvereignApiError | Error }[];
  /** The caller read the workspace incidents file (live's own place for incidents). */
  workspaceChecked?: boolean;
}

export interface HealthCheckResult extends HealthCheckData {
  verdict: Verdict;
  criteria: Criterion[];
  ms: number;
}

export interface HealthCheckOptions {
  signal?: AbortSignal;
  /** Incidents from `.claude/state/active-incidents.json`, read by the caller. */
  workspaceIncidents?: Incident[];
  /** Problem reading the workspace file (counts as a warning, not a crash). */
  workspaceError?: string;
  runLimit?: number;
}

export async function runHealthCheck(
  client: SolvereignClient,
  o: HealthCheckOptions = {},
): Promise<HealthCheckResult> {
  const t0 = performance.now();
  const call = { signal: o.signal };
  const errors: HealthCheckData['errors'] = [];
  const settle = async <T>(step: string, p: Promise<T>): Promise<T | undefined> => {
    try {
      return await p;
    } catch (e) {
      errors.push({ step, error: e as Error });
      return undefined;
    }
  };
  const [health, ready, status, runs, serverIncidents] = await Promise.all([
    settle('GET /health', client.health(call)),
    settle('GET /health/ready', client.ready(call)),
    settle('dispatcher status', client.status(call)),
    settle('list runs', client.listRuns({ limit: o.runLimit ?? 5 }, call)),
    settle('server incidents', client.incidents(call)),
  ]);
  const incidents: HealthCheckData['incidents'] = [
    ...(serverIncidents?.incidents ?? []).map((incident) => ({ source: 'server' as const, incident })),
    ...(o.workspaceIncidents ?? []).map((incident) => ({ source: 'workspace' as const, incident })),
  ];
  if (o.workspaceError) errors.push({ step: 'workspace incidents file', error: new Error(o.workspaceError) });
  const data: HealthCheckData = {
    health,
    ready,
    status,
    runs: runs?.runs,
    incidents,
    errors,
    workspaceChecked: o.workspaceIncidents !== undefined,
  };
  const criteria = evaluateHealth(data);
  return {
    ...data,
    criteria,
    verdict: worst(criteria.map((c) => c.verdict)),
    ms: Math.round(performance.now() - t0),
  };
}

/** The runbook's success criteria: API healthy; recent runs PASS; no active S0/S1 incidents. */
export function evaluateHealth(d: HealthCheckData): Criterion[] {
  const api: Criterion = { id: 'api', title: 'API returns healthy', verdict: 'PASS', detail: '' };
  const healthErr = d.errors.find((e) => e.step === 'GET /health');
  if (!d.health) {
    api.verdict = 'FAIL';
    api.detail = `API unreachable: ${healthErr?.error.message ?? 'no answer'} (S0 if it persists)`;
  } else {
    const problems: string[] = [];
    if (d.health.status !== 'healthy') problems.push(`status=${d.health.status}`);
    // Live always says "healthy" even with the DB down: the db field and /health/ready decide.
    if (d.health.db && d.health.db !== 'connected' && d.health.db !== 'not_configured')
      problems.push(`db=${d.health.db}`);
    if (d.health.redis && d.health.redis !== 'connected' && d.health.redis !== 'not_configured') {
      problems.push(`redis=${d.health.redis}`);
    }
    if (d.ready && d.ready.status !== 'ready') {
      // Live nests some checks (`packs: {roster: "available"}`): judge each leaf.
      const failing = flattenChecks(d.ready.checks)
        .filter((c) => !HEALTHY_CHECK.test(c.value))
        .map((c) => `${c.name}: ${c.value}`);
      problems.push(
        `not ready (${failing.join(', ') || (d.ready.status === 'not_ready' ? 'unknown' : `status '${d.ready.status}'`)})`,
      );
    }
    if (!d.ready) problems.push('readiness unknown');
    // The sandbox reports its audit hash chain; a broken chain fails the check even when ready.
    const chain = d.ready?.checks.audit_chain;
    if (chain && chain !== 'healthy' && d.ready?.status === 'ready') problems.push(`audit_chain: ${chain}`);
    api.verdict = problems.length ? 'FAIL' : 'PASS';
    api.detail = problems.length
      ? problems.join('; ')
      : `healthy${d.health.version ? `, version ${d.health.version}` : ''}, db ${d.health.db ?? 'n/a'}, ready`;
  }

  const runs: Criterion = {
    id: 'runs',
    title: 'Recent runs show PASS verdicts',
    verdict: 'PASS',
    detail: '',
  };
  if (!d.runs) {
    runs.verdict = 'FAIL';
    runs.detail = `runs unavailable: ${d.errors.find((e) => e.step === 'list runs')?.error.message ?? 'no answer'}`;
  } else if (d.runs.length === 0) {
    runs.verdict = 'WARN';
    runs.detail = 'no runs yet';
  } else {
    // An operator re-runs a failed week after SP-002: only the newest run of each week is judged.
    const newer = supersedingRuns(d.runs);
    const current = d.runs.filter((r) => !newer.has(r.run_id));
    const notPass = current.filter((r) => r.status !== 'PASS');
    const bad = notPass.filter((r) => r.status === 'FAIL' || r.status === 'ERROR' || r.status === 'BLOCKED');
    const superseded = d.runs
      .filter((r) => newer.has(r.run_id) && r.status !== 'PASS')
      .map((r) => {
        const by = newer.get(r.run_id)!;
        return `${r.run_id} ${r.status} superseded by ${by.run_id} (${by.status})`;
      });
    runs.verdict = bad.length ? 'FAIL' : notPass.length ? 'WARN' : 'PASS';
    runs.detail = [
      notPass.length
        ? `${notPass.map((r) => `${r.run_id} ${r.status}`).join(', ')} of the last ${d.runs.length}${bad.length ? ' — investigate with SP-002' : ''}`
        : `newest run of each week PASS (last ${d.runs.length} runs)`,
      ...superseded,
    ].join('; ');
  }

  const inc: Criterion = { id: 'incidents', title: 'No active S0/S1 incidents', verdict: 'PASS', detail: '' };
  const active = d.incidents.filter((i) => isActiveIncident(i.incident));
  const critical = active.filter((i) => i.incident.severity === 'S0' || i.incident.severity === 'S1');
  if (critical.length) {
    inc.verdict = 'FAIL';
    inc.detail = `stop the line: ${critical.map((i) => `${i.incident.id} ${i.incident.severity} (${i.source})`).join(', ')}`;
  } else {
    const notOffered = d.errors.some(
      (e) =>
        e.step === 'server incidents' &&
        e.error instanceof SolvereignApiError &&
        e.error.kind === 'unsupported',
    );
    const unknown = d.errors.filter(
      (e) => (e.step === 'server incidents' && !notOffered) || e.step === 'workspace incidents file',
    );
    // Without the server's list the workspace file is the only source; not reading it is not a PASS.
    const unchecked = notOffered && !d.workspaceChecked;
    inc.verdict = unknown.length || unchecked ? 'WARN' : 'PASS';
    inc.detail = [
      `${active.length} active, none S0/S1`,
      notOffered
        ? `server incidents: not offered by this server (${d.workspaceChecked ? 'read the workspace file instead' : 'check .claude/state/active-incidents.json'})`
        : '',
      unknown.length ? `could not read: ${unknown.map((e) => e.step).join(', ')}` : '',
    ]
      .filter(Boolean)
      .join('; ');
  }
  return [api, runs, inc];
}

/**
 * For each run that has a newer run of the same tenant, site and week among `runs`: the newest one.
 * Newer means a later timestamp (run id breaks ties: ids count up within a day).
 */
export function supersedingRuns(runs: readonly RunSummary[]): Map<string, RunSummary> {
  const newest = new Map<string, RunSummary>();
  const key = (r: RunSummary) => `${r.tenant_code}/${r.site_code}/${r.week_id}`;
  const isNewer = (a: RunSummary, b: RunSummary) => {
    const ta = Date.parse(a.timestamp);
    const tb = Date.parse(b.timestamp);
    return Number.isFinite(ta) && Number.isFinite(tb) && ta !== tb ? ta > tb : a.run_id > b.run_id;
  };
  for (const r of runs) {
    const seen = newest.get(key(r));
    if (!seen || isNewer(r, seen)) newest.set(key(r), r);
  }
  const out = new Map<string, RunSummary>();
  for (const r of runs) {
    const top = newest.get(key(r))!;
    if (top.run_id !== r.run_id) out.set(r.run_id, top);
  }
  return out;
}

const HEALTHY_CHECK = /^(healthy|ok|available|connected|ready|up|not_configured)$/i;

export function worst(verdicts: Verdict[]): Verdict {
  if (verdicts.includes('FAIL')) return 'FAIL';
  if (verdicts.includes('WARN')) return 'WARN';
  return 'PASS';
}
