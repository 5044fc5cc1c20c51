// CONTRACT.md's publish/lock rules, one test each, and live's captured answers mapped by them.
import assert from 'node:assert/strict';
import { parseErrorBody, SolvereignApiError } from '../../../src/api/errors';
import * as S from '../../../src/api/schemas';
import {
  approverToAsk,
  checkGate,
  interpretPublishLock,
  isNothingToDo,
  lockCodeFromBlockedReason,
  reasonBlock,
} from '../../../src/ops/gates';
import live from '../api/fixtures/live-responses.json';

type Capture = { request: { method: string; path: string }; status: number; body: unknown };
const captures = live as unknown as Record<string, Capture>;

const passRun = {
  run_id: 'RUN-1',
  status: 'PASS' as const,
  published: false,
  locked: false,
  audit_pass_count: 7,
  audit_total: 7,
};
const frozen = { kill_switch_active: true, kill_switch_reason: 'drill' };
const reason = 'weekly plan reviewed';

/** What the client makes of a captured answer: the parsed body, or the error it throws. */
function answerOf(name: string): S.PublishLockResponse | SolvereignApiError {
  const c = captures[name]!;
  if (c.status < 300) return S.PublishLockResponse.parse(c.body);
  const p = parseErrorBody(c.body);
  return new SolvereignApiError({
    kind: 'http',
    endpoint: `${c.request.method} ${c.request.path}`,
    status: c.status,
    serverCode: p.code,
    serverMessage: p.message,
    fieldErrors: p.fieldErrors,
  });
}

describe('gates: the order of the pre-checks', () => {
  it('ALREADY_PUBLISHED comes first, even while the kill switch is on', () => {
    const b = checkGate({
      action: 'publish',
      run: { ...passRun, published: true },
      status: frozen,
      role: 'dispatcher',
      reason,
    });
    assert.equal(b?.code, 'ALREADY_PUBLISHED');
    assert.ok(isNothingToDo(b?.code));
  });
  it('ALREADY_LOCKED comes first for lock, even while the kill switch is on', () => {
    const b = checkGate({
      action: 'lock',
      run: { ...passRun, published: true, locked: true },
      status: frozen,
      role: 'viewer',
    });
    assert.equal(b?.code, 'ALREADY_LOCKED');
    assert.ok(isNothingToDo(b?.code));
  });
  it('the freeze is read from kill_switch_active alone (live leaves publish_enabled true)', () => {
    const liveFrozen = { ...frozen, publish_enabled: true, lock_enabled: true };
    assert.equal(
      checkGate({ action: 'publish', run: passRun, status: liveFrozen, role: 'dispatcher' })?.code,
      'FREEZE_ACTIVE',
    );
    const notFrozen = { kill_switch_active: false, kill_switch_reason: null, publish_enabled: false };
    assert.equal(
      checkGate({ action: 'publish', run: passRun, status: notFrozen, role: 'dispatcher', reason }),
      undefined,
    );
  });
  it('freeze before audits: a FAIL run while frozen is FREEZE_ACTIVE', () => {
    const b = checkGate({
      action: 'publish',
      run: { ...passRun, status: 'FAIL' },
      status: frozen,
      role: 'dispatcher',
    });
    assert.equal(b?.code, 'FREEZE_ACTIVE');
  });
  it('audits before role: a read-only user on a FAIL run gets AUDIT_GATE_FAIL', () => {
    const b = checkGate({ action: 'publish', run: { ...passRun, status: 'FAIL' }, role: 'ops_readonly' });
    assert.equal(b?.code, 'AUDIT_GATE_FAIL');
  });
  it('role on a run that could be published: PERMISSION_DENIED', () => {
    assert.equal(
      checkGate({ action: 'publish', run: passRun, role: 'ops_readonly', reason })?.code,
      'PERMISSION_DENIED',
    );
  });
  it('an unknown run status is never publishable (AUDIT_GATE_FAIL naming it)', () => {
    const b = checkGate({
      action: 'publish',
      run: { ...passRun, status: S.RunStatus.parse('QUEUED') },
      role: 'dispatcher',
    });
    assert.equal(b?.code, 'AUDIT_GATE_FAIL');
    assert.match(b?.detail ?? '', /QUEUED/);
  });
});

describe('gates: NOT_PUBLISHED', () => {
  it('locking an unpublished PASS run with all seven audits passing is NOT_PUBLISHED, never AUDIT_GATE_FAIL', () => {
    const b = checkGate({ action: 'lock', run: passRun, role: 'dispatcher', reason });
    assert.equal(b?.code, 'NOT_PUBLISHED');
    assert.equal(b?.resolution, 'Publish it first');
  });
  it('a published PASS run may be locked', () => {
    assert.equal(
      checkGate({ action: 'lock', run: { ...passRun, published: true }, role: 'dispatcher', reason }),
      undefined,
    );
  });
});

describe('gates: reasons (trimmed, at least 10 characters, publish and lock)', () => {
  for (const action of ['publish', 'lock'] as const) {
    it(`${action}: "         x" (10 characters with spaces) is REASON_REQUIRED`, () => {
      const run = action === 'lock' ? { ...passRun, published: true } : passRun;
      const b = checkGate({ action, run, role: 'dispatcher', reason: '         x' });
      assert.equal(b?.code, 'REASON_REQUIRED');
      assert.match(b?.detail ?? '', /1 characters; at least 10/);
    });
  }
  it('exactly 10 characters after trimming pass; 9 do not; empty says a reason is required', () => {
    assert.equal(reasonBlock('lock', '  0123456789  '), undefined);
    assert.equal(reasonBlock('lock', '012345678')?.code, 'REASON_REQUIRED');
    assert.match(reasonBlock('publish', '   ')?.detail ?? '', /a publish reason is required/);
  });
});

describe("gates: live's answers in the runbook's terms", () => {
  const expected: [string, string | undefined][] = [
    ['publish-reason-short', 'REASON_REQUIRED'], // 200 BLOCKED_APPROVAL_REQUIRED "Reason must be …"
    ['lock-reason-short-422', 'REASON_REQUIRED'], // 422 string_too_short at body.reason
    ['publish-kill-switch-active', 'FREEZE_ACTIVE'],
    ['publish-fail-run-409', 'AUDIT_GATE_FAIL'],
    ['publish-bad-role-422', 'PERMISSION_DENIED'],
    ['publish-again', 'ALREADY_PUBLISHED'],
    ['lock-again', 'ALREADY_LOCKED'],
    ['lock-kill-switch-active', 'ALREADY_LOCKED'],
    ['publish-ok', undefined],
    ['lock-ok', undefined],
  ];
  for (const [name, code] of expected) {
    it(`${name} -> ${code ?? 'success'}`, () => {
      assert.equal(interpretPublishLock(answerOf(name))?.code, code);
    });
  }
  it('the 422 on a short lock reason makes the error itself a REASON_REQUIRED block', () => {
    const e = answerOf('lock-reason-short-422') as SolvereignApiError;
    assert.equal(e.lockCode, 'REASON_REQUIRED');
  });
  it('maps BLOCKED_* by blocked_reason when one is given', () => {
    assert.equal(
      lockCodeFromBlockedReason('Approval validation failed: Reason must be at least 10 characters'),
      'REASON_REQUIRED',
    );
    assert.equal(
      lockCodeFromBlockedReason('Kill switch is active - all publish/lock operations disabled'),
      'FREEZE_ACTIVE',
    );
    assert.equal(lockCodeFromBlockedReason('Approver role not allowed'), 'PERMISSION_DENIED');
    assert.equal(lockCodeFromBlockedReason('Run is not published'), 'NOT_PUBLISHED');
    const answer = S.PublishLockResponse.parse({
      success: false,
      run_id: 'RUN-1',
      status: 'BLOCKED_APPROVAL_REQUIRED',
      blocked_reason: 'Approver role not allowed',
    });
    assert.equal(interpretPublishLock(answer)?.code, 'PERMISSION_DENIED');
  });
});

describe('gates: the approver without a session', () => {
  it('asks for id and role when there is no session and nothing remembered', () => {
    assert.deepEqual(approverToAsk({}), { approver_id: true, approver_role: true });
  });
  it('takes them from the session, or from what was remembered for the environment', () => {
    assert.deepEqual(approverToAsk({ session: { email: 'a@b', role_name: 'dispatcher' } }), {
      approver_id: false,
      approver_role: false,
    });
    assert.deepEqual(approverToAsk({ remembered: { approver_id: 'ops@lts' } }), {
      approver_id: false,
      approver_role: true,
    });
  });
});
