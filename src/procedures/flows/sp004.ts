// SP-004 KPI Drift Check: run the drift check, open the drift report; WARN -> document and proceed
// with an approval note; BLOCK -> investigate (SP-002); update the baseline with a reason (Ops
// Lead / Platform Lead — checked before anything is asked).
import { describeValue, isKnown } from '../../api/lenient';
import { type BaselineBand, type BaselineUpdate, DRIFT_STATUSES, type DriftReport } from '../../api/schemas';
import { BASELINE_ROLES } from '../../shared/runbook';
import type { ProcedureEnv } from '../context';
import { confirmStep, messageOf, need, type PickItem, reasonProblem, type Step } from '../engine/engine';
import { table } from '../engine/record';
import type { ProcedureDef } from '../runner';
import { notOfferedStep, requireRole, roleTitle } from './common';

export type DriftDecision = 'done' | 'proceed' | 'investigate' | 'updateBaseline';

export interface DriftState {
  runId?: string;
  report?: DriftReport;
  decision?: DriftDecision;
  approvalNote?: string;
  values?: Record<string, number | BaselineBand>;
  reason?: string;
  /** Exactly what the confirmation showed and the update sends. */
  request?: BaselineUpdate;
  updated?: DriftReport;
  investigation?: { result?: string; recordPath?: string } | { error: string };
  reportOpened?: 'webview' | 'markdown';
  /** Answers for the SP-002 run started from here (`answers.sp002`). */
  investigationAnswers?: unknown;
  /** The server has no drift endpoint (live): the check runs on the server instead. */
  notOffered?: boolean;
}

/** The verdict for people: a value this tool does not know is "unknown: server sent 'X'", never a FAIL. */
export function driftVerdictText(verdict: string): string {
  return describeValue(DRIFT_STATUSES, verdict) ?? 'none';
}

export function driftMarkdown(r: DriftReport): string {
  return [
    `# KPI drift — ${r.tenant_code}/${r.site_code} — ${driftVerdictText(r.verdict)}`,
    '',
    `Run: ${r.run_id ?? 'latest'} · baseline of ${r.baseline_date ?? '?'}`,
    r.score !== undefined ? `Live detector: score ${r.score} (${r.level ?? '?'})` : '',
    '',
    table(
      ['KPI', 'Baseline', 'Current', 'Drift %', 'Rule', 'Verdict'],
      r.metrics.map((m) => [m.kpi, m.baseline, m.current, m.drift_pct, m.rule, driftVerdictText(m.verdict)]),
    ),
    '',
  ].join('\n');
}

/** `headcount=150, coverage=100` -> {headcount: 150, coverage: 100}. */
export function parseBaselineValues(v: unknown): Record<string, number | BaselineBand> | string {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const out: Record<string, number | BaselineBand> = {};
    for (const [k, x] of Object.entries(v)) {
      if (typeof x === 'number' && Number.isFinite(x)) out[k] = x;
      else if (x && typeof x === 'object') out[k] = x as BaselineBand;
      else return `${k}: not a number`;
    }
    return Object.keys(out).length ? out : 'no values';
  }
  if (typeof v !== 'string' || !v.trim()) return 'give values like "headcount=150, fte_ratio=0.97"';
  const out: Record<string, number> = {};
  for (const part of v.split(/[,;]/)) {
    const m = /^\s*([a-z_]+)\s*[=:]\s*(-?\d+(?:\.\d+)?)\s*$/i.exec(part);
    if (!m) return `cannot read "${part.trim()}" (use name=value)`;
    out[m[1] as string] = Number(m[2]);
  }
  return out;
}

function driftSteps(env: ProcedureEnv): Step<DriftState>[] {
  return [
    // Live answers 404: say so with the command that works there, not an ERROR from the call.
    notOfferedStep<DriftState>(env, 'drift', 'Does this server offer the drift check?'),
    {
      kind: 'do',
      id: 'drift',
      title: 'Run the drift check',
      run: async (s) => {
        s.report = await env.client.drift(s.runId, { signal: env.signal });
        const r = s.report;
        const off = r.metrics.filter((m) => m.verdict !== 'OK');
        // An unknown verdict is neither a pass nor a BLOCK: a warning that names what was sent.
        return {
          status: r.verdict === 'OK' ? 'ok' : r.verdict === 'BLOCK' ? 'fail' : 'warn',
          detail: `${driftVerdictText(r.verdict)} for ${r.run_id ?? 'the latest run'}${
            off.length
              ? `: ${off.map((m) => `${m.kpi} ${m.current} vs ${m.baseline} (${m.rule}${isKnown(DRIFT_STATUSES, m.verdict) ? '' : `; ${driftVerdictText(m.verdict)}`})`).join('; ')}`
              : ''
          }${r.level ? `; live detector ${r.level} (score ${r.score})` : ''}`,
        };
      },
    },
    {
      kind: 'do',
      id: 'report',
      title: 'Open the drift report',
      run: async (s) => {
        if (await env.host.commandExists('solvereign.openDriftReport')) {
          await env.host.executeCommand(
            'solvereign.openDriftReport',
            s.report?.run_id ?? s.runId ?? 'latest',
            {},
          );
          s.reportOpened = 'webview';
        } else {
          await env.host.openMarkdown(driftMarkdown(s.report as DriftReport));
          s.reportOpened = 'markdown';
        }
        return {
          detail: s.reportOpened === 'webview' ? 'drift report opened' : 'opened as a markdown document',
        };
      },
    },
    {
      kind: 'ask',
      id: 'decision',
      title: 'What now?',
      key: 'decision',
      pick: (s) => {
        const v = s.report?.verdict;
        const items: PickItem<DriftDecision>[] = [];
        if (v === 'WARN') items.push({ label: 'Document and proceed with approval', value: 'proceed' });
        if (v === 'BLOCK' || v === 'WARN' || !isKnown(DRIFT_STATUSES, v))
          items.push({ label: 'Investigate (SP-002)', value: 'investigate' });
        if (v === 'OK') items.push({ label: 'Done: no drift', value: 'done' });
        items.push({
          label: 'Update the baseline (drift is expected: seasonal, business change)',
          value: 'updateBaseline',
        });
        return items;
      },
      defaultAnswer: (s) => (s.report?.verdict === 'OK' ? 'done' : undefined),
      apply: (s, v: DriftDecision) => {
        s.decision = v;
      },
    },
    {
      kind: 'ask',
      id: 'approval',
      title: 'Approval note (WARN: document and proceed)',
      key: 'approvalNote',
      when: (s) => s.decision === 'proceed',
      input: () => ({ prompt: 'Who approved proceeding and why? (at least 10 characters)' }),
      validate: (v) => reasonProblem(v),
      apply: (s, v: string) => {
        s.approvalNote = v.trim();
      },
    },
    {
      kind: 'do',
      id: 'investigate',
      title: 'Investigate with SP-002',
      when: (s) => s.decision === 'investigate',
      run: async (s, ctx) => {
        const run = s.report?.run_id ?? s.runId;
        if (!run) return { status: 'fail', detail: 'no run to investigate' };
        ctx.report(`SP-002 on ${run}`);
        try {
          const r = (await env.host.executeCommand(
            'solvereign.sp002.investigateRun',
            run,
            s.investigationAnswers,
          )) as { result?: string; recordPath?: string } | undefined;
          s.investigation = { result: r?.result, recordPath: r?.recordPath };
          return {
            detail: `SP-002 on ${run}: ${r?.result ?? 'done'}${r?.recordPath ? ` (record ${r.recordPath})` : ''}`,
          };
        } catch (e) {
          s.investigation = { error: messageOf(e) };
          return { status: 'fail', detail: messageOf(e) };
        }
      },
    },
    {
      kind: 'do',
      id: 'baseline-role',
      title: 'Check your role (baseline: Ops Lead or Platform Lead)',
      when: (s) => s.decision === 'updateBaseline',
      run: async () => requireRole(env, BASELINE_ROLES, 'update the KPI baseline'),
    },
    {
      kind: 'ask',
      id: 'values',
      title: 'New baseline values',
      key: 'baselineValues',
      when: (s) => s.decision === 'updateBaseline',
      input: (s) => ({
        prompt: 'KPI=value, … (expected values; e.g. headcount=152)',
        value: (s.report?.metrics ?? [])
          .filter((m) => m.verdict !== 'OK' && m.current !== null)
          .map((m) => `${m.kpi}=${m.current}`)
          .join(', '),
      }),
      coerce: (raw) => parseBaselineValues(raw),
      validate: (v) => (typeof v === 'string' ? v : undefined),
      apply: (s, v: Record<string, number | BaselineBand>) => {
        s.values = v;
      },
      describe: (v) => JSON.stringify(v),
    },
    {
      kind: 'ask',
      id: 'reason',
      title: 'Reason for the baseline change (audited)',
      key: 'reason',
      when: (s) => s.decision === 'updateBaseline',
      input: () => ({ prompt: 'Why is the drift expected? (at least 10 characters)' }),
      validate: (v) => reasonProblem(v),
      apply: (s, v: string) => {
        s.reason = v.trim();
      },
    },
    confirmStep<DriftState>({
      title: 'Confirm: update the KPI baseline?',
      when: (s) => s.decision === 'updateBaseline',
      rows: (s) => [
        ['Action', 'update the KPI baseline'],
        ['Values', JSON.stringify(s.values ?? {})],
        ['Reason', s.reason ?? ''],
        ['As', `${env.who.email ?? 'unknown'} (${roleTitle(env.who.role)})`],
      ],
      go: () => 'Update the baseline now',
      keep: (s) => {
        s.request = { values: s.values ?? {}, reason: need(s.reason, 'the reason') };
      },
    }),
    {
      kind: 'do',
      id: 'update',
      title: 'Update the baseline',
      mutates: true,
      when: (s) => s.decision === 'updateBaseline',
      run: async (s) => {
        s.updated = await env.client.updateBaseline(need(s.request, 'the confirmed request'), {
          signal: env.signal,
        });
        return {
          detail: `baseline of ${s.updated.baseline_date ?? '?'}; verdict now ${driftVerdictText(s.updated.verdict)}`,
        };
      },
    },
  ];
}

export const sp004: ProcedureDef<DriftState> = {
  procedure: 'SP-004',
  title: 'SP-004 KPI Drift Check',
  command: 'solvereign.sp004.driftCheck',
  init: (_env, { runId, answers, scripted }) => ({
    runId,
    investigationAnswers: answers.sp002 ?? (scripted ? { resolution: 'none' } : undefined),
  }),
  steps: driftSteps,
  finish: (s, run, env) => {
    if (s.notOffered)
      return {
        result: 'NOT_OFFERED',
        summary: [env.capabilities?.fallbackText('drift') ?? 'not offered by this server'],
        extra: { notOffered: true },
      };
    const r = s.report;
    if (!r) return {};
    const summary = [`Drift ${driftVerdictText(r.verdict)} for ${r.run_id ?? 'the latest run'}`];
    let result: string = isKnown(DRIFT_STATUSES, r.verdict) ? r.verdict : 'UNKNOWN';
    const blocked = run.status === 'stopped' ? run.steps.at(-1) : undefined;
    if (blocked?.status === 'blocked') {
      summary.push(blocked.detail);
      result = 'BLOCKED';
    }
    if (s.decision === 'proceed' && s.approvalNote) {
      summary.push(`WARN documented; proceeding with approval: ${s.approvalNote}`);
      result = 'WARN_APPROVED';
    }
    if (s.decision === 'investigate') summary.push('Investigation (SP-002) started before proceeding.');
    if (s.updated) {
      summary.push(
        `Baseline updated (${JSON.stringify(s.values)}): ${s.reason}. Verdict now ${driftVerdictText(s.updated.verdict)}.`,
      );
      result = 'BASELINE_UPDATED';
    }
    return {
      result,
      summary,
      sections: [{ title: 'Drift report', body: driftMarkdown(r).replace(/^# .*\n/, '') }],
      subject: r.run_id ?? undefined,
      extra: {
        runId: r.run_id,
        driftVerdict: r.verdict,
        decision: s.decision,
        approvalNote: s.approvalNote,
        reportOpened: s.reportOpened,
        investigation: s.investigation,
        baselineUpdated: !!s.updated,
      },
    };
  },
};
