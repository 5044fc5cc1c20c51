import assert from 'node:assert/strict';
import { MIN_REASON_LENGTH, reasonProblem } from '../../../src/ops/reason';

describe('reason rule', () => {
  it('accepts a reason of at least ten characters once trimmed', () => {
    assert.equal(MIN_REASON_LENGTH, 10);
    assert.equal(reasonProblem('Weekly plan ok'), undefined);
    assert.equal(reasonProblem('  0123456789  '), undefined);
  });

  it('refuses missing, blank, short and space-padded reasons, saying why', () => {
    assert.match(reasonProblem(undefined) ?? '', /required/);
    assert.match(reasonProblem('   ') ?? '', /required/);
    assert.match(reasonProblem('short') ?? '', /at least 10 characters/);
    assert.match(reasonProblem('    ok       ') ?? '', /at least 10 characters/);
  });
});
