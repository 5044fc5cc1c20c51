import assert from 'node:assert/strict';
import { renderMarkdown } from '../../support/renderMarkdown';
import type { RunDetail, RunStatus, RunSummary } from '../../../src/api/schemas';
import {
  MAX_LIMIT,
  RunsModel,
  type RunsSource,
  runContextValue,
  runDescription,
  runTooltipLines,
  runTooltipMarkdown,
} from '../../../src/views/runs/runsModel';

const STATUSES: RunStatus[] = ['PASS', 'FAIL', 'WARN', 'PASS', 'ERROR'];

function makeRun(n: number, over: Partial<RunSummary> = {}): RunSummary {
  return {
    run_id: `RUN-20260101-${String(n).padStart(5, '0')}`,
    week_id: '2026-W03',
    timestamp: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
    status: STATUSES[n % STATUSES.length],
    tenant_code: 'lts',
    site_code: 'wien',
    headcount: 40,
    coverage_percent: 100,
    evidence_path: null,
    kpi_drift_status: 'OK',
    published: false,
    published_at: null,
    published_by: null,
    locked: false,
    locked_at: null,
    locked_by: null,
    notes: null,
    audit_pass_count: 7,
    audit_total: 7,
    ...over,
  };
}

/** A server with `count` runs (newest first); `offset` honoured, ignored, or rejected with 422. */
class FakeServer implements RunsSource {
  runs: RunSummary[];
  calls: { limit?: number; status?: RunStatus; offset?: number }[] = [];
  detailCalls = 0;
  constructor(
    count: number,
    private readonly offsetSupport: 'yes' | 'ignored' | 'rejected' | 'live' = 'yes',
  ) {
    this.runs = Array.from({ length: count }, (_, i) => makeRun(count - i));
  }
  addNewest(): RunSummary {
    const r = makeRun(10_000 + this.runs.length);
    this.runs.unshift(r);
    return r;
  }
  async listRuns(q: { limit?: number; status?: RunStatus; offset?: number }) {
    this.calls.push(q);
    if (q.offset && this.offsetSupport === 'rejected') {
      throw Object.assign(new Error('offset: extra fields not permitted'), { status: 422 });
    }
    const limit = q.limit ?? 20;
    if (limit < 1 || limit > MAX_LIMIT) throw Object.assign(new Error('limit out of range'), { status: 422 });
    const all = q.status ? this.runs.filter((r) => r.status === q.status) : this.runs;
    const offset = this.offsetSupport === 'yes' ? (q.offset ?? 0) : 0;
    const runs = all.slice(offset, offset + limit);
    // Live: offset ignored and `total` is the size of the page returned.
    return { runs, total: this.offsetSupport === 'live' ? runs.length : all.length };
  }
  async getRun(runId: string): Promise<RunDetail> {
    this.detailCalls += 1;
    const r = this.runs.find((x) => x.run_id === runId);
    if (!r) throw Object.assign(new Error(`Run '${runId}' not found`), { status: 404 });
    const { audit_pass_count: _a, audit_total: _b, ...common } = r;
    return {
      ...common,
      audit_results: [{ check_name: 'Coverage', status: 'PASS', violation_count: 0, details: null }],
      kpis: { headcount: 40, coverage_percent: 100, fte_ratio: 0.9, pt_ratio: 0.1, runtime_seconds: 2.5 },
      input_hash: null,
      output_hash: 'sha256:abc',
      evidence_hash: null,
      artifact_uri: null,
    };
  }
}

const ids = (m: RunsModel) => m.runs.map((r) => r.run_id);

describe('RunsModel: paging with offset', () => {
  it('loads the newest page first, then appends pages in order', async () => {
    const server = new FakeServer(60);
    const m = new RunsModel(server, { pageSize: 25 });
    await m.loadFirst();
    assert.equal(m.runs.length, 25);
    assert.equal(m.total, 60);
    assert.equal(m.runs[0].run_id, server.runs[0].run_id);
    assert.equal(m.hasMore, true);
    assert.equal(await m.loadMore(), 25);
    assert.equal(m.mode, 'offset');
    assert.equal(await m.loadMore(), 10);
    assert.deepEqual(
      ids(m),
      server.runs.map((r) => r.run_id),
    );
    assert.equal(m.hasMore, false);
    assert.equal(await m.loadMore(), 0);
    assert.deepEqual(server.calls.at(-1), { limit: 25, status: undefined, offset: 50 });
  });

  it('keeps the loaded pages on refresh and shows new runs on top', async () => {
    const server = new FakeServer(300);
    const m = new RunsModel(server, { pageSize: 50 });
    await m.loadFirst();
    for (let i = 0; i < 3; i++) await m.loadMore();
    assert.equal(m.runs.length, 200);
    const fresh = server.addNewest();
    await m.refresh();
    assert.equal(m.runs.length, 200);
    assert.equal(m.runs[0].run_id, fresh.run_id);
    assert.equal(m.total, 301);
    assert.deepEqual(
      ids(m),
      server.runs.slice(0, 200).map((r) => r.run_id),
    );
    // 200 runs in pages of at most 100 (the API's limit)
    assert.ok(server.calls.slice(-2).every((c) => (c.limit ?? 0) <= MAX_LIMIT));
  });

  it('does not duplicate a run when new runs shift the pages', async () => {
    const server = new FakeServer(40);
    const m = new RunsModel(server, { pageSize: 10 });
    await m.loadFirst();
    server.addNewest();
    await m.loadMore();
    assert.equal(new Set(ids(m)).size, m.runs.length);
    assert.equal(m.runs.length, 19); // one run of the next page was already shown
  });

  it('filters by status from the first page and back to all', async () => {
    const server = new FakeServer(50);
    const m = new RunsModel(server, { pageSize: 5 });
    await m.loadFirst();
    await m.setFilter('FAIL');
    assert.equal(m.status, 'FAIL');
    assert.ok(m.runs.length > 0 && m.runs.every((r) => r.status === 'FAIL'));
    assert.equal(m.total, 10);
    await m.loadMore();
    assert.equal(m.runs.length, 10);
    assert.equal(m.hasMore, false);
    await m.setFilter(undefined);
    assert.equal(m.total, 50);
    assert.equal(m.runs.length, 5);
  });

  it('drops the answer of a page asked for before the filter changed', async () => {
    const server = new FakeServer(50);
    const m = new RunsModel(server, { pageSize: 5 });
    await m.loadFirst();
    const more = m.loadMore();
    const filtered = m.setFilter('ERROR');
    await Promise.all([more, filtered]);
    assert.ok(m.runs.every((r) => r.status === 'ERROR'));
    assert.equal(m.runs.length, 5);
  });

  it('loads pages until a run to reveal is among them', async () => {
    const server = new FakeServer(100);
    const m = new RunsModel(server, { pageSize: 10 });
    const target = server.runs[57].run_id;
    const found = await m.ensureLoaded(target);
    assert.equal(found?.run_id, target);
    assert.equal(m.runs.length, 60);
    assert.equal(await m.ensureLoaded('RUN-19990101-00000', 80), undefined);
    assert.equal(m.runs.length, 80);
  });
});

describe('RunsModel: a server without offset', () => {
  for (const kind of ['ignored', 'rejected'] as const) {
    it(`falls back to a growing limit when offset is ${kind}, and says so`, async () => {
      const server = new FakeServer(230, kind);
      const m = new RunsModel(server, { pageSize: 40 });
      await m.loadFirst();
      assert.equal(m.pagingNote, undefined);
      assert.equal(await m.loadMore(), 40);
      assert.equal(m.mode, 'limit');
      assert.deepEqual(
        ids(m),
        server.runs.slice(0, 80).map((r) => r.run_id),
      );
      assert.match(m.pagingNote ?? '', /does not page runs/);
      assert.equal(await m.loadMore(), 20);
      assert.equal(m.runs.length, MAX_LIMIT);
      assert.equal(m.hasMore, false);
      assert.match(m.pagingNote ?? '', /newest 100; older runs are out of reach/);
      assert.equal(m.total, undefined, 'a server without offset is not trusted for a total');
      assert.equal(server.calls.at(-1)?.offset, undefined);
      await m.refresh();
      assert.equal(m.runs.length, MAX_LIMIT);
    });
  }

  it("live (offset ignored, total = page size): 'load more' appears and grows the limit; no total is claimed", async () => {
    const server = new FakeServer(130, 'live');
    const m = new RunsModel(server, { pageSize: 25 });
    await m.loadFirst();
    assert.equal(m.hasMore, true, 'a full page whose total is its size may have more behind it');
    assert.equal(await m.loadMore(), 25);
    assert.equal(m.mode, 'limit');
    assert.equal(m.total, undefined);
    for (let i = 0; i < 3; i++) await m.loadMore();
    assert.equal(m.runs.length, MAX_LIMIT);
    assert.equal(m.hasMore, false);
    assert.match(m.pagingNote ?? '', /older runs are out of reach/);
    assert.doesNotMatch(m.pagingNote ?? '', /of \d+/, 'never a page size as a total');
  });

  it('with capabilities saying no offset, never sends offset and stops when the page is not full', async () => {
    const server = new FakeServer(30, 'live');
    const m = new RunsModel(server, { pageSize: 20, offsetPaging: false });
    await m.loadFirst();
    assert.equal(m.hasMore, true);
    assert.equal(await m.loadMore(), 10);
    assert.equal(m.hasMore, false, 'asked for 40, got 30: that is all');
    assert.match(m.pagingNote ?? '', /re-reads the newest runs/);
    assert.ok(server.calls.every((c) => c.offset === undefined));
  });

  it('surfaces other errors and recovers on the next call', async () => {
    const server = new FakeServer(30);
    const m = new RunsModel(server, { pageSize: 10 });
    const original = server.listRuns.bind(server);
    server.listRuns = async () => {
      throw new Error('ERR_DB_001 Connection failed');
    };
    await assert.rejects(m.loadFirst(), /ERR_DB_001/);
    assert.match(m.error ?? '', /ERR_DB_001/);
    assert.equal(m.loaded, true);
    server.listRuns = original;
    await m.refresh();
    assert.equal(m.error, undefined);
    assert.equal(m.runs.length, 10);
  });
});

describe('RunsModel: details and tree texts', () => {
  it("fetches a run's details once", async () => {
    const server = new FakeServer(3);
    const m = new RunsModel(server);
    const id = server.runs[0].run_id;
    const [a, b] = await Promise.all([m.details(id), m.details(id)]);
    assert.equal(a, b);
    assert.equal(server.detailCalls, 1);
    await assert.rejects(m.details('RUN-19990101-00000'), /not found/);
    await assert.rejects(m.details('RUN-19990101-00000'), /not found/);
    assert.equal(server.detailCalls, 3);
  });

  it('gives each run state its context value for the menus', () => {
    assert.equal(runContextValue(makeRun(1, { status: 'FAIL' })), 'run.fail');
    assert.equal(runContextValue(makeRun(1, { status: 'ERROR' })), 'run.error');
    assert.equal(runContextValue(makeRun(1, { status: 'PASS' })), 'run.pass.unpublished');
    assert.equal(runContextValue(makeRun(1, { status: 'WARN' })), 'run.warn.unpublished');
    assert.equal(runContextValue(makeRun(1, { status: 'PASS', published: true })), 'run.published.unlocked');
    assert.equal(
      runContextValue(makeRun(1, { status: 'PASS', published: true, locked: true })),
      'run.published.locked',
    );
    assert.equal(runContextValue(makeRun(1, { status: 'PENDING' })), 'run.pending');
    assert.equal(runContextValue(makeRun(1, { status: 'BLOCKED' })), 'run.blocked');
  });

  it('describes a run with its verdict, audits and markers, KPIs in the tooltip', async () => {
    const r = makeRun(1, { status: 'PASS', published: true, locked: true, locked_by: 'lead@x' });
    assert.equal(runDescription(r), 'PASS · 2026-W03 · audits 7/7 · cov 100% · published · locked');
    const server = new FakeServer(1);
    const d = await server.getRun(server.runs[0].run_id);
    const lines = runTooltipLines(r, d).join('\n');
    assert.match(lines, /FTE ratio: 0\.9 · PT ratio: 0\.1 · runtime: 2\.5 s/);
    assert.match(lines, /Locked .* by lead@x/);
    assert.doesNotMatch(runTooltipLines(r).join('\n'), /FTE ratio/);
  });

  it('shows server strings as text: no link, image or HTML renders', () => {
    const evil = '[click](https://evil.example) ![i](http://evil.example/i.png) <img src=x> www.evil.example';
    const md = runTooltipMarkdown(
      makeRun(1, { published: true, published_by: evil, error_code: 'E', error_message: evil }),
    );
    const html = renderMarkdown(md);
    assert.doesNotMatch(html, /<a |<img/);
    assert.ok(html.includes('[click](https://evil.example)'), html);
  });
});
