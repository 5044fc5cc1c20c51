import assert from 'node:assert/strict';
import type { SolvereignClient } from '../../../src/api/client';
import { SolvereignApiError } from '../../../src/api/errors';
import type { RunSummary } from '../../../src/api/schemas';
import { buildAuditReport } from '../../../src/reports/audit';
import { loadAuditInput, loadDriftInput, loadFireDrillInput } from '../../../src/reports/data';
import { parseHostMessage, parsePanelState, parseWebviewMessage } from '../../../src/webviews/protocol';
import { drift, drills, failingRun, NOW, run } from './fixtures';

describe('webview protocol', () => {
  it('accepts a rendered report and rejects anything else', () => {
    const doc = buildAuditReport({ run: failingRun(), generatedAt: NOW });
    assert.equal(parseHostMessage({ type: 'render', doc })?.type, 'render');
    assert.equal(parseHostMessage({ type: 'render', doc: { ...doc, sections: 'x' } }), undefined);
    assert.equal(parseHostMessage({ type: 'eval', code: 'alert(1)' }), undefined);
    assert.equal(parseHostMessage('render'), undefined);
    assert.deepEqual(parseHostMessage({ type: 'error', title: 't', message: 'm', retryable: true }), {
      type: 'error',
      title: 't',
      message: 'm',
      retryable: true,
    });
  });

  it('validates what the webview posts, including the actions it asks for', () => {
    assert.deepEqual(parseWebviewMessage({ type: 'ready', v: 1 }), { type: 'ready', v: 1 });
    assert.deepEqual(
      parseWebviewMessage({ type: 'action', action: { type: 'openSource', runId: 'RUN-1', line: 3 } }),
      { type: 'action', action: { type: 'openSource', runId: 'RUN-1', line: 3 } },
    );
    assert.equal(parseWebviewMessage({ type: 'action', action: { type: 'runCommand', id: 'x' } }), undefined);
    assert.equal(parseWebviewMessage({ type: 'export', format: 'pdf' }), undefined);
    assert.equal(parseWebviewMessage({ type: 'action', action: { type: 'openSource', line: 3 } }), undefined);
  });

  it('restores only a state it understands', () => {
    assert.deepEqual(parsePanelState({ v: 1, target: { kind: 'drift', runId: 'RUN-1', trend: 8 } })?.target, {
      kind: 'drift',
      runId: 'RUN-1',
      trend: 8,
    });
    assert.equal(parsePanelState({ v: 2, target: { kind: 'drift' } }), undefined);
    assert.equal(parsePanelState(undefined), undefined);
  });
});

// A stand-in for SolvereignClient with the calls the loaders make.
function fakeClient(over: Partial<Record<keyof SolvereignClient, unknown>> = {}): SolvereignClient {
  const runs = [
    run({ run_id: 'RUN-20261120-001', week_id: '2026-W47', timestamp: '2026-11-20T03:00:00Z' }),
    run({
      run_id: 'RUN-20261113-001',
      week_id: '2026-W46',
      timestamp: '2026-11-13T03:00:00Z',
      status: 'PASS',
    }),
    run({
      run_id: 'RUN-20261106-001',
      week_id: '2026-W45',
      timestamp: '2026-11-06T03:00:00Z',
      status: 'WARN',
    }),
    run({
      run_id: 'RUN-20261030-001',
      week_id: '2026-W44',
      timestamp: '2026-10-30T03:00:00Z',
      status: 'ERROR',
    }),
  ];
  const summaries = runs.map((r) => ({ ...r, audit_pass_count: 7, audit_total: 7 }) as unknown as RunSummary);
  return {
    tenant: 'lts',
    site: 'wien',
    getRun: async (id: string) => {
      const r = runs.find((x) => x.run_id === id);
      if (!r) throw new SolvereignApiError({ kind: 'http', endpoint: 'GET /runs', status: 404 });
      return r;
    },
    listRuns: async () => ({ runs: summaries, total: summaries.length }),
    evidenceChecksums: async (id: string) => ({ run_id: id, checksums: { 'audits.json': 'f'.repeat(64) } }),
    drift: async () => drift(),
    fireDrills: async () => ({ drills: drills() }),
    ...over,
  } as unknown as SolvereignClient;
}

const unsupported = (feature: string) =>
  new SolvereignApiError({
    kind: 'unsupported',
    endpoint: 'GET /x',
    status: 404,
    fallback: `Do ${feature} by hand`,
  });

describe('report loaders', () => {
  it('loads a run with the previous week and its checksums', async () => {
    const input = await loadAuditInput(
      { client: fakeClient(), now: () => new Date(NOW) },
      'RUN-20261120-001',
    );
    assert.equal(input.previous?.run_id, 'RUN-20261113-001');
    assert.deepEqual(Object.keys(input.checksums ?? {}), ['audits.json']);
    assert.equal(input.generatedAt, NOW);
  });

  it('still shows the run when the checksums or the run list fail', async () => {
    const client = fakeClient({
      evidenceChecksums: async () => {
        throw new Error('evidence store offline');
      },
      listRuns: async () => {
        throw new Error('list failed');
      },
    });
    const input = await loadAuditInput({ client }, 'RUN-20261120-001');
    assert.deepEqual(input.checksums, { error: 'evidence store offline' });
    assert.match(input.previousNote ?? '', /could not be loaded: list failed/);
  });

  it('fails (for the panel error state) when the run itself cannot be read', async () => {
    await assert.rejects(loadAuditInput({ client: fakeClient() }, 'RUN-19990101-001'), SolvereignApiError);
  });

  it('builds the drift trend from runs up to the report run, oldest first, without ERROR runs', async () => {
    const input = await loadDriftInput({ client: fakeClient() }, 'RUN-20261113-001', 5);
    assert.deepEqual(
      input.trend.map((p) => p.run_id),
      ['RUN-20261106-001', 'RUN-20261113-001'],
    );
    assert.equal(input.trend[1]!.fte_ratio, 0.986);
    assert.equal(input.drift?.level, 'ALERT');
  });

  it("turns a server without drift or fire drills into the runbook's fallback", async () => {
    const client = fakeClient({
      drift: async () => {
        throw unsupported('drift');
      },
      fireDrills: async () => {
        throw unsupported('drills');
      },
    });
    const d = await loadDriftInput({ client }, undefined);
    assert.equal(d.drift, undefined);
    assert.equal(d.driftProblem?.tone, 'info');
    assert.equal(d.driftProblem?.text, 'Instead: Do drift by hand.');
    assert.equal(d.trend.length, 3);
    const f = await loadFireDrillInput({ client });
    assert.equal(f.drills, undefined);
    assert.match(f.problem?.title ?? '', /does not offer fire-drill history/);
  });

  it('passes real failures on', async () => {
    const boom = new SolvereignApiError({ kind: 'network', endpoint: 'GET /x' });
    const client = fakeClient({
      fireDrills: async () => {
        throw boom;
      },
      drift: async () => {
        throw boom;
      },
      listRuns: async () => {
        throw boom;
      },
    });
    await assert.rejects(loadFireDrillInput({ client }), SolvereignApiError);
    await assert.rejects(loadDriftInput({ client }, undefined), SolvereignApiError);
  });
});
