import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { lockCodeFromSignal, parseErrorBody, SolvereignApiError } from '../../../src/api/errors';

describe('parseErrorBody: every error shape SOLVEREIGN uses', () => {
  it('reads {"detail": "text"}', () => {
    const p = parseErrorBody({ detail: "Run 'RUN-1' not found for site wien" });
    assert.equal(p.message, "Run 'RUN-1' not found for site wien");
    assert.equal(p.code, undefined);
  });
  it('reads {"detail": [validation errors]} into field errors', () => {
    const p = parseErrorBody({
      detail: [
        { loc: ['body', 'reason'], msg: 'ensure this value has at least 10 characters', type: 'value_error' },
      ],
    });
    assert.equal(p.code, 'validation_error');
    assert.deepEqual(p.fieldErrors, [
      { field: 'reason', message: 'ensure this value has at least 10 characters' },
    ]);
    assert.match(p.message ?? '', /reason: ensure/);
  });
  it('reads {"detail": {"error_code": …}}', () => {
    const p = parseErrorBody({ detail: { success: false, error_code: 'ACCOUNT_LOCKED' } });
    assert.equal(p.code, 'ACCOUNT_LOCKED');
  });
  it('reads {"error", "message", "details"}', () => {
    const p = parseErrorBody({
      error: 'ERR_LOCK_002',
      message: 'Audit gate failed',
      details: { failed: ['Rest'] },
    });
    assert.equal(p.code, 'ERR_LOCK_002');
    assert.equal(p.message, 'Audit gate failed');
  });
  it('reads plain text and JSON sent as text', () => {
    assert.equal(parseErrorBody('Internal Server Error').message, 'Internal Server Error');
    assert.equal(parseErrorBody('{"error":"ERR_DB_001","message":"db down"}').code, 'ERR_DB_001');
    assert.equal(
      parseErrorBody('<html><body><h1>502 Bad Gateway</h1></body></html>').message,
      '502 Bad Gateway',
    );
  });
  it('finds a known code inside a detail string', () => {
    assert.equal(
      parseErrorBody({ detail: 'VIOLATIONS_PRESENT: 3 open violations' }).code,
      'VIOLATIONS_PRESENT',
    );
  });
  it('copes with empty and odd bodies', () => {
    assert.deepEqual(parseErrorBody(''), {});
    assert.deepEqual(parseErrorBody(null), {});
    assert.equal(parseErrorBody(42).message, '42');
    assert.match(parseErrorBody({ unexpected: true }).message ?? '', /unexpected/);
  });
});

describe('runbook code mapping (CONTRACT.md table)', () => {
  const cases: [Parameters<typeof lockCodeFromSignal>[0], string | undefined][] = [
    [{ publishStatus: 'BLOCKED_PRE_CHECKS_FAILED' }, 'AUDIT_GATE_FAIL'],
    [{ status: 409, message: 'Cannot publish run with status: FAIL' }, 'AUDIT_GATE_FAIL'],
    [{ status: 409, serverCode: 'VIOLATIONS_PRESENT' }, 'AUDIT_GATE_FAIL'],
    [{ status: 409, serverCode: 'VIOLATIONS_BLOCK_PUBLISH' }, 'AUDIT_GATE_FAIL'],
    [{ status: 422, message: 'Run has failed audits' }, 'AUDIT_GATE_FAIL'],
    [{ publishStatus: 'ALREADY_LOCKED' }, 'ALREADY_LOCKED'],
    [{ publishStatus: 'BLOCKED_KILL_SWITCH' }, 'FREEZE_ACTIVE'],
    [{ publishStatus: 'BLOCKED_SITE_DISABLED' }, 'FREEZE_ACTIVE'],
    [{ publishStatus: 'BLOCKED_SHADOW_ONLY' }, 'FREEZE_ACTIVE'],
    [{ status: 409, serverCode: 'FREEZE_WINDOW_ACTIVE' }, 'FREEZE_ACTIVE'],
    [{ status: 403, message: 'anything' }, 'PERMISSION_DENIED'],
    [{ status: 422, fieldErrors: [{ field: 'approver_role', message: 'bad' }] }, 'PERMISSION_DENIED'],
    [{ serverCode: 'ERR_LOCK_001' }, 'ALREADY_LOCKED'],
    [{ serverCode: 'ERR_LOCK_002' }, 'AUDIT_GATE_FAIL'],
    [{ status: 409, message: 'something else' }, undefined],
    [{ publishStatus: 'PUBLISHED' }, undefined],
  ];
  for (const [signal, expected] of cases) {
    it(`${JSON.stringify(signal)} -> ${expected}`, () => assert.equal(lockCodeFromSignal(signal), expected));
  }

  it('an HTTP error keeps status, server code, runbook code and the appendix action', () => {
    const e = new SolvereignApiError({
      kind: 'http',
      endpoint: 'GET /api/v1/platform/dispatcher/status',
      status: 503,
      serverCode: 'ERR_DB_001',
      serverMessage: 'DB connection failed',
    });
    assert.equal(e.status, 503);
    assert.equal(e.serverCode, 'ERR_DB_001');
    assert.equal(e.runbookCode, 'ERR_DB_001');
    assert.equal(e.action, 'Check DB status');
    assert.equal(e.transient, true);
    assert.match(e.message, /HTTP 503 ERR_DB_001 — DB connection failed Action: Check DB status\./);
  });
  it('a 401 without a code is an invalid key; with "expired" an expired token', () => {
    assert.equal(
      new SolvereignApiError({ kind: 'http', endpoint: 'x', status: 401 }).runbookCode,
      'ERR_AUTH_001',
    );
    assert.equal(
      new SolvereignApiError({ kind: 'http', endpoint: 'x', status: 401, serverMessage: 'Token expired' })
        .runbookCode,
      'ERR_AUTH_002',
    );
  });
  it('a 409 on publish carries the SP-003 resolution', () => {
    const e = new SolvereignApiError({
      kind: 'http',
      endpoint: 'POST /api/v1/platform/dispatcher/runs/RUN-1/publish',
      status: 409,
      serverMessage: 'Cannot publish run with status: FAIL',
    });
    assert.equal(e.lockCode, 'AUDIT_GATE_FAIL');
    assert.equal(e.action, 'Fix audit issues first');
  });
  it('network and schema errors say what to do', () => {
    const n = new SolvereignApiError({
      kind: 'network',
      endpoint: 'GET /health',
      serverMessage: 'ECONNREFUSED',
    });
    assert.match(n.message, /no answer from the server \(ECONNREFUSED\).*SP-001/);
    const s = new SolvereignApiError({
      kind: 'schema',
      endpoint: 'GET /x',
      serverMessage: 'field a.b: expected number',
    });
    assert.match(s.message, /unexpected answer: field a\.b/);
  });
  it('never carries a secret in its message, JSON or inspection', () => {
    const secret = 'sv_lts_platform_admin_demo0123456789abcdef';
    const e = new SolvereignApiError({
      kind: 'http',
      endpoint: 'POST /api/auth/login',
      status: 400,
      serverMessage: `bad header Authorization: Bearer ${secret} password="hunter2hunter2"`,
    });
    for (const text of [e.message, JSON.stringify(e), inspect(e, { depth: 5 }), String(e.serverMessage)]) {
      assert.ok(!text.includes(secret), text);
      assert.ok(!text.includes('hunter2hunter2'), text);
    }
  });
});
