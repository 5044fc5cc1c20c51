// Request ids and idempotency keys: version 4 UUIDs from the kernel's random bytes, never repeated.
import assert from 'node:assert/strict';
import { monotonicMs, randomUuid } from '../../../src/api/requestIds';

describe('request ids', () => {
  it('are RFC 9562 version 4 UUIDs, 10,000 without a repeat', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) {
      const id = randomUuid();
      assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      seen.add(id);
    }
    assert.equal(seen.size, 10_000);
  });

  it('the monotonic clock never goes back and counts milliseconds', async () => {
    const a = monotonicMs();
    await new Promise((r) => setTimeout(r, 20));
    const b = monotonicMs();
    assert.ok(b - a >= 15 && b - a < 5_000, `${b - a} ms`);
  });
});
