// SP-003 Publish Run / Lock Run: checks before calling the server (audits, published before lock,
// kill switch/freeze, the user's role), a reason for the audit trail, then the call; any block —
// from our checks or from whatever the server answered (200 success:false, 409, 422, 403) — is
// explained in the runbook's terms with the resolution column (src/ops/gates.ts).
import { SolvereignApiError } from '../../api/errors';
import type { PublishLockResponse, RunDetail, SystemStatus } from '../../api/schemas';
import { block, checkGate, type GateAction, type GateBlock, interpretPublishLock } from '../../ops/gates';
import { APPROVER_ROLES } from '../../shared/runbook';
import type { ProcedureEnv } from '../context';
import { reasonProblem, type Step, yesNo } from '../engine/engine';
import { table } from '../engine/record';
import type { ProcedureDef } from '../runner';
import { isRunId, requireRole, runItem } from './common';

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
  response?: PublishLockResponse;
  verified?: boolean;
}

export function describeBlock(b: GateBlock): string {
  return `${b.code} — ${b.cause}: ${b.detail}. Resolution: ${b.resolution}.`;
}

function steps(action: GateAction, env: ProcedureEnv): Step<GateState>[] {
  const verb = action === 'publish' ? 'publish' : 'lock';
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
        s.run = await env.client.getRun(s.runId as string, { signal: env.signal });
        const r = s.run;
        const failing = r.audit_results.filter((a) => a.status !== 'PASS');
        return {
          status: failing.length
            ? action === 'lock' || failing.some((a) => a.status === 'FAIL')
              ? 'fail'
              : 'warn'
            : 'ok',
          detail: `${r.run_id} ${r.status}; audits ${r.audit_results.length - failing.length}/${r.audit_results.length} PASS${
            failing.length ? ` (${failing.map((a) => `${a.check_name} ${a.status}`).join(', ')})` : ''
          }; published=${r.published}, locked=${r.locked}`,
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
            ? `kill switch ACTIVE${st.kill_switch_reason ? ` (${st.kill_switch_reason})` : ''}: contact the Platform Lead`
            : `publish_enabled=${st.publish_enabled}, lock_enabled=${st.lock_enabled}`,
        };
      },
    },
    {
      kind: 'do',
      id: 'role',
      title: 'Check your role',
      run: async (s) => {
        const out = requireRole(env, APPROVER_ROLES, verb);
        if (out.status === 'blocked') {
          s.block = block(
            'PERMISSION_DENIED',
            `role ${env.who.role ?? 'unknown'} may not ${verb}; approver roles are ${APPROVER_ROLES.join(', ')}`,
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
      when: (s) => action === 'publish' && s.run?.status === 'WARN',
      pick: () => [
        {
          label: 'Yes, publish with WARN override',
          value: true,
          description: 'the override is recorded in the audit trail',
        },
        { label: 'No', value: false },
      ],
      coerce: yesNo,
      defaultAnswer: () => false,
      apply: (s, v: boolean) => {
        s.overrideWarn = v;
      },
    },
    {
      kind: 'do',
      id: 'gate',
      title: `Gate: may this run be ${action === 'publish' ? 'published' : 'locked'}?`,
      run: async (s) => {
        const b = checkGate({
          action,
          run: s.run as RunDetail,
          status: s.status,
          role: env.who.role,
          overrideWarn: s.overrideWarn,
        });
        if (b) {
          s.block = b;
          s.blockedBy = 'pre-check';
          return { status: 'blocked', stop: true, detail: describeBlock(b) };
        }
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
      apply: (s, v: string) => {
        s.reason = v.trim();
      },
    },
    {
      kind: 'do',
      id: 'execute',
      title: `${action === 'publish' ? 'Publish' : 'Lock'} on the server`,
      mutates: true,
      run: async (s) => {
        const body = {
          approver_id: env.who.email ?? 'unknown',
          approver_role: env.who.role ?? 'unknown',
          reason: s.reason as string,
        };
        let answer: PublishLockResponse | SolvereignApiError;
        try {
          answer =
            action === 'publish'
              ? await env.client.publish(
                  s.runId as string,
                  { ...body, override_warn: s.overrideWarn },
                  { signal: env.signal },
                )
              : await env.client.lock(s.runId as string, body, { signal: env.signal });
        } catch (e) {
          if (!(e instanceof SolvereignApiError) || e.kind !== 'http') throw e;
          answer = e;
        }
        if (!(answer instanceof SolvereignApiError)) s.response = answer;
        const b = interpretPublishLock(answer);
        if (b) {
          s.block = b;
          s.blockedBy = 'server';
          const said =
            answer instanceof SolvereignApiError
              ? `HTTP ${answer.status}${answer.serverCode ? ` ${answer.serverCode}` : ''}`
              : `HTTP 200 success=${answer.success} status=${answer.status}`;
          return { status: 'blocked', stop: true, detail: `server refused (${said}): ${describeBlock(b)}` };
        }
        if (answer instanceof SolvereignApiError) throw answer;
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
        const r = await env.client.getRun(s.runId as string, { signal: env.signal });
        s.run = r;
        s.verified = action === 'publish' ? r.published : r.locked;
        return {
          status: s.verified ? 'ok' : 'fail',
          detail:
            action === 'publish'
              ? `published=${r.published} by ${r.published_by ?? '?'} at ${r.published_at ?? '?'}`
              : `locked=${r.locked} by ${r.locked_by ?? '?'} at ${r.locked_at ?? '?'}`,
        };
      },
    },
  ];
}

function def(action: GateAction): ProcedureDef<GateState> {
  const title = action === 'publish' ? 'SP-003 Publish Run' : 'SP-003 Lock Run';
  return {
    procedure: 'SP-003',
    title,
    command: action === 'publish' ? 'solvereign.sp003.publishRun' : 'solvereign.sp003.lockRun',
    init: (_env, { runId }) => ({ action, runId, overrideWarn: false }),
    steps: (env) => steps(action, env),
    finish: (s) => {
      const done = action === 'publish' ? 'PUBLISHED' : 'LOCKED';
      const result = s.block ? 'BLOCKED' : s.verified ? done : s.response ? 'UNVERIFIED' : undefined;
      const summary: string[] = [];
      if (s.block) {
        summary.push(
          `${s.block.code} (${s.blockedBy === 'server' ? 'server' : 'checked before calling the server'}): ${s.block.detail}`,
        );
        summary.push(`Resolution: ${s.block.resolution}`);
      } else if (s.verified) {
        summary.push(`${s.runId} ${action === 'publish' ? 'published' : 'locked'}; reason: ${s.reason}`);
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
        subject: s.runId,
        extra: {
          runId: s.runId,
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
