// SP-006 Emergency Kill Switch and its recovery. The role check comes first, before anything is
// asked; the reason is required before executing; typing the site name confirms; then the switch,
// an S1 incident and the stakeholder notice. Recovery needs the Platform Lead and an RCA
// reference, and adds a lessons-learned entry to the incident's timeline.
import type { Incident, SystemStatus } from '../../api/schemas';
import { isActiveIncident } from '../../api/schemas';
import { KILL_SWITCH_ROLES } from '../../shared/runbook';
import type { ProcedureEnv } from '../context';
import { messageOf, type PickItem, reasonProblem, type Step } from '../engine/engine';
import type { ProcedureDef } from '../runner';
import {
  type CreatedIncident,
  codeBlock,
  contactFor,
  contactLabel,
  createIncident,
  requireRole,
} from './common';

export interface KillState {
  status?: SystemStatus;
  reason?: string;
  confirmed?: boolean;
  after?: SystemStatus;
  incident?: CreatedIncident;
  incidentError?: string;
  notice?: string;
  alreadyActive?: boolean;
}

export function stakeholderNotice(
  env: ProcedureEnv,
  reason: string,
  at: string,
  incidentId?: string,
): string {
  const contacts = env.host.contacts();
  const to = contacts.filter((c) => c.email || c.phone).map(contactLabel);
  const site = env.environment.site ?? '?';
  return [
    `To: ${to.join(', ')}`,
    `Subject: [SOLVEREIGN] EMERGENCY kill switch activated — ${env.environment.tenant ?? '?'}/${site}`,
    '',
    `Publishing and locking of rosters for site ${site} were stopped at ${at} by ${env.who.email ?? 'unknown'} (${env.who.role ?? '?'}).`,
    '',
    `Reason: ${reason}`,
    incidentId ? `Incident: ${incidentId} (S1)` : 'Incident: not created — see the record',
    '',
    'What this means: no plan can be published or locked for this site until the Platform Lead re-enables it',
    'after a root cause analysis (SUPPORT_RUNBOOK.md SP-006, step 4). Plans already published stay as they are.',
    '',
    `Contact: ${contactLabel(contactFor(contacts, 'Platform Lead'))}`,
  ].join('\n');
}

function killSteps(env: ProcedureEnv): Step<KillState>[] {
  const site = env.environment.site ?? '';
  return [
    {
      kind: 'do',
      id: 'role',
      title: 'Check your role (Ops Lead or Platform Lead only)',
      run: async () =>
        requireRole(env, KILL_SWITCH_ROLES.emergencyDisable, 'activate the emergency kill switch'),
    },
    {
      kind: 'do',
      id: 'state',
      title: 'Check the current state',
      run: async (s) => {
        s.status = await env.client.status({ signal: env.signal });
        if (s.status.kill_switch_active) {
          s.alreadyActive = true;
          return {
            status: 'blocked',
            stop: true,
            detail: `the kill switch is already active for ${site} (${s.status.kill_switch_mode ?? '?'} mode, by ${
              s.status.kill_switch_activated_by ?? '?'
            }: ${s.status.kill_switch_reason ?? 'no reason'}); nothing to do`,
          };
        }
        return {
          detail: `publish_enabled=${s.status.publish_enabled}, lock_enabled=${s.status.lock_enabled}`,
        };
      },
    },
    {
      kind: 'ask',
      id: 'reason',
      title: 'Reason (documented before executing)',
      key: 'reason',
      input: () => ({
        prompt: 'What happened? (security incident, critical bug, ops request — at least 10 characters)',
      }),
      validate: (v) => reasonProblem(v),
      apply: (s, v: string) => {
        s.reason = v.trim().replace(/^EMERGENCY:\s*/i, '');
      },
    },
    {
      kind: 'ask',
      id: 'confirm',
      title: `Type the site name "${site}" to stop publish and lock`,
      key: 'confirmSite',
      input: () => ({ prompt: `Type ${site} to confirm the EMERGENCY kill switch`, placeholder: site }),
      validate: (v) => (typeof v === 'string' && v.trim() === site ? undefined : `type exactly "${site}"`),
      apply: (s) => {
        s.confirmed = true;
      },
      describe: (v) => `confirmed by typing "${v}"`,
    },
    {
      kind: 'do',
      id: 'execute',
      title: 'Activate the kill switch (emergency)',
      mutates: true,
      run: async (s) => {
        const t0 = performance.now();
        s.after = await env.client.killSwitch(
          { action: 'disable', mode: 'emergency', reason: `EMERGENCY: ${s.reason}` },
          { signal: env.signal },
        );
        return {
          status: s.after.kill_switch_active ? 'ok' : 'fail',
          detail: `kill_switch_active=${s.after.kill_switch_active}, publish_enabled=${s.after.publish_enabled}, lock_enabled=${
            s.after.lock_enabled
          } (${Math.round(performance.now() - t0)} ms)`,
        };
      },
    },
    {
      kind: 'do',
      id: 'incident',
      title: 'Create the S1 incident',
      run: async (s) => {
        const at = env.now().toISOString();
        try {
          s.incident = await createIncident(env, {
            type: 'stability',
            severity: 'S1',
            status: 'active',
            summary: `EMERGENCY kill switch on ${env.environment.tenant}/${site}: ${s.reason}`.slice(0, 500),
            tenant_id: env.environment.tenant ?? null,
            assigned_to: env.who.email ?? null,
            timeline: [
              {
                timestamp: at,
                action: `Kill switch activated (SP-006): ${s.reason}`,
                actor: env.who.email ?? null,
              },
            ],
          });
          return { detail: `${s.incident.id} (${s.incident.where})` };
        } catch (e) {
          s.incidentError = messageOf(e);
          return { status: 'fail', detail: s.incidentError };
        }
      },
    },
    {
      kind: 'do',
      id: 'notify',
      title: 'Stakeholder notice',
      run: async (s) => {
        s.notice = stakeholderNotice(
          env,
          s.reason as string,
          s.after?.kill_switch_activated_at ?? env.now().toISOString(),
          s.incident?.id,
        );
        return {
          detail: `to ${env.host.contacts().filter((c) => c.email || c.phone).length} contacts (opened as a document)`,
        };
      },
    },
  ];
}

export const sp006Kill: ProcedureDef<KillState> = {
  procedure: 'SP-006',
  title: 'SP-006 Emergency Kill Switch',
  command: 'solvereign.sp006.killSwitch',
  init: () => ({}),
  steps: killSteps,
  finish: (s, _run, env) => {
    const executed = !!s.after?.kill_switch_active;
    const summary: string[] = [];
    if (executed)
      summary.push(
        `Kill switch ACTIVE for ${env.environment.site}: publish and lock are stopped. Reason: ${s.reason}`,
      );
    if (s.incident) summary.push(`S1 incident ${s.incident.id} (${s.incident.where})`);
    if (s.incidentError) summary.push(`Incident NOT created: ${s.incidentError} — create it by hand`);
    if (s.alreadyActive) summary.push('The kill switch was already active; nothing changed.');
    return {
      result: executed ? 'EXECUTED' : s.alreadyActive ? 'ALREADY_ACTIVE' : undefined,
      summary,
      sections: s.notice ? [{ title: 'Stakeholder notice', body: codeBlock(s.notice) }] : [],
      subject: env.environment.site,
      extra: {
        incidentId: s.incident?.id,
        incidentWhere: s.incident?.where,
        notice: s.notice,
        status: s.after,
      },
    };
  },
  after: async (s, _r, env) => {
    if (s.notice) await env.host.openMarkdown(`# Stakeholder notice\n\n${codeBlock(s.notice)}\n`);
    if (s.after?.kill_switch_active) {
      env.host.notify(
        'warn',
        `SP-006: kill switch ACTIVE for ${env.environment.site}. Notify the stakeholders (notice opened).`,
      );
    }
  },
};

// ---------------------------------------------------------------- recovery

export interface RecoverState {
  status?: SystemStatus;
  rcaRef?: string;
  incidentId?: string;
  incidents: Incident[];
  lessons?: string;
  reason?: string;
  after?: SystemStatus;
  incidentUpdated?: boolean;
  notActive?: boolean;
}

function recoverSteps(env: ProcedureEnv): Step<RecoverState>[] {
  const site = env.environment.site ?? '';
  return [
    {
      kind: 'do',
      id: 'role',
      title: 'Check your role (Platform Lead approves the re-enable)',
      run: async () =>
        requireRole(env, KILL_SWITCH_ROLES.emergencyEnable, 're-enable after an emergency stop'),
    },
    {
      kind: 'do',
      id: 'state',
      title: 'Check the current state',
      run: async (s) => {
        s.status = await env.client.status({ signal: env.signal });
        if (!s.status.kill_switch_active) {
          s.notActive = true;
          return {
            status: 'skipped',
            stop: true,
            detail: `the kill switch is not active for ${site}; nothing to recover`,
          };
        }
        try {
          s.incidents = (await env.client.incidents({ signal: env.signal })).incidents.filter(
            isActiveIncident,
          );
        } catch {
          s.incidents = [];
        }
        return {
          detail: `active since ${s.status.kill_switch_activated_at ?? '?'} (${s.status.kill_switch_mode ?? '?'}): ${s.status.kill_switch_reason ?? ''}`,
        };
      },
    },
    {
      kind: 'ask',
      id: 'rca',
      title: 'Root cause analysis reference (required before re-enable)',
      key: 'rcaRef',
      input: () => ({ prompt: 'RCA document or ticket, e.g. RCA-2026-014', placeholder: 'RCA-…' }),
      validate: (v) =>
        typeof v === 'string' && v.trim().length >= 3 ? undefined : 'an RCA reference is required',
      apply: (s, v: string) => {
        s.rcaRef = v.trim();
      },
    },
    {
      kind: 'ask',
      id: 'incident',
      title: 'Incident of the emergency stop',
      key: 'incidentId',
      pick: (s) => [
        ...s.incidents.map(
          (i): PickItem<string> => ({
            label: i.id,
            value: i.id,
            description: `${i.severity} · ${i.status}`,
            detail: i.summary,
          }),
        ),
        { label: 'No incident to update', value: 'none' },
      ],
      validate: (v, s) =>
        v === 'none' || s.incidents.some((i) => i.id === v) || /^INC-\d{8}-[A-Z0-9]{6}$/.test(String(v))
          ? undefined
          : 'an incident id (INC-YYYYMMDD-XXXXXX) or "none"',
      defaultAnswer: (s) =>
        s.incidents.find((i) => i.severity === 'S1' && /kill switch/i.test(i.summary))?.id ?? 'none',
      apply: (s, v: string) => {
        s.incidentId = v === 'none' ? undefined : v;
      },
    },
    {
      kind: 'ask',
      id: 'lessons',
      title: 'Lessons learned (added to the incident timeline)',
      key: 'lessonsLearned',
      input: () => ({ prompt: 'What do we do differently? (at least 10 characters)' }),
      validate: (v) => reasonProblem(v),
      apply: (s, v: string) => {
        s.lessons = v.trim();
      },
    },
    {
      kind: 'ask',
      id: 'reason',
      title: 'Reason for the re-enable',
      key: 'reason',
      input: (s) => ({ prompt: 'Reason (at least 10 characters)', value: `Recovery after RCA ${s.rcaRef}` }),
      defaultAnswer: (s) => `Recovery after root cause analysis ${s.rcaRef}`,
      validate: (v) => reasonProblem(v),
      apply: (s, v: string) => {
        s.reason = v.trim();
      },
    },
    {
      kind: 'do',
      id: 'execute',
      title: 'Re-enable publish and lock',
      mutates: true,
      run: async (s) => {
        s.after = await env.client.killSwitch(
          { action: 'enable', mode: 'emergency', reason: s.reason as string, rca_ref: s.rcaRef },
          { signal: env.signal },
        );
        const ok = !s.after.kill_switch_active && s.after.publish_enabled && s.after.lock_enabled;
        return {
          status: ok ? 'ok' : 'fail',
          detail: `kill_switch_active=${s.after.kill_switch_active}, publish_enabled=${s.after.publish_enabled}, lock_enabled=${s.after.lock_enabled}`,
        };
      },
    },
    {
      kind: 'do',
      id: 'lessons-entry',
      title: 'Add lessons learned to the incident timeline',
      when: (s) => !!s.incidentId,
      run: async (s) => {
        try {
          await env.client.patchIncident(
            s.incidentId as string,
            {
              status: 'resolved',
              root_cause: `See ${s.rcaRef}`,
              timeline_entry: {
                action: `Lessons learned (RCA ${s.rcaRef}): ${s.lessons}`,
                actor: env.who.email ?? null,
              },
            },
            { signal: env.signal },
          );
          s.incidentUpdated = true;
          return { detail: `${s.incidentId}: lessons learned added, resolved` };
        } catch (e) {
          return {
            status: 'fail',
            detail: `${s.incidentId} not updated (${messageOf(e)}); add the lessons learned by hand`,
          };
        }
      },
    },
  ];
}

export const sp006Recover: ProcedureDef<RecoverState> = {
  procedure: 'SP-006',
  title: 'SP-006 Recover from Kill Switch',
  command: 'solvereign.sp006.recover',
  init: () => ({ incidents: [] }),
  steps: recoverSteps,
  finish: (s, _run, env) => {
    const ok = !!s.after && !s.after.kill_switch_active;
    const summary: string[] = [];
    if (ok) summary.push(`Publish and lock re-enabled for ${env.environment.site} (RCA ${s.rcaRef}).`);
    if (s.lessons) summary.push(`Lessons learned: ${s.lessons}`);
    if (s.notActive) summary.push('The kill switch was not active.');
    return {
      result: ok ? 'RECOVERED' : s.notActive ? 'NOT_ACTIVE' : undefined,
      summary,
      subject: env.environment.site,
      extra: {
        rcaRef: s.rcaRef,
        incidentId: s.incidentId,
        incidentUpdated: s.incidentUpdated === true,
        status: s.after,
      },
    };
  },
  after: async (s, _r, env) => {
    if (s.after && !s.after.kill_switch_active) env.host.setAlarm(undefined);
  },
};
