import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ServerCapabilities } from '../../../src/api/capabilities';
import type { Incident } from '../../../src/api/schemas';
import {
  criticalOpenCount,
  incidentDetailRows,
  incidentRefFromArg,
  incidentRow,
  loadServerIncidents,
  loadWorkspaceIncidents,
  sortIncidents,
} from '../../../src/views/incidents/incidentsModel';
import { capabilityRow } from '../../../src/views/sites/sitesModel';
import { RefreshScheduler, type Timers } from '../../../src/views/refreshScheduler';
import { statusBarView } from '../../../src/views/statusBarModel';

const T0 = Date.parse('2026-01-14T10:00:00.000Z');
const MIN = 60_000;

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'INC-20260114-ABC123',
    type: 'stability',
    severity: 'S1',
    status: 'new',
    tenant_id: 'lts',
    summary: 'Lock broken',
    created_at: new Date(T0).toISOString(),
    updated_at: null,
    resolved_at: null,
    assigned_to: null,
    root_cause: null,
    evidence: [],
    timeline: [{ timestamp: new Date(T0).toISOString(), action: 'Incident created', actor: 'a@b' }],
    ...over,
  };
}

describe('incidentsModel', () => {
  it('sorts active before closed, then by severity, then newest first', () => {
    const list = [
      incident({ id: 'INC-20260114-AAAAA1', severity: 'S3' }),
      incident({ id: 'INC-20260114-AAAAA2', severity: 'S0', status: 'resolved' }),
      incident({ id: 'INC-20260114-AAAAA3', severity: 'S1', created_at: '2026-01-13T00:00:00Z' }),
      incident({ id: 'INC-20260114-AAAAA4', severity: 'S1', created_at: '2026-01-14T00:00:00Z' }),
    ];
    assert.deepEqual(
      sortIncidents(list).map((i) => i.id.slice(-1)),
      ['4', '3', '1', '2'],
    );
  });

  it('counts open S0/S1 of both sources for the badge', () => {
    const snap = {
      loadedAt: new Date(T0),
      server: {
        source: 'server' as const,
        incidents: [incident({ severity: 'S0' }), incident({ severity: 'S2' })],
      },
      workspace: {
        source: 'workspace' as const,
        incidents: [incident(), incident({ status: 'mitigated' }), incident({ status: 'resolved' })],
      },
    };
    assert.equal(criticalOpenCount(snap), 2);
    assert.equal(criticalOpenCount(undefined), 0);
  });

  it('describes an incident with status, SLA countdown and the next escalation', () => {
    const row = incidentRow(incident(), new Date(T0 + 20 * MIN));
    assert.equal(row.label, 'S1 Lock broken');
    assert.equal(row.description, 'new · response SLA 1h 40m left · → Platform Lead in 10m');
    assert.match(
      row.tooltip,
      /L3 SLA: respond by 2026-01-14T12:00:00.000Z, resolve by 2026-01-15T10:00:00.000Z/,
    );
    const closed = incidentRow(incident({ status: 'resolved' }), new Date(T0));
    assert.equal(closed.description, 'resolved');
  });

  it('lists details: SLA, first contact, escalation, assignee and the timeline newest first', () => {
    const rows = incidentDetailRows(
      incident({
        timeline: [
          { timestamp: '2026-01-14T10:00:00.000Z', action: 'Incident created', actor: null },
          { timestamp: '2026-01-14T10:05:00Z', action: 'Paged on-call', actor: 'me@x' },
        ],
      }),
      new Date(T0 + 31 * MIN),
    );
    const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
    assert.equal(byId.escalation.label, 'Escalated');
    assert.equal(byId.escalation.level, 'error');
    assert.match(byId.escalation.description, /to Platform Lead <platform@company\.com> \(since 1m\)/);
    assert.equal(byId['first-contact'].description, 'On-call (Platform Lead) <platform@company.com>');
    assert.deepEqual(
      rows.filter((r) => r.id.startsWith('timeline-')).map((r) => [r.label, r.description]),
      [
        ['2026-01-14 10:05:00', 'Paged on-call — me@x'],
        ['2026-01-14 10:00:00', 'Incident created'],
      ],
    );
  });

  it('reads command arguments for an incident', () => {
    assert.deepEqual(incidentRefFromArg('INC-20260114-ABC123'), { id: 'INC-20260114-ABC123' });
    assert.deepEqual(incidentRefFromArg({ kind: 'incident', source: 'server', incident: incident() }), {
      source: 'server',
      id: 'INC-20260114-ABC123',
    });
    assert.deepEqual(incidentRefFromArg({ source: 'workspace', id: 'INC-1' }), {
      source: 'workspace',
      id: 'INC-1',
    });
    assert.equal(incidentRefFromArg('RUN-1'), undefined);
    assert.equal(incidentRefFromArg(42), undefined);
  });

  it('loads the server source: unsupported endpoint, errors and no client become states, not throws', async () => {
    const ok = await loadServerIncidents({ incidents: async () => ({ incidents: [incident()] }) }, '');
    assert.equal(ok.incidents.length, 1);
    const unsupported = await loadServerIncidents(
      {
        incidents: async () => {
          throw Object.assign(new Error('404'), { kind: 'unsupported', fallback: 'Use the workspace file' });
        },
      },
      '',
    );
    assert.match(unsupported.unsupported ?? '', /no incidents endpoint\. Use the workspace file/);
    const down = await loadServerIncidents(
      {
        incidents: async () => {
          throw new Error('ERR_DB_001 Connection failed');
        },
      },
      '',
    );
    assert.match(down.error ?? '', /ERR_DB_001/);
    const none = await loadServerIncidents(undefined, 'Not signed in');
    assert.equal(none.unavailable, 'Not signed in');
  });

  it('loads the workspace source and marks an unparseable file as broken', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'sv-ws-'));
    try {
      const file = path.join(dir, '.claude', 'state', 'active-incidents.json');
      assert.deepEqual((await loadWorkspaceIncidents(file)).incidents, []);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, '{ nope');
      const broken = await loadWorkspaceIncidents(file);
      assert.equal(broken.broken, true);
      assert.match(broken.error ?? '', /not valid JSON/);
      assert.match((await loadWorkspaceIncidents(undefined)).unavailable ?? '', /Open a folder/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('statusBarModel', () => {
  const base = { environment: 'Local sandbox', tenant: 'lts', site: 'wien', criticalOpen: 0 };
  it('shows environment · site · health', () => {
    const v = statusBarView({ ...base, state: 'ready', health: 'healthy', killSwitchActive: false });
    assert.equal(v.text, '$(pulse) Local sandbox · lts/wien · healthy');
    assert.equal(v.warning, false);
    assert.match(v.tooltip, /Click: SOLVEREIGN procedures/);
  });
  it('puts the most urgent state first: KILL SWITCH ACTIVE (error), then open S0/S1, then health', () => {
    const kill = statusBarView({
      ...base,
      state: 'ready',
      health: 'healthy',
      killSwitchActive: true,
      killSwitchMode: 'drill',
    });
    assert.equal(kill.warning, true);
    assert.equal(kill.level, 'error');
    assert.equal(kill.text, '$(error) KILL SWITCH ACTIVE · Local sandbox · lts/wien · healthy');
    assert.match(kill.tooltip, /Kill switch ACTIVE \(drill\)/);
    const s1 = statusBarView({ ...base, state: 'ready', health: 'healthy', criticalOpen: 1 });
    assert.equal(s1.level, 'warning');
    assert.equal(s1.text, '$(warning) S1 open · Local sandbox · lts/wien · healthy');
    const two = statusBarView({ ...base, state: 'ready', health: 'healthy', criticalOpen: 2, s0Open: 1 });
    assert.equal(two.level, 'error');
    assert.match(two.text, /^\$\(error\) 2 S0\/S1 open · /);
    const both = statusBarView({
      ...base,
      state: 'ready',
      health: 'degraded',
      killSwitchActive: true,
      criticalOpen: 1,
    });
    assert.equal(both.text, '$(error) KILL SWITCH ACTIVE · S1 open · Local sandbox · lts/wien · degraded');
    const unhealthy = statusBarView({ ...base, state: 'ready', health: 'degraded' });
    assert.equal(unhealthy.level, 'warning');
    assert.equal(unhealthy.text, '$(warning) Local sandbox · lts/wien · degraded');
  });
  it('names the connection state when not connected', () => {
    assert.equal(
      statusBarView({ ...base, state: 'signedOut' }).text,
      '$(debug-disconnect) Local sandbox · lts/wien · signed out',
    );
    assert.match(statusBarView({ ...base, state: 'sandboxStopped' }).text, /sandbox stopped$/);
    assert.match(statusBarView({ ...base, state: 'ready', healthError: 'timeout' }).text, /health unknown$/);
  });
});

describe('RefreshScheduler', () => {
  /** Manual timers: `tick(ms)` runs what is due. */
  function fakeTimers() {
    let now = 0;
    let next = 1;
    const tasks = new Map<number, { at: number; fn: () => void; every?: number }>();
    const timers: Timers = {
      setTimeout: (fn, ms) => {
        tasks.set(next, { at: now + ms, fn });
        return next++;
      },
      clearTimeout: (h) => void tasks.delete(h as number),
      setInterval: (fn, ms) => {
        tasks.set(next, { at: now + ms, fn, every: ms });
        return next++;
      },
      clearInterval: (h) => void tasks.delete(h as number),
    };
    const tick = async (ms: number) => {
      const end = now + ms;
      for (;;) {
        const due = [...tasks.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        const [id, t] = due;
        now = t.at;
        if (t.every) t.at += t.every;
        else tasks.delete(id);
        t.fn();
        await new Promise((r) => setImmediate(r));
      }
      now = end;
    };
    return { timers, tick, pending: () => tasks.size };
  }

  it('debounces a burst of requests into one refresh', async () => {
    const { timers, tick } = fakeTimers();
    let runs = 0;
    const s = new RefreshScheduler(async () => void runs++, 250, timers);
    const done = Promise.all([s.request(), s.request(), s.request()]);
    await tick(249);
    assert.equal(runs, 0);
    await tick(1);
    await done;
    assert.equal(runs, 1);
  });

  it('refreshes periodically only while visible', async () => {
    const { timers, tick, pending } = fakeTimers();
    let runs = 0;
    const s = new RefreshScheduler(async () => void runs++, 10, timers);
    s.setInterval(60);
    assert.equal(s.periodic, false, 'hidden: no timer');
    s.setVisible(true); // becoming visible refreshes once
    await tick(10);
    assert.equal(runs, 1);
    await tick(120_000);
    assert.equal(runs, 3);
    s.setVisible(false);
    assert.equal(s.periodic, false);
    await tick(600_000);
    assert.equal(runs, 3);
    s.setVisible(true);
    s.setInterval(0);
    await tick(600_000);
    assert.equal(runs, 4, 'only the refresh for becoming visible');
    s.dispose();
    assert.equal(pending(), 0);
  });

  it('runs one refresh at a time and queues one more for requests during a run', async () => {
    const { timers } = fakeTimers();
    let active = 0;
    let maxActive = 0;
    let runs = 0;
    let release: () => void = () => {};
    const s = new RefreshScheduler(
      async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        runs++;
        await new Promise<void>((r) => {
          release = r;
        });
        active--;
      },
      10,
      timers,
    );
    const first = s.now();
    const second = s.now();
    const third = s.now();
    release();
    await first;
    await new Promise((r) => setImmediate(r));
    release();
    await Promise.all([second, third]);
    await new Promise((r) => setImmediate(r));
    assert.equal(maxActive, 1);
    assert.equal(runs, 2);
  });
});

describe('sitesModel: the server capabilities row', () => {
  const caps = (offered: boolean): ServerCapabilities => ({
    server: 'http://127.0.0.1:8765',
    offered: {
      killSwitch: offered,
      fireDrills: offered,
      drift: offered,
      driftBaseline: offered,
      incidents: offered,
      sessionRefresh: offered,
      solve: true,
      offsetPaging: offered,
    },
    auth: offered ? 'bearer' : 'none',
    kind: offered ? 'ops' : 'live cockpit',
    detectedAt: '2026-11-30T16:00:00.000Z',
    unknown: [],
  });

  it('live: "live cockpit · kill switch: by CLI on the server", the tooltip lists each missing endpoint and its fallback', () => {
    const row = capabilityRow('env1', caps(false));
    assert.equal(row.id, 'env1/capabilities');
    assert.match(row.description, /^live cockpit · kill switch: by CLI on the server/);
    const tip = row.tooltip!;
    assert.match(tip, /Not offered by this server:/);
    assert.match(
      tip,
      /the kill switch over HTTP: instead: python backend_py\/api\/services\/publish_gate\.py kill-switch .* \(on the server\); live's switch is global/,
    );
    assert.match(
      tip,
      /the KPI drift check \(SP-004\): instead: python -m backend_py\.skills\.kpi_drift check/,
    );
    assert.match(
      tip,
      /server incidents: instead: the workspace file \.claude\/state\/active-incidents\.json/,
    );
    assert.match(tip, /paging runs with offset: runs are read by raising limit/);
    assert.doesNotMatch(tip, /solving a forecast/, 'an offered capability is not listed as missing');
  });

  it('a server with every [ops] endpoint: "ops · kill switch: over HTTP", nothing listed as missing', () => {
    const row = capabilityRow('env1', caps(true));
    assert.match(row.description, /^ops · kill switch: over HTTP/);
    assert.equal(row.level, 'ok');
    assert.doesNotMatch(row.tooltip!, /Not offered/);
    assert.match(row.tooltip!, /Every \[ops\] endpoint is offered/);
  });
});
