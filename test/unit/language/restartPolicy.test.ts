import assert from 'node:assert/strict';
import { RestartPolicy } from '../../../src/language/restartPolicy';

describe('language client: restart policy', () => {
  it('restarts a stopped server up to the limit within the window, then gives up', () => {
    let t = 0;
    const policy = new RestartPolicy(2, 60_000, () => t);
    assert.equal(policy.stopped(), true);
    t += 1000;
    assert.equal(policy.stopped(), true);
    t += 1000;
    assert.equal(policy.stopped(), false);
    assert.equal(policy.recent, 3);
  });

  it('forgets stops older than the window', () => {
    let t = 0;
    const policy = new RestartPolicy(1, 60_000, () => t);
    assert.equal(policy.stopped(), true);
    t += 61_000;
    assert.equal(policy.stopped(), true);
    assert.equal(policy.recent, 1);
  });
});
