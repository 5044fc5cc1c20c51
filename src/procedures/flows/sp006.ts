// SP-006 Emergency Kill Switch and its recovery. The role check comes first, before anything is
// asked; the reason is required before executing; typing the site name confirms; then the switch,
// an S1 incident and the stakeholder notice. Recovery needs the Platform Lead and an RCA
// reference, and adds a lessons-learned entry to the incident's timeline.
import type { Incident, SystemStatus } from '../../api/schemas';
import { isActiveIncident } from '../../api/schemas';
import { CONTACTS_SETTING } from '../../incidents/sla';
import { humanTime } from '../../shared/humanTime';
import { KILL_SWITCH_ROLES } from '../../shared/runbook';
import { offered, type ProcedureEnv } from '../context';
import {
  confirmRows,
  confirmStep,
  messageOf,
  need,
  type PickItem,
  reasonProblem,
  type Step,
  yesNo,
} from '../engine/engine';
import { recordFileName } from '../engine/record';
import type { ProcedureDef } from '../runner';
import {
  type CreatedIncident,
  codeBlock,
  contactFor,
  contactLabel,
  createIncident,
  killSwitchMutation,
  placeholderNote,
  requireRole,
  roleTitle,
} from './common';

/** Exactly what the confirmation showed and the switch call sends. */
export interface KillRequest {
  action: 'disable';
  mode: 'emergency';
  reason: string;
  site: string;
  as: string;
}

export interface KillState {
  status?: SystemStatus;
  reason?: string;
  request?: KillRequest;
  /** A fire drill held the switch: this emergency stop upgrades it. */
  upgradesDrill?: boolean;
  after?: SystemStatus;
  incident?: CreatedIncident;
  incidentError?: string;
  notice?: string;
  noticePath?: string;
  alreadyActive?: boolean;
  /** The server has no kill switch over HTTP: the operator runs the command on the server. */
  byOperator?: { command: string; ran?: boolean; verified?: boolean };
}

function killRows(r: KillRequest): [string, string][] {
  return [
    ['Action', 'stop publish and lock (kill switch on)'],
    ['Mode', 'emergency'],
    ['Site', r.site],
    ['Reason', `EMERGENCY: ${r.reason}`],
    ['As', r.as],
  ];
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
    ...(placeholderNote(contacts.filter((c) => c.email || c.phone))
      ? ['', placeholderNote(contacts) as string]
      : []),
  ].join('\n');
}

function operatorCommand(env: ProcedureEnv, s: KillState): string {
  return (
    env.capabilities?.killSwitchCommand(
      'disable',
      env.who.email ?? 'unknown',
      `EMERGENCY: ${s.reason ?? ''}`,
    ) ?? ''
  );
}

function killRequest(env: ProcedureEnv, s: KillState): KillRequest {
  return {
    action: 'disable',
    mode: 'emergency',
    reason: need(s.reason, 'the reason'),
    site: env.environment.site ?? '?',
    as: `${env.who.email ?? 'unknown'} (${roleTitle(env.who.role)})`,
  };
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
      id: 'capability',
      title: 'Does this server switch over HTTP?',
      // Asked before anything else: in an emergency, learn first that the switch is manual here.
      when: () => !offered(env, 'killSwitch'),
      run: async (s) => {
        s.byOperator = { command: '' };
        return {
          status: 'skipped',
          detail: `not offered by this server: ${env.capabilities?.fallbackText('killSwitch') ?? ''}`,
        };
      },
    },
    {
      kind: 'do',
      id: 'state',
      title: 'Check the current state',
      run: async (s) => {
        s.status = await env.client.status({ signal: env.signal });
        if (s.status.kill_switch_active && s.status.kill_switch_mode === 'drill') {
          // An emergency during a fire drill must not end with the drill's re-enable (no RCA needed).
          s.upgradesDrill = true;
          return {
            status: 'warn',
            detail: `a fire drill holds the kill switch for ${site} (by ${
              s.status.kill_switch_activated_by ?? 'unknown'
            }); this emergency stop upgrades it to emergency: only the Platform Lead can lift it, with an RCA`,
          };
        }
        if (s.status.kill_switch_active) {
          s.alreadyActive = true;
          return {
            status: 'blocked',
            stop: true,
            detail: `the kill switch is already on for ${site} (${s.status.kill_switch_mode ?? 'mode not reported'}, by ${
              s.status.kill_switch_activated_by ?? 'unknown'
            }, ${humanTime(s.status.kill_switch_activated_at, env.now())}: ${
              s.status.kill_switch_reason ?? 'no reason given'
            }); nothing to do`,
          };
        }
        return {
          detail: `kill switch off; publish ${s.status.publish_enabled ? 'enabled' : 'disabled'}, lock ${
            s.status.lock_enabled ? 'enabled' : 'disabled'
          }`,
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
      // Typing the site is the confirmation: the prompt shows exactly what will be sent.
      input: (s) => ({
        prompt: `Type ${site} to send: ${confirmRows(killRows(killRequest(env, s)))}`,
        placeholder: site,
      }),
      validate: (v) => (typeof v === 'string' && v.trim() === site ? undefined : `type exactly "${site}"`),
      apply: (s) => {
        s.request = killRequest(env, s);
      },
      describe: (v, s) => `confirmed by typing "${v}" — ${confirmRows(killRows(killRequest(env, s)))}`,
    },
    {
      kind: 'ask',
      id: 'fallback',
      title: 'Run the kill switch on the server',
      key: 'ranOnServer',
      when: (s) => !!s.byOperator,
      pick: (s) => {
        const cmd = operatorCommand(env, s);
        return [
          {
            label: '$(copy) Copy the command; I ran it on the server — verify now',
            value: true,
            detail: cmd,
          },
          { label: 'Not now — record it as not done', value: false, detail: cmd },
        ];
      },
      placeholder: (s) =>
        `Run on the server (not in your terminal): ${operatorCommand(env, s)}${
          env.capabilities?.killSwitchScope ? ` — ${env.capabilities.killSwitchScope}` : ''
        }`,
      coerce: yesNo,
      defaultAnswer: () => false,
      apply: (s, v: boolean) => {
        const command = operatorCommand(env, s);
        s.byOperator = { command, ran: v };
      },
      describe: (v: boolean, s) => `${v ? 'the operator ran' : 'not run'}: ${operatorCommand(env, s)}`,
    },
    {
      kind: 'do',
      id: 'copy',
      title: 'Copy the command',
      when: (s) => !!s.byOperator,
      run: async (s) => {
        const cmd = need(s.byOperator, 'the command').command;
        await env.host.copyToClipboard(cmd);
        return { detail: `copied: ${cmd}` };
      },
    },
    {
      kind: 'do',
      id: 'verify',
      title: 'Verify over HTTP: is the kill switch on?',
      when: (s) => s.byOperator?.ran === true,
      run: async (s) => {
        s.after = await env.client.status({ signal: env.signal });
        const op = need(s.byOperator, 'the command');
        op.verified = s.after.kill_switch_active;
        const scope = env.capabilities?.killSwitchScope;
        return op.verified
          ? { detail: `kill switch on${scope ? ` — ${scope}` : ''}` }
          : {
              status: 'fail',
              detail:
                'the server still reports the kill switch off: the command did not run, or failed on the server',
            };
      },
    },
    {
      kind: 'do',
      id: 'execute',
      title: 'Activate the kill switch (emergency)',
      when: (s) => !s.byOperator,
      mutates: true,
      run: async (s) => {
        const req = need(s.request, 'the confirmed request');
        const t0 = performance.now();
        s.after = await env.client.killSwitch(
          { action: req.action, mode: req.mode, reason: `EMERGENCY: ${req.reason}` },
          { signal: env.signal },
        );
        env.host.mutated?.(killSwitchMutation(s.after));
        const ms = Math.round(performance.now() - t0);
        const mode = s.after.kill_switch_mode;
        const ok = s.after.kill_switch_active && (mode === 'emergency' || mode == null);
        return {
          status: ok ? 'ok' : 'fail',
          detail: s.after.kill_switch_active
            ? `kill switch on (${mode ?? 'mode not reported'})${
                mode === 'drill'
                  ? ': the server kept the fire drill mode, so a dispatcher could re-enable without an RCA — tell the Platform Lead'
                  : ''
              }; publish ${s.after.publish_enabled ? 'STILL enabled' : 'disabled'}, lock ${
                s.after.lock_enabled ? 'STILL enabled' : 'disabled'
              } (${ms} ms)`
            : `the server answered but the kill switch is NOT on (${ms} ms)`,
        };
      },
    },
    {
      kind: 'do',
      id: 'incident',
      title: 'Create the S1 incident',
      when: (s) => !s.byOperator || s.byOperator.verified === true,
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
      when: (s) => !s.byOperator || s.byOperator.verified === true,
      run: async (s) => {
        const at = s.after?.kill_switch_activated_at ?? env.now().toISOString();
        s.notice = stakeholderNotice(env, need(s.reason, 'the reason'), at, s.incident?.id);
        const name = recordFileName({ startedAt: at, title: 'SP-006 stakeholder notice', subject: site });
        s.noticePath = await env.host.saveAndOpen(name, `# Stakeholder notice\n\n${codeBlock(s.notice)}\n`);
        return {
          detail: `to ${env.host.contacts().filter((c) => c.email || c.phone).length} contacts; ${
            s.noticePath ? `saved as ${s.noticePath} and opened` : 'no workspace folder: opened unsaved'
          }`,
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
    const notOffered = !!s.byOperator && !executed;
    const summary: string[] = [];
    if (executed)
      summary.push(
        `Kill switch ACTIVE for ${env.environment.site}${
          s.upgradesDrill ? ' (the running fire drill is now an emergency stop)' : ''
        }: publish and lock are stopped. Reason: ${s.reason}`,
      );
    if (s.incident) summary.push(`S1 incident ${s.incident.id} (${s.incident.where})`);
    if (s.incidentError) summary.push(`Incident NOT created: ${s.incidentError} — create it by hand`);
    if (s.alreadyActive) summary.push('The kill switch was already active; nothing changed.');
    if (s.byOperator) {
      summary.push(
        executed
          ? `Switched by the operator on the server (${s.byOperator.command}), verified over HTTP${
              env.capabilities?.killSwitchScope ? `; ${env.capabilities.killSwitchScope}` : ''
            }.`
          : // Stopped before the fallback step filled the command in: still name the command that works.
            `Not offered by this server over HTTP, and not verified as done: run on the server: ${s.byOperator.command || operatorCommand(env, s)}`,
      );
    }
    return {
      result: executed
        ? 'EXECUTED'
        : s.alreadyActive
          ? 'ALREADY_ACTIVE'
          : notOffered
            ? 'NOT_OFFERED'
            : undefined,
      summary,
      sections: s.notice ? [{ title: 'Stakeholder notice', body: codeBlock(s.notice) }] : [],
      subject: env.environment.site,
      extra: {
        incidentId: s.incident?.id,
        incidentWhere: s.incident?.where,
        notice: s.notice,
        noticePath: s.noticePath,
        upgradedDrill: s.upgradesDrill === true && executed,
        byOperator: s.byOperator,
        status: s.after,
      },
    };
  },
  after: async (s, _r, env) => {
    if (s.after?.kill_switch_active) {
      const placeholders = !!placeholderNote(env.host.contacts());
      env.host.notify(
        'warn',
        `SP-006: kill switch ACTIVE for ${env.environment.site}. Notify the stakeholders (notice opened)${
          placeholders ? '; some addresses are placeholders' : ''
        }.`,
        placeholders
          ? [
              {
                title: 'Edit Contacts',
                run: () => void env.host.executeCommand('workbench.action.openSettings', CONTACTS_SETTING),
              },
            ]
          : [],
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
  /** Resolve the incident as well as adding the lessons learned (asked, never assumed). */
  resolveIncident: boolean;
  /** Why the server's incidents could not be read (the picker then lacks them). */
  incidentsError?: string;
  request?: RecoverRequest;
  after?: SystemStatus;
  incidentUpdated?: boolean;
  incidentResolved?: boolean;
  notActive?: boolean;
}

/** Exactly what the confirmation showed: the re-enable and what happens to the incident. */
export interface RecoverRequest {
  reason: string;
  rcaRef: string;
  incidentId?: string;
  resolveIncident: boolean;
  as: string;
}

function recoverRows(r: RecoverRequest, site: string): [string, string][] {
  return [
    ['Action', 're-enable publish and lock (kill switch off)'],
    ['Mode', 'emergency'],
    ['Site', site],
    ['Reason', r.reason],
    ['RCA', r.rcaRef],
    [
      'Incident',
      r.incidentId
        ? `${r.incidentId}: add lessons learned${r.resolveIncident ? ' and RESOLVE' : ', keep open'}`
        : 'none',
    ],
    ['As', r.as],
  ];
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
        const active = `on since ${humanTime(s.status.kill_switch_activated_at, env.now())} (${
          s.status.kill_switch_mode ?? 'mode not reported'
        }${s.status.kill_switch_activated_by ? `, by ${s.status.kill_switch_activated_by}` : ''}): ${
          s.status.kill_switch_reason ?? 'no reason given'
        }`;
        try {
          s.incidents = (await env.client.incidents({ signal: env.signal })).incidents.filter(
            isActiveIncident,
          );
        } catch (e) {
          // Recorded: without the server's incidents the picker cannot offer the S1 of the stop.
          s.incidents = [];
          s.incidentsError = messageOf(e);
          return {
            status: 'warn',
            detail: `${active}. The server's incidents could not be loaded (${s.incidentsError}): type the incident id or choose none`,
          };
        }
        return { detail: active };
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
      id: 'resolve',
      title: 'Resolve the incident too?',
      key: 'resolveIncident',
      when: (s) => !!s.incidentId,
      pick: (s) => [
        {
          label: `No, keep ${s.incidentId} open`,
          value: false,
          description: 'only add the lessons learned to its timeline',
        },
        {
          label: `Yes, resolve ${s.incidentId}`,
          value: true,
          description: `root cause: see ${s.rcaRef}`,
        },
      ],
      coerce: yesNo,
      defaultAnswer: () => false,
      apply: (s, v: boolean) => {
        s.resolveIncident = v;
      },
      describe: (v: boolean, s) => (v ? `resolve ${s.incidentId}` : `keep ${s.incidentId} open`),
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
    confirmStep<RecoverState>({
      title: `Confirm: re-enable publish and lock for ${site}?`,
      rows: (s) => recoverRows(recoverRequest(env, s), site),
      go: () => `Re-enable ${site} now`,
      keep: (s) => {
        s.request = recoverRequest(env, s);
      },
    }),
    {
      kind: 'do',
      id: 'execute',
      title: 'Re-enable publish and lock',
      mutates: true,
      run: async (s) => {
        const req = need(s.request, 'the confirmed request');
        s.after = await env.client.killSwitch(
          { action: 'enable', mode: 'emergency', reason: req.reason, rca_ref: req.rcaRef },
          { signal: env.signal },
        );
        env.host.mutated?.(killSwitchMutation(s.after));
        const ok = !s.after.kill_switch_active && s.after.publish_enabled && s.after.lock_enabled;
        return {
          status: ok ? 'ok' : 'fail',
          detail: `kill switch ${s.after.kill_switch_active ? 'STILL on' : 'off'}; publish ${
            s.after.publish_enabled ? 'enabled' : 'disabled'
          }, lock ${s.after.lock_enabled ? 'enabled' : 'disabled'}`,
        };
      },
    },
    {
      kind: 'do',
      id: 'lessons-entry',
      title: 'Add lessons learned to the incident timeline',
      when: (s) => !!s.request?.incidentId,
      run: async (s) => {
        const req = need(s.request, 'the confirmed request');
        const id = need(req.incidentId, 'the incident id');
        try {
          await env.client.patchIncident(
            id,
            {
              ...(req.resolveIncident
                ? { status: 'resolved' as const, root_cause: `See ${req.rcaRef}` }
                : {}),
              timeline_entry: {
                action: `Lessons learned (RCA ${req.rcaRef}): ${s.lessons}`,
                actor: env.who.email ?? null,
              },
            },
            { signal: env.signal },
          );
          s.incidentUpdated = true;
          s.incidentResolved = req.resolveIncident;
          return {
            detail: `${id}: lessons learned added${req.resolveIncident ? ', resolved' : ', left open (not asked to resolve)'}`,
          };
        } catch (e) {
          return {
            status: 'fail',
            detail: `${id} not updated (${messageOf(e)}); add the lessons learned${
              req.resolveIncident ? ' and resolve it' : ''
            } by hand`,
          };
        }
      },
    },
  ];
}

function recoverRequest(env: ProcedureEnv, s: RecoverState): RecoverRequest {
  return {
    reason: need(s.reason, 'the reason'),
    rcaRef: need(s.rcaRef, 'the RCA reference'),
    incidentId: s.incidentId,
    resolveIncident: !!s.incidentId && s.resolveIncident,
    as: `${env.who.email ?? 'unknown'} (${roleTitle(env.who.role)})`,
  };
}

export const sp006Recover: ProcedureDef<RecoverState> = {
  procedure: 'SP-006',
  title: 'SP-006 Recover from Kill Switch',
  command: 'solvereign.sp006.recover',
  init: () => ({ incidents: [], resolveIncident: false }),
  steps: recoverSteps,
  finish: (s, _run, env) => {
    const ok = !!s.after && !s.after.kill_switch_active;
    const summary: string[] = [];
    if (ok) summary.push(`Publish and lock re-enabled for ${env.environment.site} (RCA ${s.rcaRef}).`);
    if (s.lessons) summary.push(`Lessons learned: ${s.lessons}`);
    if (s.notActive) summary.push('The kill switch was not active.');
    if (s.incidentsError)
      summary.push(
        `The server's incidents could not be loaded (${s.incidentsError}); the incident was not picked from them.`,
      );
    if (s.incidentUpdated)
      summary.push(
        `${s.incidentId}: lessons learned added; ${s.incidentResolved ? 'resolved' : 'still open'}.`,
      );
    return {
      result: ok ? 'RECOVERED' : s.notActive ? 'NOT_ACTIVE' : undefined,
      summary,
      subject: env.environment.site,
      extra: {
        rcaRef: s.rcaRef,
        incidentId: s.incidentId,
        incidentUpdated: s.incidentUpdated === true,
        incidentResolved: s.incidentResolved === true,
        incidentsError: s.incidentsError,
        status: s.after,
      },
    };
  },
  after: async (s, _r, env) => {
    if (s.after && !s.after.kill_switch_active) env.host.setAlarm(undefined);
  },
};
