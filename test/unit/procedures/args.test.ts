import assert from 'node:assert/strict';
import { splitArgs } from '../../../src/procedures/args';
import { parseIncidentFile } from '../../../src/procedures/lenientIncidentReader';

describe('procedures: command arguments and the workspace incident file', () => {
  it('reads a run and the answers object (last) from every way a command is called', () => {
    assert.deepEqual(splitArgs([], true), { runId: undefined, answers: undefined });
    assert.deepEqual(splitArgs(['RUN-20260113-001'], true), {
      runId: 'RUN-20260113-001',
      answers: undefined,
    });
    assert.deepEqual(splitArgs(['RUN-20260113-001', { reason: 'x' }], true), {
      runId: 'RUN-20260113-001',
      answers: { reason: 'x' },
    });
    // A tree node and the multi-selection VS Code passes with it: no answers, interactive.
    const node = { run: { run_id: 'RUN-20260113-002' } };
    assert.deepEqual(splitArgs([node, [node]], true), { runId: 'RUN-20260113-002', answers: undefined });
    assert.deepEqual(splitArgs([node], true), { runId: 'RUN-20260113-002', answers: undefined });
    // Only answers: the run may be among them.
    assert.deepEqual(splitArgs([{ run: 'RUN-20260113-003', reason: 'y' }], true), {
      runId: 'RUN-20260113-003',
      answers: { run: 'RUN-20260113-003', reason: 'y' },
    });
    assert.deepEqual(splitArgs([{ reason: 'z', confirmSite: 'wien' }], false), {
      runId: undefined,
      answers: { reason: 'z', confirmSite: 'wien' },
    });
    class TreeNode {
      run = { run_id: 'RUN-20260113-004' };
    }
    assert.deepEqual(splitArgs([new TreeNode()], true), { runId: 'RUN-20260113-004', answers: undefined });
  });

  it('keeps valid incidents of the workspace file, reports invalid ones and broken JSON', () => {
    const ok = {
      id: 'INC-20260305-ABC123',
      type: 'stability',
      severity: 'S1',
      status: 'active',
      summary: 'Lock broken',
      created_at: '2026-03-05T08:00:00Z',
    };
    const r = parseIncidentFile(JSON.stringify({ incidents: [ok, { id: 'INC-bad', severity: 'S9' }] }));
    assert.deepEqual(
      r.incidents.map((i) => i.id),
      ['INC-20260305-ABC123'],
    );
    assert.match(r.error ?? '', /1 invalid incident\(s\) skipped: #2 \(INC-bad\)/);
    assert.match(parseIncidentFile('{"incidents": [').error ?? '', /is not valid JSON/);
    assert.match(parseIncidentFile('{}').error ?? '', /has no "incidents" list/);
    assert.equal(parseIncidentFile('{"incidents": []}').error, undefined);
  });
});
