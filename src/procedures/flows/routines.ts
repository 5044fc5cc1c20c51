// The runbook's routines as reports: "Daily Status" (SP-001 plus the overnight runs' audits) and
// "Weekly Report" (runs and verdicts, drift, fire drills and their times, incidents and SLA
// breaches). Each is a record (saved in the records folder) opened as a markdown document.
import { SolvereignApiError } from '../../api/errors';
import type { DriftReport, FireDrill, Incident, RunDetail, RunSummary } from '../../api/schemas';
import { isActiveIncident } from '../../api/schemas';
import { SEVERITY_TIER, TIERS } from '../../incidents/sla';
import { type Verdict, worst } from '../../ops/healthCheck';
import type { Severity } from '../../shared/runbook';
import type { ProcedureEnv } from '../context';
import { messageOf, type Step } from '../engine/engine';
import { formatMs, table } from '../engine/record';
import type { ProcedureDef } from '../runner';
import { type HealthState, healthSections, healthSteps } from './sp001';

const HOUR = 3600_000;

async function runsSince(env: ProcedureEnv, sinceMs: number, max = 500): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (let offset = 0; offset < max; offset += 100) {
    const { runs, total } = await env.client.listRuns({ limit: 100, offset }, { signal: env.signal });
    for (const r of runs) if (Date.parse(r.timestamp) >= sinceMs) out.push(r);
    const oldest = runs[runs.length - 1];
    if (!oldest || Date.parse(oldest.timestamp) < sinceMs || offset + runs.length >= total) break;
  }
  return out;
}

function runVerdict(status: RunSummary['status']): Verdict {
  return status === 'PASS' ? 'PASS' : status === 'WARN' || status === 'PENDING' ? 'WARN' : 'FAIL';
}

// ---------------------------------------------------------------- daily

export interface DailyState extends HealthState {
  sinceHours: number;
  overnight?: RunDetail[];
}

export const dailyStatus: ProcedureDef<DailyState> = {
  procedure: 'ROUTINE',
  title: 'Daily Status',
  command: 'solvereign.routine.dailyStatus',
  init: (_env, { answers }) => ({
    sinceHours: typeof answers.sinceHours === 'number' && answers.sinceHours > 0 ? answers.sinceHours : 24,
  }),
  steps: (env): Step<DailyState>[] => [
    ...healthSteps<DailyState>(env),
    {
      kind: 'do',
      id: 'overnight',
      title: 'Review overnight runs: audit results',
      run: async (s) => {
        const since = env.now().getTime() - s.sinceHours * HOUR;
        const runs = await runsSince(env, since, 200);
        s.overnight = await Promise.all(
          runs.slice(0, 20).map((r) => env.client.getRun(r.run_id, { signal: env.signal })),
        );
        const bad = s.overnight.filter((r) => r.status !== 'PASS');
        return {
          status: bad.some((r) => runVerdict(r.status) === 'FAIL') ? 'fail' : bad.length ? 'warn' : 'ok',
          detail: `${s.overnight.length} runs in the last ${s.sinceHours} h${bad.length ? `; not PASS: ${bad.map((r) => `${r.run_id} ${r.status}`).join(', ')}` : ''}`,
        };
      },
    },
  ],
  finish: (s) => {
    const h = s.health;
    const runVerdicts = (s.overnight ?? []).map((r) => runVerdict(r.status));
    const overall = worst([h?.verdict ?? 'FAIL', ...runVerdicts]);
    const sections = healthSections(h);
    sections.push({
      title: `Overnight runs (last ${s.sinceHours} h)`,
      body: s.overnight?.length
        ? table(
            ['Run', 'Week', 'Status', 'Audits not PASS', 'Coverage', 'Next step'],
            s.overnight.map((r) => {
              const bad = r.audit_results.filter((a) => a.status !== 'PASS');
              return [
                r.run_id,
                r.week_id,
                r.status,
                bad.map((a) => `${a.check_name} ${a.status} (${a.violation_count})`).join(', ') || 'all PASS',
                r.coverage_percent == null ? null : `${r.coverage_percent} %`,
                r.status === 'FAIL' || r.status === 'ERROR' || r.status === 'BLOCKED'
                  ? 'SP-002'
                  : r.status === 'WARN'
                    ? 'SP-004 / review'
                    : '—',
              ];
            }),
          )
        : '_No runs in this window._',
    });
    return {
      result: overall,
      summary: [
        `Health ${h?.verdict ?? 'unknown'}${h ? ` (${formatMs(h.ms)})` : ''}`,
        `${s.overnight?.length ?? 0} runs in the last ${s.sinceHours} h; ${runVerdicts.filter((v) => v !== 'PASS').length} not PASS`,
      ],
      sections,
      extra: {
        health: h?.verdict,
        overnightRuns: (s.overnight ?? []).map((r) => ({ runId: r.run_id, status: r.status })),
      },
    };
  },
  after: async (_s, r, env) => env.host.openMarkdown(r.record),
};

// ---------------------------------------------------------------- weekly

/** A severity's resolution clock in hours: its support tier's (S0 gets the strictest clocks), as in the sidebar. */
export function resolutionHours(severity: Severity): number {
  return TIERS[SEVERITY_TIER[severity]].resolutionMs / HOUR;
}

/** "S1 24 h (L3), S2 8 h (L2), S3 4 h (L1), S0 4 h (strictest clocks)". */
function resolutionNote(): string {
  const tiers = (['S1', 'S2', 'S3'] as const).map(
    (s) => `${s} ${resolutionHours(s)} h (${SEVERITY_TIER[s]})`,
  );
  return [...tiers, `S0 ${resolutionHours('S0')} h (strictest clocks)`].join(', ');
}

export function slaBreach(i: Incident, now: Date): { breached: boolean; hours: number; limit: number } {
  const created = Date.parse(i.created_at);
  const end = i.resolved_at
    ? Date.parse(i.resolved_at)
    : isActiveIncident(i)
      ? now.getTime()
      : Date.parse(i.updated_at ?? i.created_at);
  const hours = Math.max(0, (end - created) / HOUR);
  const limit = resolutionHours(i.severity);
  return { breached: hours > limit, hours: Math.round(hours * 10) / 10, limit };
}

export interface WeeklyState {
  from: Date;
  to: Date;
  runs?: RunSummary[];
  drift?: DriftReport;
  driftProblem?: string;
  drills?: FireDrill[];
  drillProblem?: string;
  incidents?: { source: 'server' | 'workspace'; incident: Incident }[];
  incidentProblem?: string;
}

function unsupportedOr(e: unknown): string {
  if (e instanceof SolvereignApiError && e.kind === 'unsupported')
    return `not offered by this server (${e.fallback ?? 'manual'})`;
  return messageOf(e);
}

export const weeklyReport: ProcedureDef<WeeklyState> = {
  procedure: 'ROUTINE',
  title: 'Weekly Report',
  command: 'solvereign.routine.weeklyReport',
  init: (env, { answers }) => {
    const to =
      typeof answers.weekEnding === 'string' && !Number.isNaN(Date.parse(answers.weekEnding))
        ? new Date(answers.weekEnding)
        : env.now();
    return { to, from: new Date(to.getTime() - 7 * 24 * HOUR) };
  },
  steps: (env): Step<WeeklyState>[] => [
    {
      kind: 'do',
      id: 'runs',
      title: 'Runs and verdicts of the week',
      run: async (s) => {
        s.runs = (await runsSince(env, s.from.getTime())).filter(
          (r) => Date.parse(r.timestamp) <= s.to.getTime(),
        );
        const by = countBy(s.runs.map((r) => r.status));
        return {
          detail: `${s.runs.length} runs: ${
            Object.entries(by)
              .map(([k, v]) => `${v} ${k}`)
              .join(', ') || 'none'
          }`,
        };
      },
    },
    {
      kind: 'do',
      id: 'drift',
      title: 'KPI drift (latest run)',
      run: async (s) => {
        try {
          s.drift = await env.client.drift(undefined, { signal: env.signal });
          return {
            status: s.drift.verdict === 'OK' ? 'ok' : 'warn',
            detail: `${s.drift.verdict} for ${s.drift.run_id ?? '?'}`,
          };
        } catch (e) {
          s.driftProblem = unsupportedOr(e);
          return { status: 'warn', detail: s.driftProblem };
        }
      },
    },
    {
      kind: 'do',
      id: 'drills',
      title: 'Fire drills and their times',
      run: async (s) => {
        try {
          const { drills } = await env.client.fireDrills({ signal: env.signal });
          s.drills = drills.filter((d) => {
            const t = Date.parse(d.started_at);
            return t >= s.from.getTime() && t <= s.to.getTime();
          });
          return {
            status: s.drills.length === 0 || s.drills.some((d) => d.result === 'FAIL') ? 'warn' : 'ok',
            detail: s.drills.length
              ? s.drills
                  .map((d) => `${d.result} (${d.disable_ms ?? '—'}/${d.enable_ms ?? '—'} ms)`)
                  .join(', ')
              : 'no drill this week (runbook: Monday)',
          };
        } catch (e) {
          s.drillProblem = unsupportedOr(e);
          return { status: 'warn', detail: s.drillProblem };
        }
      },
    },
    {
      kind: 'do',
      id: 'incidents',
      title: 'Incidents and SLA breaches',
      run: async (s) => {
        const list: NonNullable<WeeklyState['incidents']> = [];
        try {
          for (const incident of (await env.client.incidents({ signal: env.signal })).incidents)
            list.push({ source: 'server', incident });
        } catch (e) {
          s.incidentProblem = unsupportedOr(e);
        }
        const ws = await env.host.readWorkspaceIncidents();
        for (const incident of ws.incidents)
          if (!list.some((x) => x.incident.id === incident.id)) list.push({ source: 'workspace', incident });
        const from = s.from.toISOString();
        s.incidents = list.filter(
          (x) =>
            x.incident.created_at >= from ||
            isActiveIncident(x.incident) ||
            (x.incident.resolved_at ?? '') >= from,
        );
        const breaches = s.incidents.filter((x) => slaBreach(x.incident, env.now()).breached);
        return {
          status: breaches.length || s.incidentProblem || ws.error ? 'warn' : 'ok',
          detail: `${s.incidents.length} incidents; ${breaches.length} SLA breaches${s.incidentProblem ? `; server: ${s.incidentProblem}` : ''}${ws.error ? `; workspace file: ${ws.error}` : ''}`,
        };
      },
    },
  ],
  finish: (s, _run, env) => {
    const runs = s.runs ?? [];
    const by = countBy(runs.map((r) => r.status));
    const sections = [
      {
        title: 'Runs and verdicts',
        body: runs.length
          ? `${Object.entries(by)
              .map(([k, v]) => `${k}: ${v}`)
              .join(' · ')}\n\n${table(
              ['Run', 'Week', 'Status', 'Audits', 'Drift', 'Published', 'Locked'],
              runs.map((r) => [
                r.run_id,
                r.week_id,
                r.status,
                `${r.audit_pass_count}/${r.audit_total}`,
                r.kpi_drift_status,
                r.published ? 'yes' : 'no',
                r.locked ? 'yes' : 'no',
              ]),
            )}`
          : '_No runs this week._',
      },
      {
        title: 'KPI drift',
        body: s.drift
          ? `Latest: **${s.drift.verdict}** (${s.drift.run_id ?? '?'})${s.drift.level ? `; live detector ${s.drift.level}, score ${s.drift.score}` : ''}\n\n${table(
              ['KPI', 'Baseline', 'Current', 'Drift %', 'Verdict'],
              s.drift.metrics.map((m) => [m.kpi, m.baseline, m.current, m.drift_pct, m.verdict]),
            )}\n\nRuns by drift status: ${
              Object.entries(countBy(runs.map((r) => r.kpi_drift_status ?? 'n/a')))
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || '—'
            }`
          : `_Unavailable: ${s.driftProblem ?? 'unknown'}_`,
      },
      {
        title: 'Fire drills',
        body: s.drills
          ? s.drills.length
            ? table(
                ['Started', 'Result', 'Disable', 'Enable', 'Verified', 'By'],
                s.drills.map((d) => [
                  d.started_at,
                  d.result,
                  d.disable_ms == null ? null : `${d.disable_ms} ms`,
                  d.enable_ms == null ? null : `${d.enable_ms} ms`,
                  d.verified_disabled && d.verified_enabled ? 'yes' : 'no',
                  d.by,
                ]),
              )
            : '_No fire drill this week (runbook: every Monday, SP-005)._'
          : `_Unavailable: ${s.drillProblem ?? 'unknown'}_`,
      },
      {
        title: 'Incidents and SLA',
        body: s.incidents?.length
          ? `${table(
              ['Id', 'Severity', 'Status', 'Source', 'Open for', 'Resolution SLA', 'Breach', 'Summary'],
              s.incidents.map((x) => {
                const b = slaBreach(x.incident, env.now());
                return [
                  x.incident.id,
                  x.incident.severity,
                  x.incident.status,
                  x.source,
                  `${b.hours} h`,
                  `${b.limit} h`,
                  b.breached ? 'BREACH' : 'ok',
                  x.incident.summary,
                ];
              }),
            )}\n\nResolution SLA per severity: ${resolutionNote()}.`
          : '_No incidents this week._',
      },
    ];
    const breaches = (s.incidents ?? []).filter((x) => slaBreach(x.incident, env.now()).breached).length;
    return {
      result: 'REPORT',
      summary: [
        `Week ${s.from.toISOString().slice(0, 10)} – ${s.to.toISOString().slice(0, 10)}: ${runs.length} runs (${
          Object.entries(by)
            .map(([k, v]) => `${v} ${k}`)
            .join(', ') || 'none'
        })`,
        `Drift: ${s.drift?.verdict ?? 'n/a'}; fire drills: ${s.drills?.length ?? 'n/a'}; incidents: ${s.incidents?.length ?? 0}, SLA breaches: ${breaches}`,
      ],
      sections,
      extra: {
        runs: runs.length,
        runsByStatus: by,
        drift: s.drift?.verdict,
        drills: (s.drills ?? []).map((d) => ({
          result: d.result,
          disableMs: d.disable_ms,
          enableMs: d.enable_ms,
        })),
        incidents: (s.incidents ?? []).length,
        slaBreaches: breaches,
      },
    };
  },
  after: async (_s, r, env) => env.host.openMarkdown(r.record),
};

function countBy(xs: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const x of xs) out[x] = (out[x] ?? 0) + 1;
  return out;
}
