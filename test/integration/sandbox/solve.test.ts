import assert from 'node:assert/strict';
import * as S from '../../../src/api/schemas';
import { generateForecast } from '../../../src/roster/index';
import { startSandbox } from '../../../src/sandbox/server';
import { readZip as readZipFiles } from '../../../src/shared/zip';
import { AUDIT_CHECKS } from '../../../src/shared/runbook';
import { call, P, sandbox, type TestSandbox } from './helpers';

const readZip = (zip: Buffer) => [...readZipFiles(zip)].map(([name, data]) => ({ name, data }));

const FORECAST = [
  '# small week',
  'Mo 06:00-14:00 3 Fahrer Depot Nord',
  'Di 06:00-14:00 3 Fahrer',
  'Mi 14:00-22:00 2 Fahrer',
  'Do 06:00-10:00 + 15:00-19:00',
  'Fr 22:00-06:00',
  '',
].join('\n');

/** Reads an SSE response into events (the data lines of each block). */
async function events(res: Response): Promise<{ event: string; data: S.SolveEvent }[]> {
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((b) => b.trim())
    .map((block) => {
      const lines = block.split('\n');
      const event = lines
        .find((l) => l.startsWith('event:'))!
        .slice(6)
        .trim();
      const data = S.SolveEvent.parse(JSON.parse(lines.find((l) => l.startsWith('data:'))!.slice(5)));
      return { event, data };
    });
}

describe('sandbox: solving forecasts (POST /api/v1/runs, SSE stream)', () => {
  let sb: TestSandbox;
  const headers = (key: string) => ({
    Authorization: `Bearer ${key}`,
    'X-Tenant-Code': 'lts',
    'X-Site-Code': 'wien',
  });
  before(async () => {
    sb = await sandbox({ solver: { heartbeatMs: 20 } });
  });
  after(async () => {
    await sb.stop();
  });

  it('POST answers 202 PENDING with a stream url; the stream ends with complete; the run is a dispatcher run', async () => {
    const r = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('dispatcher'),
      body: { forecast: FORECAST, week: '2026-W10', notes: 'small test week' },
    });
    assert.equal(r.status, 202);
    const created = S.CreateRunResponse.parse(r.json);
    assert.equal(created.status, 'PENDING');
    assert.equal(created.stream_url, `/api/v1/runs/${created.run_id}/stream`);
    const stream = await fetch(sb.url + created.stream_url!, { headers: headers(sb.key('dispatcher')) });
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    const ev = await events(stream);
    const last = ev.at(-1)!;
    assert.equal(last.event, 'complete');
    assert.equal(last.data.type, 'complete');
    assert.ok(ev.every((e) => e.data.run_id === created.run_id));

    const detail = S.RunDetail.parse(
      (await call(sb, 'GET', `/api/v1/runs/${created.run_id}`, { auth: sb.key('dispatcher') })).json,
    );
    assert.equal(detail.week_id, '2026-W10');
    assert.equal(detail.notes, 'small test week');
    assert.notEqual(detail.status, 'PENDING');
    if (last.data.type === 'complete') assert.equal(detail.status, last.data.status);
    assert.deepEqual(
      detail.audit_results.map((a) => a.check_name),
      [...AUDIT_CHECKS],
    );
    assert.equal(detail.kpis.total_tours, 10);
    assert.equal(detail.coverage_percent, 100);
    assert.match(detail.output_hash ?? '', /^sha256:[a-f0-9]{64}$/);
    assert.equal(detail.seed, 94);
    assert.ok(detail.kpis.drift_status, 'drift status computed against the baseline');
    const same = S.RunDetail.parse(
      (await call(sb, 'GET', `${P}/runs/${created.run_id}`, { auth: sb.key('ops_readonly') })).json,
    );
    assert.equal(same.output_hash, detail.output_hash);
    const zip = await call(sb, 'GET', `${P}/evidence/${created.run_id}`, { auth: sb.key('dispatcher') });
    const names = readZip(zip.bytes).map((f) => f.name);
    assert.ok(names.includes('plan.json') && names.includes('input/forecast.txt'));
    const audit = S.AuditList.parse(
      (await call(sb, 'GET', '/api/v1/audit?event_type=RUN_CREATED', { auth: sb.key('dispatcher') })).json,
    );
    assert.equal(audit.total, 1);
  });

  it('the same forecast and seed give the same output_hash', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const r = await call(sb, 'POST', '/api/v1/runs', {
        auth: sb.key('ops_lead'),
        body: { forecast: FORECAST, week: '2026-W11', seed: 7 },
      });
      ids.push(r.json.run_id);
    }
    assert.notEqual(ids[0], ids[1]);
    await sb.solverIdle();
    const [a, b] = await Promise.all(
      ids.map(async (id) =>
        S.RunDetail.parse((await call(sb, 'GET', `/api/v1/runs/${id}`, { auth: sb.key('ops_lead') })).json),
      ),
    );
    assert.equal(a.output_hash, b.output_hash);
    assert.equal(a.seed, 7);
  });

  it('a stream opened after the solve finished sends the final event at once', async () => {
    const r = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('dispatcher'),
      body: { forecast: FORECAST, week: '2026-W12' },
    });
    await sb.solverIdle();
    const ev = await events(
      await fetch(`${sb.url}/api/v1/runs/${r.json.run_id}/stream`, {
        headers: headers(sb.key('dispatcher')),
      }),
    );
    assert.equal(ev.length, 1);
    assert.equal(ev[0].data.type, 'complete');
  });

  it('X-API-Key is accepted on /api/v1/runs', async () => {
    const r = await call(sb, 'POST', '/api/v1/runs', {
      headers: { 'X-API-Key': sb.key('dispatcher') },
      body: { forecast: FORECAST, week: '2026-W13' },
    });
    assert.equal(r.status, 202);
    const g = await call(sb, 'GET', `/api/v1/runs/${r.json.run_id}`, {
      headers: { 'X-API-Key': sb.key('dispatcher') },
    });
    assert.equal(g.status, 200);
    S.RunDetail.parse(g.json);
    await sb.solverIdle();
  });

  it('refuses bad input: FAIL lines, no tours, bad week (422); readonly (403); unknown run (404)', async () => {
    const auth = sb.key('dispatcher');
    const bad = await call(sb, 'POST', '/api/v1/runs', {
      auth,
      body: { forecast: 'Mo 25:00-14:00\nXx 06:00-14:00\n', week: '2026-W10' },
    });
    assert.equal(bad.status, 422);
    assert.match(bad.json.message, /INVALID_HOUR/);
    assert.deepEqual(
      bad.json.details.lines.map((l: { line: number }) => l.line),
      [1, 2],
    );
    const empty = await call(sb, 'POST', '/api/v1/runs', {
      auth,
      body: { forecast: '# nothing\n', week: '2026-W10' },
    });
    assert.equal(empty.status, 422);
    assert.match(empty.json.message, /forecast/);
    const week = await call(sb, 'POST', '/api/v1/runs', {
      auth,
      body: { forecast: FORECAST, week: '2026-10' },
    });
    assert.equal(week.status, 422);
    assert.match(week.json.message, /week/);
    const ro = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('ops_readonly'),
      body: { forecast: FORECAST, week: '2026-W10' },
    });
    assert.equal(ro.status, 403);
    const unknown = await call(sb, 'GET', '/api/v1/runs/RUN-20990101-001', { auth });
    assert.equal(unknown.status, 404);
    const unknownStream = await call(sb, 'GET', '/api/v1/runs/RUN-20990101-001/stream', { auth });
    assert.equal(unknownStream.status, 404);
  });

  it('a week that does not exist (W53 of a short year) is 422 at the API, never a crashed run', async () => {
    const before = await call(sb, 'GET', `${P}/runs`, { auth: sb.key('dispatcher') });
    const r = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('dispatcher'),
      body: { forecast: FORECAST, week: '2025-W53' },
    });
    assert.equal(r.status, 422);
    assert.equal(r.json.error, 'validation_error');
    assert.match(r.json.message, /2025 has only 52 ISO weeks/);
    const after = await call(sb, 'GET', `${P}/runs`, { auth: sb.key('dispatcher') });
    assert.equal(after.json.total, before.json.total, 'no run was stored');
    const long = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('dispatcher'),
      body: { forecast: FORECAST, week: '2026-W53' },
    });
    assert.equal(long.status, 202, '2026 is a long year');
    await sb.solverIdle();
    const run = await call(sb, 'GET', `/api/v1/runs/${long.json.run_id}`, { auth: sb.key('dispatcher') });
    assert.notEqual(run.json.status, 'ERROR');
  });

  it('a run of another tenant is not visible', async () => {
    const r = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('dispatcher'),
      body: { forecast: FORECAST, week: '2026-W14' },
    });
    await sb.solverIdle();
    const g = await call(sb, 'GET', `/api/v1/runs/${r.json.run_id}`, {
      auth: sb.key('dispatcher', 'gurkerl'),
      tenant: 'gurkerl',
    });
    assert.equal(g.status, 404);
    const mismatch = await call(sb, 'GET', `/api/v1/runs/${r.json.run_id}`, {
      auth: sb.key('dispatcher', 'gurkerl'),
      tenant: 'lts',
    });
    assert.equal(mismatch.status, 403);
    assert.equal(mismatch.json.error, 'TENANT_MISMATCH');
  });

  it('solves off the request path: heartbeats and progress flow while a bigger week solves', async () => {
    // A held queue keeps the solve waiting until the stream has carried a heartbeat: the solver is
    // fast enough to finish a 400-tour week between two heartbeats otherwise.
    const held = await sandbox({ solver: { heartbeatMs: 20, hold: true } });
    try {
      const forecast = generateForecast('2026-W16', { targetTours: 400 }).text;
      const r = await call(held, 'POST', '/api/v1/runs', {
        auth: held.key('dispatcher'),
        body: { forecast, week: '2026-W16' },
      });
      assert.equal(r.status, 202);
      const stream = await fetch(`${held.url}/api/v1/runs/${r.json.run_id}/stream`, {
        headers: headers(held.key('dispatcher')),
      });
      // The server keeps answering while the solve waits and runs.
      const status = await call(held, 'GET', `${P}/status`, { auth: held.key('dispatcher') });
      assert.equal(status.status, 200);
      assert.equal(S.SystemStatus.parse(status.json).latest_run?.run_id, r.json.run_id);
      let text = '';
      const decoder = new TextDecoder();
      for await (const chunk of stream.body as unknown as AsyncIterable<Uint8Array>) {
        const before = text.includes('event: heartbeat');
        text += decoder.decode(chunk, { stream: true });
        if (!before && text.includes('event: heartbeat')) held.solves.release();
      }
      const ev = await events(new Response(text));
      checkStream(ev);
    } finally {
      await held.stop();
    }
  });

  function checkStream(ev: { event: string; data: S.SolveEvent }[]): void {
    assert.ok(
      ev.some((e) => e.event === 'heartbeat' && e.data.type === 'heartbeat'),
      `heartbeats: ${ev.map((e) => e.event).join(',')}`,
    );
    const phases = ev.flatMap((e) => (e.data.type === 'progress' ? [e.data.phase] : []));
    assert.ok(phases.includes('solving') && phases.includes('auditing'), phases.join(','));
    const percents = ev.flatMap((e) => (e.data.type === 'progress' ? [e.data.percent] : []));
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'progress only moves forward',
    );
    assert.equal(ev.at(-1)!.data.type, 'complete');
  }

  it('runs left PENDING by a stopped sandbox are marked ERROR on the next start', async () => {
    const dbPath = sb.dbPath;
    const r = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('dispatcher'),
      body: { forecast: FORECAST, week: '2026-W15' },
    });
    await sb.solverIdle();
    // As if the process had died mid-solve.
    sb.db.prepare("UPDATE runs SET status = 'PENDING' WHERE run_id = ?").run(r.json.run_id);
    await sb.close();
    const again = await startSandbox({ dbPath, port: 0 });
    try {
      const g = await call(again, 'GET', `/api/v1/runs/${r.json.run_id}`, { auth: sb.key('dispatcher') });
      const d = S.RunDetail.parse(g.json);
      assert.equal(d.status, 'ERROR');
      assert.equal(d.error_code, 'ERR_SOLVE_001');
      assert.match(d.error_message ?? '', /interrupted/);
      const ev = await events(
        await fetch(`${again.url}/api/v1/runs/${r.json.run_id}/stream`, {
          headers: headers(sb.key('dispatcher')),
        }),
      );
      assert.equal(ev.length, 1);
      assert.equal(ev[0].event, 'error');
    } finally {
      await again.close();
    }
  });
});

describe('sandbox: solving in-process (no worker thread)', () => {
  let sb: TestSandbox;
  before(async () => {
    sb = await sandbox({ solver: { worker: false } });
  });
  after(async () => {
    await sb.stop();
  });

  it('still answers 202 first and stores the solved run', async () => {
    const r = await call(sb, 'POST', '/api/v1/runs', {
      auth: sb.key('dispatcher'),
      body: { forecast: FORECAST, week: '2026-W17' },
    });
    assert.equal(r.status, 202);
    assert.equal(r.json.status, 'PENDING');
    await sb.solverIdle();
    const d = S.RunDetail.parse(
      (await call(sb, 'GET', `/api/v1/runs/${r.json.run_id}`, { auth: sb.key('dispatcher') })).json,
    );
    assert.notEqual(d.status, 'PENDING');
    assert.equal(d.audit_results.length, 7);
  });
});
