// SP-003 Publish Run / Lock Run: checks before calling the server (audits, published before lock,
// kill switch/freeze, the user's role), a reason for the audit trail, then the call; any block —
// from our checks or from whatever the server answered (200 success:false, 409, 422, 403) — is
// explained in the runbook's terms with the resolution column (src/ops/gates.ts).
import { SolvereignApiError } from '../../api/errors';
import type { PublishLockResponse, RunDetail, SystemStatus } from '../../api/schemas';
import { block, checkGate, type GateAction, type GateBlock, interpretPublishLock } from '../../ops/gates';
import { humanTime } from '../../shared/humanTime';
import { APPROVER_ROLES } from '../../shared/runbook';
import type { ProcedureEnv } from '../context';
import { confirmStep, need, reasonProblem, type Step, type StepOutcome, yesNo } from '../engine/engine';
import { table } from '../engine/record';
import type { ProcedureDef } from '../runner';
import { isRunId, requireRole, roleTitle, runItem } from './common';

/** Exactly what the confirm step showed; the state-changing call sends this and nothing else. */
export interface GateRequest {
  runId: string;
  action: GateAction;
  approverId: string;
  approverRole: string;
  reason: string;
  overrideWarn: boolean;
  /** The run as it was when confirmed: if it changed before sending, nothing is sent. */
  seen: RunFacts;
}

interface RunFacts {
  status: string;
  published: boolean;
  locked: boolean;
  audits: string;
}

export interface GateState {
  action: GateAction;
  runId?: string;
  run?: RunDetail;
  status?: SystemStatus;
  overrideWarn: boolean;
  reason?: string;
  block?: GateBlock;
  /** Where the block came from. */
  blockedBy?: 'pre-check' | 'server';
  /** Nothing to do: the run already is published/locked (found before calling, or the server's answer). */
  already?: 'ALREADY_PUBLISHED' | 'ALREADY_LOCKED';
  request?: GateRequest;
  response?: PublishLockResponse;
  verified?: boolean;
  /** Without a session (live's cockpit): who approves, given as the `approverId`/`approverRole` arguments. */
  approver?: { email?: string; role?: string };
}

/** The signed-in user, or without a session the approver given as arguments. */
function approverOf(env: ProcedureEnv, s: GateState): { email?: string; role?: string } {
  return env.who.role ? env.who : (s.approver ?? env.who);
}

export function describeBlock(b: GateBlock): string {
  return `${b.code} — ${b.cause}: ${b.detail}. Resolution: ${b.resolution}.`;
}

function facts(r: RunDetail): RunFacts {
  return {
    status: r.status,
    published: r.published,
    locked: r.locked,
    audits: r.audit_results.map((a) => `${a.check_name} ${a.status}`).join(', '),
  };
}

/** What changed between the run the user confirmed and the run now, in words ('' = nothing). */
function changes(seen: RunFacts, now: RunFacts): string {
  const out: string[] = [];
  if (seen.status !== now.status) out.push(`status ${seen.status} -> ${now.status}`);
  if (seen.published !== now.published) out.push(`published ${seen.published} -> ${now.published}`);
  if (seen.locked !== now.locked) out.push(`locked ${seen.locked} -> ${now.locked}`);
  if (seen.audits !== now.audits) out.push('audit results changed');
  return out.join(', ');
}

/** Where the freeze came from, for the block and the toast: "emergency, by ops@…, reason …". */
export function freezeDetail(st: SystemStatus, site: string | undefined): string {
  const how = [
    st.kill_switch_mode ?? undefined,
    st.kill_switch_activated_by ? `by ${st.kill_switch_activated_by}` : undefined,
    st.kill_switch_reason ? `“${st.kill_switch_reason}”` : undefined,
  ].filter(Boolean);
  return `kill switch is on${site ? ` for ${site}` : ''}${how.length ? ` (${how.join(', ')})` : ''}`;
}

/** Who can lift a freeze, for the toast's one-line resolution. */
export function freezeResolution(st: SystemStatus): string {
  return st.kill_switch_mode === 'emergency'
    ? 'Ask the Platform Lead (an emergency stop needs the Platform Lead and an RCA to lift)'
    : 'Wait for the fire drill to end, or ask the Ops Lead';
}

function alreadyDone(action: GateAction, r: RunDetail): GateState['already'] {
  if (action === 'publish' && r.published) return 'ALREADY_PUBLISHED';
  if (action === 'lock' && r.locked) return 'ALREADY_LOCKED';
  return undefined;
}

function steps(action: GateAction, env: ProcedureEnv): Step<GateState>[] {
  const verb = action === 'publish' ? 'publish' : 'lock';
  const gate = (s: GateState, run: RunDetail) =>
    checkGate({ action, run, status: s.status, role: approverOf(env, s).role, overrideWarn: s.overrideWarn });
  const blockOutcome = (s: GateState, b: GateBlock): StepOutcome => {
    s.block =
      b.code === 'FREEZE_ACTIVE' && s.status?.kill_switch_active
        ? {
            ...b,
            detail: freezeDetail(s.status, env.environment.site),
            resolution: freezeResolution(s.status),
          }
        : b;
    s.blockedBy = 'pre-check';
    return { status: 'blocked', stop: true, detail: describeBlock(s.block) };
  };
  return [
    {
      kind: 'ask',
      id: 'run',
      title: `Run to ${verb}`,
      key: 'run',
      when: (s) => !s.runId,
      pick: async () => {
        const { runs } = await env.client.listRuns({ limit: 30 }, { signal: env.signal });
        const fits = runs.filter((r) =>
          action === 'publish'
            ? !r.published && (r.status === 'PASS' || r.status === 'WARN')
            : r.published && !r.locked,
        );
        return (fits.length ? fits : runs).map(runItem);
      },
      // A run id typed that is not in the list (a FAIL run) is checked like any other: the gate says why.
      acceptTyped: (text) => (isRunId(text) === undefined ? text : undefined),
      validate: (v) => isRunId(v),
      apply: (s, v: string) => {
        s.runId = v;
      },
    },
    {
      kind: 'do',
      id: 'audits',
      title: 'Check prerequisites: run status and audits',
      run: async (s) => {
        s.run = await env.client.getRun(need(s.runId, 'the run id'), { signal: env.signal });
        const r = s.run;
        const failing = r.audit_results.filter((a) => a.status !== 'PASS');
        s.already = alreadyDone(action, r);
        const detail = `${r.run_id} ${r.status}; audits ${r.audit_results.length - failing.length}/${r.audit_results.length} PASS${
          failing.length ? ` (${failing.map((a) => `${a.check_name} ${a.status}`).join(', ')})` : ''
        }; ${r.published ? 'published' : 'not published'}, ${r.locked ? 'locked' : 'not locked'}`;
        if (s.already) {
          const by = action === 'publish' ? r.published_by : r.locked_by;
          const at = action === 'publish' ? r.published_at : r.locked_at;
          return {
            status: 'ok',
            stop: true,
            detail: `${detail}. Already ${action === 'publish' ? 'published' : 'locked'}${by ? ` by ${by}` : ''}${
              at ? ` ${humanTime(at, env.now())} [${at}]` : ''
            }: nothing to do, nothing sent`,
          };
        }
        return {
          status: failing.length
            ? action === 'lock' || failing.some((a) => a.status === 'FAIL')
              ? 'fail'
              : 'warn'
            : 'ok',
          detail,
        };
      },
    },
    {
      kind: 'do',
      id: 'freeze',
      title: 'Check freeze state (kill switch)',
      run: async (s) => {
        s.status = await env.client.status({ signal: env.signal });
        const st = s.status;
        return {
          status: st.kill_switch_active ? 'fail' : 'ok',
          detail: st.kill_switch_active
            ? `${freezeDetail(st, env.environment.site)}: ${freezeResolution(st)}`
            : `kill switch off; publish ${st.publish_enabled ? 'enabled' : 'disabled'}, lock ${
                st.lock_enabled ? 'enabled' : 'disabled'
              }`,
        };
      },
    },
    // Live's cockpit takes no credentials but its publish/lock body names the approver: without a
    // session (and without the approverId/approverRole arguments) ask who approves, never guess.
    {
      kind: 'ask',
      id: 'approverId',
      title: 'Who approves? (no session: the server does not know you)',
      key: 'approverId',
      when: (s) => !env.who.role && !s.approver?.role,
      input: () => ({ prompt: 'Your approver id (e.g. your e-mail), sent as approver_id' }),
      validate: (v) => (v.trim() ? undefined : 'an approver id is required'),
      apply: (s, v: string) => {
        s.approver = { ...s.approver, email: v.trim() };
      },
    },
    {
      kind: 'ask',
      id: 'approverRole',
      title: 'Approver role',
      key: 'approverRole',
      when: (s) => !env.who.role && !s.approver?.role,
      pick: () => APPROVER_ROLES.map((r) => ({ label: roleTitle(r), value: r, description: r })),
      apply: (s, v: string) => {
        s.approver = { ...s.approver, role: v };
      },
    },
    {
      kind: 'do',
      id: 'role',
      title: 'Check your role',
      run: async (s) => {
        const who = approverOf(env, s);
        const out = requireRole({ ...env, who }, APPROVER_ROLES, verb);
        if (out.status === 'blocked') {
          s.block = block(
            'PERMISSION_DENIED',
            `role ${who.role ?? 'unknown'} may not ${verb}; approver roles are ${APPROVER_ROLES.join(', ')}`,
          );
          s.blockedBy = 'pre-check';
        }
        return out;
      },
    },
    {
      kind: 'ask',
      id: 'override',
      title: 'The run has status WARN: publish with an explicit WARN override?',
      key: 'overrideWarn',
      // Not asked during a freeze: the gate blocks anyway, so the question would only mislead.
      when: (s) => action === 'publish' && s.run?.status === 'WARN' && !s.status?.kill_switch_active,
      pick: () => [
        { label: 'No', value: false, description: 'do not publish a WARN run' },
        {
          label: 'Yes, publish with WARN override',
          value: true,
          description: 'the override is recorded in the audit trail',
        },
      ],
      coerce: yesNo,
      defaultAnswer: () => false,
      apply: (s, v: boolean) => {
        s.overrideWarn = v;
      },
      describe: (v: boolean) => (v ? 'yes, override the WARN' : 'no override'),
    },
    {
      kind: 'do',
      id: 'gate',
      title: `Gate: may this run be ${action === 'publish' ? 'published' : 'locked'}?`,
      run: async (s) => {
        const b = gate(s, need(s.run, 'the run'));
        if (b) return blockOutcome(s, b);
        return { detail: 'all checks pass' };
      },
    },
    {
      kind: 'ask',
      id: 'reason',
      title: `Reason for the ${verb} (goes into the audit trail)`,
      key: 'reason',
      input: () => ({
        prompt: `Why ${verb} ${action === 'publish' ? 'this plan' : 'this plan now'}? (at least 10 characters)`,
      }),
      validate: (v) => reasonProblem(v),
      // A reason given as an argument (CLI) that breaks the rule is the gate's REASON_REQUIRED.
      refuse: (problem, s) => {
        s.block = block('REASON_REQUIRED', `the reason must be ${problem}`);
        s.blockedBy = 'pre-check';
        return { status: 'blocked', detail: describeBlock(s.block) };
      },
      apply: (s, v: string) => {
        s.reason = v.trim();
      },
    },
    confirmStep<GateState>({
      title: `Confirm: ${verb} this run?`,
      rows: (s) => gateRows(requestOf(action, env, s)),
      go: (s) => `${action === 'publish' ? 'Publish' : 'Lock'} ${s.runId ?? ''} now`,
      keep: (s) => {
        s.request = requestOf(action, env, s);
      },
    }),
    {
      kind: 'do',
      id: 'execute',
      title: `${action === 'publish' ? 'Publish' : 'Lock'} on the server`,
      mutates: true,
      run: async (s) => {
        const req = need(s.request, 'the confirmed request');
        // The run may have changed while the confirmation was open: read it again, send nothing if so.
        const [fresh, status] = await Promise.all([
          env.client.getRun(req.runId, { signal: env.signal }),
          env.client.status({ signal: env.signal }),
        ]);
        s.run = fresh;
        s.status = status;
        const changed = changes(req.seen, facts(fresh));
        if (changed) {
          s.already = alreadyDone(action, fresh);
          if (s.already) {
            return {
              status: 'ok',
              stop: true,
              detail: `changed since you confirmed (${changed}): nothing sent`,
            };
          }
          const b = gate(s, fresh);
          const why = b ? blockOutcome(s, b).detail : 'run the procedure again to confirm the new state';
          return {
            status: 'blocked',
            stop: true,
            detail: `${req.runId} changed since you confirmed (${changed}); nothing sent. ${why}`,
          };
        }
        const frozen = gate(s, fresh);
        if (frozen) {
          const out = blockOutcome(s, frozen);
          return { ...out, detail: `nothing sent: ${out.detail}` };
        }
        const body = { approver_id: req.approverId, approver_role: req.approverRole, reason: req.reason };
        let answer: PublishLockResponse | SolvereignApiError;
        try {
          answer =
            action === 'publish'
              ? await env.client.publish(
                  req.runId,
                  { ...body, override_warn: req.overrideWarn },
                  { signal: env.signal },
                )
              : await env.client.lock(req.runId, body, { signal: env.signal });
        } catch (e) {
          if (!(e instanceof SolvereignApiError) || e.kind !== 'http') throw e;
          answer = e;
        }
        if (!(answer instanceof SolvereignApiError)) {
          s.response = answer;
          const status = answer.status;
          if (status === 'ALREADY_PUBLISHED' || status === 'ALREADY_LOCKED') {
            s.already = status === 'ALREADY_PUBLISHED' ? 'ALREADY_PUBLISHED' : 'ALREADY_LOCKED';
            return { status: 'ok', detail: `server answered ${answer.status}: nothing changed` };
          }
        }
        const b = interpretPublishLock(answer);
        if (b) {
          s.block = b;
          s.blockedBy = 'server';
          const said =
            answer instanceof SolvereignApiError
              ? `HTTP ${answer.status}${answer.serverCode ? ` ${answer.serverCode}` : ''}`
              : `HTTP 200, ${answer.success ? 'success' : 'not successful'}, status ${answer.status}`;
          return { status: 'blocked', stop: true, detail: `server refused (${said}): ${describeBlock(b)}` };
        }
        if (answer instanceof SolvereignApiError) throw answer;
        env.host.mutated?.({
          kind: 'run',
          runId: req.runId,
          [action === 'publish' ? 'published' : 'locked']: true,
        });
        return {
          detail: `${answer.status}${answer.audit_event_id ? `, audit event ${answer.audit_event_id}` : ''}${
            answer.evidence_hash ? `, evidence ${answer.evidence_hash}` : ''
          }`,
        };
      },
    },
    {
      kind: 'do',
      id: 'verify',
      title: `Verify the run is ${action === 'publish' ? 'published' : 'locked'}`,
      run: async (s) => {
        const r = await env.client.getRun(need(s.runId, 'the run id'), { signal: env.signal });
        s.run = r;
        s.verified = action === 'publish' ? r.published : r.locked;
        return {
          status: s.verified ? 'ok' : 'fail',
          detail:
            action === 'publish'
              ? `${r.published ? 'published' : 'NOT published'} by ${r.published_by ?? 'unknown'}, ${humanTime(
                  r.published_at,
                  env.now(),
                )}`
              : `${r.locked ? 'locked' : 'NOT locked'} by ${r.locked_by ?? 'unknown'}, ${humanTime(r.locked_at, env.now())}`,
        };
      },
    },
  ];
}

function requestOf(action: GateAction, env: ProcedureEnv, s: GateState): GateRequest {
  const run = need(s.run, 'the run');
  return {
    runId: need(s.runId, 'the run id'),
    action,
    approverId: approverOf(env, s).email ?? 'unknown',
    approverRole: approverOf(env, s).role ?? 'unknown',
    reason: need(s.reason, 'the reason'),
    overrideWarn: action === 'publish' && s.overrideWarn,
    seen: facts(run),
  };
}

function gateRows(r: GateRequest): [string, string][] {
  const rows: [string, string][] = [
    ['Run', r.runId],
    ['Action', r.action === 'publish' ? 'publish' : 'lock'],
    ['Reason', r.reason],
    ['As', `${r.approverId} (${roleTitle(r.approverRole)})`],
  ];
  if (r.action === 'publish') rows.push(['WARN override', r.overrideWarn ? 'yes' : 'no']);
  return rows;
}

function def(action: GateAction): ProcedureDef<GateState> {
  const title = action === 'publish' ? 'SP-003 Publish Run' : 'SP-003 Lock Run';
  return {
    procedure: 'SP-003',
    title,
    command: action === 'publish' ? 'solvereign.sp003.publishRun' : 'solvereign.sp003.lockRun',
    init: (_env, { runId, answers }) => ({
      action,
      runId,
      overrideWarn: false,
      approver:
        typeof answers.approverRole === 'string'
          ? {
              email: typeof answers.approverId === 'string' ? answers.approverId : undefined,
              role: answers.approverRole,
            }
          : undefined,
    }),
    steps: (env) => steps(action, env),
    finish: (s) => {
      const done = action === 'publish' ? 'PUBLISHED' : 'LOCKED';
      const result = s.block
        ? 'BLOCKED'
        : s.already
          ? s.already
          : s.verified
            ? done
            : s.response
              ? 'UNVERIFIED'
              : undefined;
      const summary: string[] = [];
      let headline: string | undefined;
      if (s.block) {
        summary.push(
          `${s.block.code} (${s.blockedBy === 'server' ? 'server' : 'checked before calling the server'}): ${s.block.detail}`,
        );
        summary.push(`Resolution: ${s.block.resolution}`);
        headline = `BLOCKED — ${s.block.code}: ${s.block.detail}. ${s.block.resolution}.`;
      } else if (s.already) {
        const line = `${s.runId} was already ${action === 'publish' ? 'published' : 'locked'}: nothing changed${
          s.response ? ' (the server answered so)' : ', nothing was sent'
        }`;
        summary.push(line);
        headline = `${s.already}: ${line}.`;
      } else if (s.verified) {
        summary.push(`${s.runId} ${action === 'publish' ? 'published' : 'locked'}; reason: ${s.reason}`);
      } else if (s.response) {
        summary.push(
          `The server answered ${s.response.status}, but reading the run back does not show it ${
            action === 'publish' ? 'published' : 'locked'
          }: check the run before telling anyone it is done.`,
        );
      }
      const sections = s.run
        ? [
            {
              title: `Audits of ${s.run.run_id}`,
              body: table(
                ['Check', 'Status', 'Violations'],
                s.run.audit_results.map((a) => [a.check_name, a.status, a.violation_count]),
              ),
            },
          ]
        : [];
      return {
        result,
        summary,
        sections,
        headline,
        subject: s.runId,
        extra: {
          runId: s.runId,
          changed: s.verified === true && !s.already,
          request: s.request ? { ...s.request, seen: undefined } : undefined,
          block: s.block ? { ...s.block, source: s.blockedBy } : undefined,
          code: s.block?.code,
          response: s.response,
          reason: s.reason,
        },
      };
    },
  };
}

export const sp003Publish = def('publish');
export const sp003Lock = def('lock');
