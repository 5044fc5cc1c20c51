import assert from 'node:assert/strict';
import { auditEventWords } from '../../../src/shared/auditEventWords';

describe('audit event types in words', () => {
  it('says what a kill-switch toggle means: disabling publish/lock turns the switch on', () => {
    assert.equal(auditEventWords('KILL_SWITCH_DISABLE'), 'kill switch on');
    assert.equal(auditEventWords('KILL_SWITCH_ENABLE'), 'kill switch off');
    assert.equal(auditEventWords('RUN_PUBLISHED'), 'run published');
  });
  it('turns an unknown type into lower-case words, never the raw id', () => {
    assert.equal(auditEventWords('RUN_PUBLISH_BLOCKED'), 'run publish blocked');
  });
});
