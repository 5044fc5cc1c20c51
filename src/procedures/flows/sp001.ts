// SP-001 Health Check: /health + /health/ready + dispatcher status + last 5 runs + active incidents
// (server and the workspace file), a verdict per success criterion and overall (src/ops/healthCheck).
import { type HealthCheckResult, runHealthCheck } from '../../ops/healthCheck';
import type { ProcedureEnv } from '../context';
import type { Step } from '../engine/engine';
import { formatMs, type RecordSection, table } from '../engine/record';
import type { ProcedureDef } from '../runner';
import { verdictStatus } from './common';

export interface HealthState {
  health?: HealthCheckResult;
}

export async function checkHealth(env: ProcedureEnv): Promise<HealthCheckResult> {
  const ws = await env.host.readWorkspaceIncidents();
  return runHealthCheck(env.client, {
    signal: env.signal,
    workspaceIncidents: ws.incidents,
    workspaceError: ws.error,
  });
}

/** The health check as steps: the calls, then one row per success criterion. */
export function healthSteps<S extends HealthState>(env: ProcedureEnv): Step<S>[] {
  const criterion = (id: 'api' | 'runs' | 'incidents', title: string): Step<S> => ({
    kind: 'do',
    id: `criterion-${id}`,
    title,
    when: (s) => !!s.health,
    run: async (s) => {
      const c = s.health?.criteria.find((x) => x.id === id);
      return {
        status: c ? verdictStatus(c.verdict) : 'error',
        detail: c ? `${c.verdict}: ${c.detail}` : 'not evaluated',
      };
    },
  });
  return [
    {
      kind: 'do',
      id: 'health-calls',
      title: 'Check /health, /health/ready, dispatcher status, last 5 runs, incidents',
      run: async (s) => {
        s.health = await checkHealth(env);
        const errs = s.health.errors.map((e) => `${e.step}: ${e.error.message}`);
        return {
          status: errs.length ? 'warn' : 'ok',
          detail: `${s.health.ms} ms${errs.length ? `; problems: ${errs.join('; ')}` : ''}`,
        };
      },
    },
    criterion('api', 'Criterion: API returns healthy'),
    criterion('runs', 'Criterion: recent runs show PASS verdicts'),
    criterion('incidents', 'Criterion: no active S0/S1 incidents'),
  ];
}

export function healthSections(h: HealthCheckResult | undefined): RecordSection[] {
  if (!h) return [];
  const out: RecordSection[] = [];
  out.push({
    title: 'Success criteria',
    body: table(
      ['Criterion', 'Verdict', 'Detail'],
      h.criteria.map((c) => [c.title, c.verdict, c.detail]),
    ),
  });
  if (h.status) {
    out.push({
      title: 'Dispatcher status',
      body: table(
        ['Field', 'Value'],
        [
          ['kill_switch_active', h.status.kill_switch_active],
          ['publish_enabled', h.status.publish_enabled],
          ['lock_enabled', h.status.lock_enabled],
          ['shadow_mode_only', h.status.shadow_mode_only],
          ['pending_repairs', h.status.pending_repairs],
          ['active_incidents', h.status.active_incidents],
          ['kill_switch_reason', h.status.kill_switch_reason],
        ],
      ),
    });
  }
  if (h.runs) {
    out.push({
      title: `Last ${h.runs.length} runs`,
      body: h.runs.length
        ? table(
            ['Run', 'Week', 'Status', 'Audits', 'Coverage', 'Published', 'Locked'],
            h.runs.map((r) => [
              r.run_id,
              r.week_id,
              r.status,
              `${r.audit_pass_count}/${r.audit_total}`,
              r.coverage_percent == null ? null : `${r.coverage_percent} %`,
              r.published ? 'yes' : 'no',
              r.locked ? 'yes' : 'no',
            ]),
          )
        : '_No runs._',
    });
  }
  const active = h.incidents.filter((i) => !['resolved', 'stale', 'mitigated'].includes(i.incident.status));
  out.push({
    title: 'Active incidents',
    body: active.length
      ? table(
          ['Id', 'Severity', 'Status', 'Source', 'Summary'],
          active.map((i) => [
            i.incident.id,
            i.incident.severity,
            i.incident.status,
            i.source,
            i.incident.summary,
          ]),
        )
      : '_None._',
  });
  return out;
}

export const sp001: ProcedureDef<HealthState> = {
  procedure: 'SP-001',
  title: 'SP-001 Health Check',
  command: 'solvereign.sp001.healthCheck',
  init: () => ({}),
  steps: (env) => healthSteps(env),
  finish: (s) => {
    const h = s.health;
    if (!h) return {};
    return {
      result: h.verdict,
      summary: [
        `Overall ${h.verdict} in ${formatMs(h.ms)}`,
        ...h.criteria.map((c) => `${c.title}: ${c.verdict} — ${c.detail}`),
      ],
      sections: healthSections(h),
      extra: {
        criteria: h.criteria,
        healthMs: h.ms,
        incidents: h.incidents.map((i) => ({
          id: i.incident.id,
          severity: i.incident.severity,
          source: i.source,
        })),
      },
    };
  },
};
