import assert from 'node:assert/strict';
import { REDACTION_MASK, Redactor } from '../../../src/shared/redact';

describe('Redactor', () => {
  it('removes registered secret values wherever they appear', () => {
    const r = new Redactor();
    r.add('s3cr3t-value-xyz');
    assert.equal(
      r.redact('key=s3cr3t-value-xyz and again s3cr3t-value-xyz'),
      `key=${REDACTION_MASK} and again ${REDACTION_MASK}`,
    );
  });
  it('ignores too-short values that would mask ordinary words', () => {
    const r = new Redactor();
    r.add('lts');
    assert.equal(r.redact('tenant lts'), 'tenant lts');
  });
  it('masks secret-looking patterns it was not told about', () => {
    const r = new Redactor();
    const lines = [
      'Authorization: Bearer abcdefghijklmnop',
      'x-api-key: sv_lts_dispatcher_demo12345678',
      'Cookie: sv_platform_session=abcdef0123456789',
      'Set-Cookie: __Host-sv_platform_session=zzzzzzzzzzzz; Path=/',
      '{"email":"a@b.c","password":"hunter2hunter2"}',
      '{"token":"eyJhbGciOi.payload.sig"}',
    ];
    for (const line of lines) {
      const out = r.redact(line);
      assert.ok(out.includes(REDACTION_MASK), out);
      for (const secret of [
        'abcdefghijklmnop',
        'demo12345678',
        'abcdef0123456789',
        'zzzzzzzzzzzz',
        'hunter2hunter2',
        'payload.sig',
      ]) {
        assert.ok(!out.includes(secret), out);
      }
    }
  });
  it('leaves ordinary log lines alone', () => {
    const r = new Redactor();
    const line = 'GET /api/v1/platform/dispatcher/status -> 200 in 3 ms (request 1b2c)';
    assert.equal(r.redact(line), line);
  });
});
