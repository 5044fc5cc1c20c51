import assert from 'node:assert/strict';
import { humanTime, localTime, relativeTime } from '../../../src/shared/humanTime';

describe('human timestamps', () => {
  const now = new Date('2026-11-30T14:21:00Z');
  it('says how long ago or how soon', () => {
    assert.equal(relativeTime('2026-11-30T14:20:40Z', now), 'just now');
    assert.equal(relativeTime('2026-11-30T14:09:00Z', now), '12 min ago');
    assert.equal(relativeTime('2026-11-30T11:21:00Z', now), '3 h ago');
    assert.equal(relativeTime('2026-11-29T14:21:00Z', now), '1 day ago');
    assert.equal(relativeTime('2026-11-16T13:26:14.467Z', now), '14 days ago');
    assert.equal(relativeTime('2026-11-30T14:26:00Z', now), 'in 5 min');
    assert.equal(relativeTime('not a time', now), undefined);
  });
  it('shows the local time without milliseconds, the year only when it is not this year', () => {
    assert.equal(localTime('2026-11-16T13:26:14.467Z', now, 'Europe/Vienna'), 'Mon 16 Nov, 14:26');
    assert.equal(localTime('2025-11-16T13:26:14.467Z', now, 'UTC'), 'Sun 16 Nov 2025, 13:26');
  });
  it('combines both, and never invents a time', () => {
    assert.equal(humanTime('2026-11-30T14:09:00Z', now, 'UTC'), '12 min ago (Mon 30 Nov, 14:09)');
    assert.equal(humanTime(undefined, now), 'unknown time');
    assert.equal(humanTime('soon', now), 'soon');
  });
});
