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
  it('masks bare session tokens, secrets in query strings and unquoted passwords', () => {
    const r = new Redactor();
    const token = `svs_${'A1b2C3d4-_'.repeat(4)}xyz`;
    const lines = [
      `session ${token} refreshed`,
      'GET /api/v1/runs?api_key=abcdef123456&limit=5',
      'GET http://x/cb?token=tok_987654321#frag',
      'retrying with password=hunter2hunter2 now',
      'password: hunter2hunter2',
      'url ?access_token=zzzzzz9999',
    ];
    const out = lines.map((l) => r.redact(l));
    for (const l of out) assert.ok(l.includes(REDACTION_MASK), l);
    for (const secret of [token, 'abcdef123456', 'tok_987654321', 'hunter2hunter2', 'zzzzzz9999'])
      assert.ok(!out.join('\n').includes(secret), secret);
    // What is not a secret stays readable.
    assert.equal(out[1], `GET /api/v1/runs?api_key=${REDACTION_MASK}&limit=5`);
    assert.equal(out[2], `GET http://x/cb?token=${REDACTION_MASK}#frag`);
    assert.equal(r.redact('tokens=3 passwords are fine'), 'tokens=3 passwords are fine');
  });
});
