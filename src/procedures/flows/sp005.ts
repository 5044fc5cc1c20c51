// SP-005 Fire Drill: pre-drill state must be enabled; disable (timed), verify disabled, enable
// (timed), verify enabled; PASS only if both toggles are under 5 s and verified; recorded on the
// server and in the record (src/ops/fireDrill.ts runs the sequence). If enable fails after
// disable: an alarm (status bar item), a retry, and a drafted incident — never a silent half-done drill.
import { type DrillStep, type FireDrillOutcome, runFireDrill } from '../../ops/fireDrill';
import { FIRE_DRILL_TARGET_MS, KILL_SWITCH_ROLES } from '../../shared/runbook';
import type { ProcedureEnv } from '../context';
import { confirmStep, messageOf, reasonProblem, type Step, type StepStatus } from '../engine/engine';
import { formatMs, table } from '../engine/record';
import type { ProcedureDef } from '../runner';
import {
  type CreatedIncident,
  codeBlock,
  createIncident,
  notOfferedStep,
  requireRole,
  roleTitle,
} from './common';

export interface DrillState {
  retry: boolean;
  confirmed?: boolean;
  reason: string;
  outcome?: FireDrillOutcome;
  incident?: CreatedIncident;
  incidentDraft?: string;
  recovered?: boolean;
  /** The server has no per-site drill (live): its own outcome, never a FAIL. */
  notOffered?: boolean;
}

const DRILL_TITLES: Record<DrillStep['step'], string> = {
  'pre-check': 'Pre-drill: publish and lock enabled',
  disable: 'Disable publish/lock (timed)',
  'verify-disabled': 'Verify disabled',
  enable: 'Re-enable publish/lock (timed)',
  'verify-enabled': 'Verify enabled',
  record: 'Record the drill on the server',
};

export function alarmFor(env: ProcedureEnv): Parameters<ProcedureEnv['host']['setAlarm']>[0] {
  const site = env.environment.site ?? 'the site';
  return {
    text: `$(alert) ${site}: publish/lock frozen`,
    tooltip: `SP-005 fire drill could not re-enable publish/lock on ${site}. Click to retry the enable.`,
    command: { command: 'solvereign.sp005.fireDrill', arguments: [{ retryEnable: true }] },
  };
}

function drillSteps(env: ProcedureEnv): Step<DrillState>[] {
  const site = env.environment.site ?? 'this site';
  return [
    // Not offered comes first: a server without per-site drills has none for any role.
    notOfferedStep<DrillState>(env, 'fireDrills', 'Does this server offer a per-site fire drill?'),
    {
      kind: 'do',
      id: 'role',
      title: 'Check your role (drill: Dispatcher, Ops Lead or Platform Lead)',
      run: async () => requireRole(env, KILL_SWITCH_ROLES.drill, 'run a fire drill'),
    },
    {
      kind: 'ask',
      id: 'reason',
      title: 'Reason recorded with the toggles',
      key: 'reason',
      when: (s) => !s.retry,
      input: (s) => ({ prompt: 'Reason (at least 10 characters)', value: s.reason }),
      defaultAnswer: (s) => s.reason,
      validate: (v) => reasonProblem(v),
      apply: (s, v: string) => {
        s.reason = v.trim();
      },
    },
    confirmStep<DrillState>({
      title: `Start the fire drill on ${site}? Publish and lock are disabled for a few seconds.`,
      when: (s) => !s.retry,
      rows: (s) => [
        ['Action', 'disable, then re-enable publish and lock (fire drill)'],
        ['Mode', 'drill'],
        ['Site', site],
        ['Reason', s.reason ?? ''],
        ['As', `${env.who.email ?? 'unknown'} (${roleTitle(env.who.role)})`],
      ],
      go: () => `Start the drill on ${site}`,
      keep: (s) => {
        s.confirmed = true;
      },
    }),
    {
      kind: 'do',
      id: 'drill',
      title: 'Fire drill (disable, verify, enable, verify)',
      mutates: true,
      when: (s) => !s.retry,
      run: async (s, ctx) => {
        if (!s.confirmed) return { status: 'skipped', stop: true, detail: 'the drill was not confirmed' };
        const out = await runFireDrill(env.client, {
          reason: s.reason,
          signal: env.signal,
          onStep: (d) => {
            const timed = d.step === 'disable' || d.step === 'enable';
            const slow = timed && d.ok && d.ms >= FIRE_DRILL_TARGET_MS;
            ctx.report(DRILL_TITLES[d.step]);
            ctx.addStep({
              id: `drill-${d.step}`,
              title: DRILL_TITLES[d.step],
              status: (d.ok
                ? slow
                  ? 'fail'
                  : 'ok'
                : d.step === 'pre-check'
                  ? 'blocked'
                  : 'fail') as StepStatus,
              ms: d.ms,
              detail: `${d.detail}${timed && d.ok ? ` (${formatMs(d.ms)}; target < 5 s${slow ? ': TOO SLOW' : ''})` : ''}`,
            });
          },
        });
        s.outcome = out;
        if (out.alarm) env.host.setAlarm(alarmFor(env));
        const times = `disable ${out.disableMs ?? '—'} ms, enable ${out.enableMs ?? '—'} ms`;
        if (out.result === 'BLOCKED') {
          return {
            status: 'blocked',
            stop: true,
            detail: out.error ? messageOf(out.error) : 'pre-drill check failed',
          };
        }
        return {
          status: out.result === 'PASS' ? 'ok' : 'fail',
          detail: `${out.result}: ${times}; ${out.verifiedDisabled ? 'disabled verified' : 'disabled NOT verified'}, ${
            out.verifiedEnabled ? 'enabled verified' : 'enabled NOT verified'
          }${out.alarm ? '; ALARM: publish/lock may still be frozen' : ''}`,
        };
      },
    },
    {
      kind: 'do',
      id: 'incident',
      title: 'Draft an S1 incident (the site may be left frozen)',
      when: (s) => !!s.outcome?.alarm,
      run: async (s) => {
        const summary = `SP-005 fire drill on ${site}: publish/lock could not be re-enabled after the disable (${
          s.outcome?.error ? messageOf(s.outcome.error).slice(0, 200) : 'enable not verified'
        })`;
        s.incidentDraft = summary;
        try {
          s.incident = await createIncident(env, {
            type: 'stability',
            severity: 'S1',
            summary: summary.slice(0, 500),
            status: 'new',
            tenant_id: env.environment.tenant ?? null,
            timeline: [
              {
                timestamp: env.now().toISOString(),
                action: 'Fire drill left the kill switch active',
                actor: env.who.email ?? null,
              },
            ],
          });
          return {
            status: 'warn',
            detail: `${s.incident.id} (${s.incident.where}${s.incident.path ? `: ${s.incident.path}` : ''})`,
          };
        } catch (e) {
          return { status: 'fail', detail: `not created (${messageOf(e)}); the draft is in this record` };
        }
      },
    },
    // Retry path: only the enable and its verification.
    {
      kind: 'do',
      id: 'retry-enable',
      title: 'Re-enable publish/lock (retry)',
      mutates: true,
      when: (s) => s.retry,
      run: async (s) => {
        const t0 = performance.now();
        await env.client.killSwitch(
          { action: 'enable', mode: 'drill', reason: `${s.reason} — retry enable after failed drill` },
          { signal: env.signal },
        );
        return { detail: `enabled in ${Math.round(performance.now() - t0)} ms` };
      },
    },
    {
      kind: 'do',
      id: 'retry-verify',
      title: 'Verify enabled',
      when: (s) => s.retry,
      run: async (s) => {
        const st = await env.client.status({ signal: env.signal });
        s.recovered = !st.kill_switch_active && st.publish_enabled && st.lock_enabled;
        if (s.recovered) env.host.setAlarm(undefined);
        return {
          status: s.recovered ? 'ok' : 'fail',
          detail: `publish ${st.publish_enabled ? 'enabled' : 'disabled'}, lock ${
            st.lock_enabled ? 'enabled' : 'disabled'
          }, kill switch ${st.kill_switch_active ? 'on' : 'off'}`,
        };
      },
    },
  ];
}

export const sp005: ProcedureDef<DrillState> = {
  procedure: 'SP-005',
  title: 'SP-005 Fire Drill',
  command: 'solvereign.sp005.fireDrill',
  init: (_env, { answers }) => ({ retry: answers.retryEnable === true, reason: 'Fire drill (SP-005)' }),
  steps: drillSteps,
  finish: (s, _run, env) => {
    if (s.retry) {
      return {
        result: s.recovered ? 'RECOVERED' : s.recovered === false ? 'FAIL' : undefined,
        summary: [
          s.recovered
            ? 'Publish/lock re-enabled and verified; alarm cleared.'
            : 'Publish/lock are still not enabled.',
        ],
        extra: { recovered: s.recovered === true, alarm: !s.recovered },
      };
    }
    const o = s.outcome;
    if (s.notOffered) {
      return {
        result: 'NOT_OFFERED',
        summary: [env.capabilities?.fallbackText('fireDrills') ?? 'not offered by this server'],
        extra: { alarm: false, notOffered: true },
      };
    }
    if (!o) return { result: s.confirmed === false ? 'NOT_STARTED' : undefined, extra: { alarm: false } };
    const summary = [
      `Result ${o.result}: disable ${o.disableMs ?? '—'} ms, enable ${o.enableMs ?? '—'} ms (target < ${FIRE_DRILL_TARGET_MS / 1000} s each); ${o.verifiedDisabled ? 'disabled verified' : 'disabled NOT verified'}, ${
        o.verifiedEnabled ? 'enabled verified' : 'enabled NOT verified'
      }`,
    ];
    if (o.recorded) summary.push(`Recorded on the server as ${o.recorded.id}`);
    if (o.alarm) {
      summary.push(
        `ALARM: publish/lock on ${env.environment.site} may still be frozen. Retry the enable (status bar item or "SP-005 Fire Drill" with retryEnable), then verify with SP-001.`,
      );
      if (s.incident) summary.push(`Incident ${s.incident.id} drafted (${s.incident.where})`);
    }
    const sections = [
      {
        title: 'Drill times',
        body: table(
          ['Toggle', 'Time', 'Target', 'Verified'],
          [
            [
              'Disable',
              o.disableMs == null ? null : `${o.disableMs} ms`,
              '< 5 s',
              o.verifiedDisabled ? 'yes' : 'no',
            ],
            [
              'Enable',
              o.enableMs == null ? null : `${o.enableMs} ms`,
              '< 5 s',
              o.verifiedEnabled ? 'yes' : 'no',
            ],
          ],
        ),
      },
    ];
    if (s.incidentDraft && !s.incident)
      sections.push({ title: 'Incident draft (not filed)', body: codeBlock(s.incidentDraft) });
    return {
      result: o.result,
      summary,
      sections,
      subject: env.environment.site,
      extra: {
        disableMs: o.disableMs,
        enableMs: o.enableMs,
        verifiedDisabled: o.verifiedDisabled,
        verifiedEnabled: o.verifiedEnabled,
        alarm: o.alarm,
        drillId: o.recorded?.id,
        drillSteps: o.steps,
        drillError: o.error ? messageOf(o.error) : undefined,
        incidentId: s.incident?.id,
        incidentWhere: s.incident?.where,
      },
    };
  },
  after: async (s, _result, env) => {
    if (s.outcome?.alarm) {
      env.host.notify(
        'error',
        `SP-005: publish/lock on ${env.environment.site} may still be frozen — the enable failed.`,
        [
          {
            title: 'Retry Enable',
            run: () => void env.host.executeCommand('solvereign.sp005.fireDrill', { retryEnable: true }),
          },
        ],
      );
      return;
    }
    // The drill history webview (Reports area) when it is there; the record has the times either way.
    if (
      s.outcome &&
      s.outcome.result !== 'BLOCKED' &&
      (await env.host.commandExists('solvereign.openFireDrillHistory'))
    ) {
      await env.host.executeCommand('solvereign.openFireDrillHistory', {});
    }
  },
};
