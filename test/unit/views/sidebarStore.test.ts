import assert from 'node:assert/strict';
import type { RunSummary } from '../../../src/api/schemas';
import type { ServerMutation } from '../../../src/shared/mutations';
import { RunsModel } from '../../../src/views/runs/runsModel';
import { SidebarStore } from '../../../src/views/sidebarStore';

describe('SidebarStore', () => {
  it('hands every reported mutation to each listener, in order, until disposed', () => {
    const store = new SidebarStore();
    const seen: ServerMutation[] = [];
    const sub = store.onDidMutate((m) => seen.push(m));
    store.mutated({ kind: 'killSwitch', active: true, mode: 'emergency' });
    store.mutated({ kind: 'run', runId: 'RUN-1', published: true });
    sub.dispose();
    store.mutated({ kind: 'incident' });
    assert.deepEqual(
      seen.map((m) => m.kind),
      ['killSwitch', 'run'],
    );
    assert.equal(store.history.length, 3);
  });
});

describe('RunsModel.applyRun', () => {
  const run = (id: string): RunSummary =>
    ({ run_id: id, status: 'PASS', published: false, locked: false }) as unknown as RunSummary;

  it('shows a confirmed publish on the loaded run at once and tells the tree', async () => {
    const model = new RunsModel({
      listRuns: async () => ({ runs: [run('RUN-1'), run('RUN-2')], total: 2 }),
    } as never);
    await model.refresh();
    let changes = 0;
    model.onDidChange(() => changes++);
    assert.equal(model.applyRun('RUN-2', { published: true }), true);
    assert.equal(model.runs.find((r) => r.run_id === 'RUN-2')?.published, true);
    assert.equal(model.runs.find((r) => r.run_id === 'RUN-2')?.locked, false);
    assert.equal(changes, 1);
    assert.equal(model.applyRun('RUN-9', { locked: true }), false, 'not loaded: nothing to change');
  });
});
