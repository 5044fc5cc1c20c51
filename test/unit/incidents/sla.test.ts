import assert from 'node:assert/strict';
import type { Incident } from '../../../src/api/schemas';
import {
  DEFAULT_CONTACTS,
  isPlaceholderContact,
  type Party,
  describeSla,
  ESCALATION_MATRIX,
  formatDuration,
  incidentEvents,
  isoWeek,
  onCall,
  parseContacts,
  resolveParty,
  SEVERITY_TIER,
  type SourcedIncident,
  slaStatus,
  TIERS,
} from '../../../src/incidents/sla';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-01-14T10:00:00.000Z'); // a Wednesday, ISO week 3 (odd)
const at = (ms: number) => new Date(T0 + ms);

function incident(over: Partial<Incident> = {}): Incident {
  return {
    id: 'INC-20260114-ABC123',
    type: 'stability',
    severity: 'S1',
    status: 'new',
    tenant_id: 'lts',
    summary: 'Solver fails for wien',
    created_at: new Date(T0).toISOString(),
    updated_at: null,
    resolved_at: null,
    assigned_to: null,
    root_cause: null,
    evidence: [],
    timeline: [],
    ...over,
  };
}

describe('sla: the runbook tables', () => {
  it('has the three tiers with their response and resolution SLAs', () => {
    assert.deepEqual(
      Object.values(TIERS).map((t) => [t.tier, t.responseMs / MIN, t.resolutionMs / HOUR]),
      [
        ['L1', 15, 4],
        ['L2', 60, 8],
        ['L3', 120, 24],
      ],
    );
  });
  it('has the escalation matrix per severity', () => {
    assert.deepEqual(
      Object.values(ESCALATION_MATRIX).map((r) => [
        r.severity,
        r.firstContact,
        r.escalateAfterMs / MIN,
        r.escalateTo,
      ]),
      [
        ['S0', 'On-call', 5, 'CTO'],
        ['S1', 'On-call', 30, 'Platform Lead'],
        ['S2', 'On-call', 120, 'L3 Queue'],
        ['S3', 'Support Queue', 480, 'L2 Queue'],
      ],
    );
  });
  it('maps severities to tiers following the severity table', () => {
    assert.deepEqual(SEVERITY_TIER, { S0: 'L1', S1: 'L3', S2: 'L2', S3: 'L1' });
  });
});

describe('sla: escalation at the edges', () => {
  it('an S1 escalates to the Platform Lead exactly at 30 min, not a millisecond before', () => {
    const before = slaStatus(incident(), at(30 * MIN - 1));
    assert.equal(before.escalation.due, false);
    assert.equal(before.escalation.inMs, 1);
    assert.equal(before.escalation.to.role, 'Platform Lead');
    const exactly = slaStatus(incident(), at(30 * MIN));
    assert.equal(exactly.escalation.due, true);
    assert.equal(exactly.escalation.inMs, 0);
    assert.equal(exactly.escalation.at.toISOString(), '2026-01-14T10:30:00.000Z');
  });
  it('an S0 goes to the CTO at 5 min', () => {
    const s = incident({ severity: 'S0' });
    assert.equal(slaStatus(s, at(5 * MIN - 1)).escalation.due, false);
    assert.equal(slaStatus(s, at(5 * MIN)).escalation.due, true);
    assert.equal(slaStatus(s, at(0)).escalation.to.role, 'CTO');
  });
  it('an S2 goes to the L3 queue at 2 h, an S3 to the L2 queue at 8 h', () => {
    assert.equal(slaStatus(incident({ severity: 'S2' }), at(2 * HOUR - 1)).escalation.due, false);
    assert.equal(slaStatus(incident({ severity: 'S2' }), at(2 * HOUR)).escalation.due, true);
    assert.equal(slaStatus(incident({ severity: 'S3' }), at(8 * HOUR - 1)).escalation.due, false);
    const s3 = slaStatus(incident({ severity: 'S3' }), at(8 * HOUR));
    assert.equal(s3.escalation.due, true);
    assert.equal(s3.escalation.to.role, 'L2 Queue');
    assert.equal(s3.firstContact.role, 'Support Queue');
  });
  it('a resolved or mitigated incident never escalates', () => {
    for (const status of ['resolved', 'mitigated', 'stale'] as const) {
      const s = slaStatus(incident({ status }), at(10 * HOUR));
      assert.equal(s.escalation.due, false, status);
      assert.equal(s.phase, 'closed');
      assert.equal(s.breached, false);
    }
  });
});

describe('sla: response and resolution clocks', () => {
  it('runs the response clock while the incident is new; at the deadline it is still met', () => {
    const s3 = incident({ severity: 'S3' }); // L1: 15 min response
    const exactly = slaStatus(s3, at(15 * MIN));
    assert.equal(exactly.phase, 'response');
    assert.equal(exactly.remainingMs, 0);
    assert.equal(exactly.breached, false);
    assert.equal(slaStatus(s3, at(15 * MIN + 1)).breached, true);
  });
  it('switches to the resolution clock once someone took it', () => {
    const s = slaStatus(incident({ severity: 'S2', status: 'investigating' }), at(7 * HOUR));
    assert.equal(s.phase, 'resolution');
    assert.equal(s.tier.tier, 'L2');
    assert.equal(s.remainingMs, 1 * HOUR);
    assert.equal(s.breached, false);
    assert.equal(slaStatus(incident({ severity: 'S2', status: 'active' }), at(8 * HOUR + 1)).breached, true);
  });
  it('an S1 gets L3 clocks (2 h response, 24 h resolution)', () => {
    const s = slaStatus(incident(), at(0));
    assert.equal(s.responseDueAt.getTime() - T0, 2 * HOUR);
    assert.equal(s.resolutionDueAt.getTime() - T0, 24 * HOUR);
  });
  it('tiers can be overridden per severity', () => {
    const s = slaStatus(incident(), at(0), { tiers: { S1: 'L1' } });
    assert.equal(s.tier.tier, 'L1');
  });
  it('describes the clocks for a tree row', () => {
    const d = describeSla(slaStatus(incident(), at(20 * MIN)));
    assert.equal(d.sla, 'response SLA 1h 40m left');
    assert.equal(d.escalation, '→ Platform Lead in 10m');
    const late = describeSla(slaStatus(incident({ severity: 'S3' }), at(16 * MIN)));
    assert.equal(late.sla, 'response SLA BREACHED (overdue 1m)');
    assert.equal(describeSla(slaStatus(incident({ status: 'resolved' }), at(0))).sla, 'SLA stopped');
  });
  it('formats durations', () => {
    assert.equal(formatDuration(45_000), '45s');
    assert.equal(formatDuration(12 * MIN + 59_999), '12m');
    assert.equal(formatDuration(4 * HOUR + 5 * MIN), '4h 05m');
    assert.equal(formatDuration(26 * HOUR), '1d 2h');
    assert.equal(formatDuration(-5 * MIN), 'overdue 5m');
  });
});

describe('sla: ISO weeks and the on-call rotation', () => {
  const week = (iso: string, tz = 'UTC') => {
    const w = isoWeek(new Date(iso), tz);
    return `${w.year}-W${w.week}`;
  };
  it('computes ISO weeks around the year end (52, 53, 1)', () => {
    assert.equal(week('2025-12-28T12:00:00Z'), '2025-W52'); // Sunday
    assert.equal(week('2025-12-29T12:00:00Z'), '2026-W1'); // Monday: 2026's week 1 starts in December
    assert.equal(week('2026-12-31T12:00:00Z'), '2026-W53'); // 2026 starts on a Thursday: 53 weeks
    assert.equal(week('2027-01-03T12:00:00Z'), '2026-W53'); // Sunday still in 2026-W53
    assert.equal(week('2027-01-04T12:00:00Z'), '2027-W1');
    assert.equal(week('2021-01-03T12:00:00Z'), '2020-W53');
  });
  it('uses the team time zone for the Monday boundary', () => {
    // 23:30 UTC on Sunday is already Monday 00:30 in Vienna.
    assert.equal(week('2025-12-28T23:30:00Z', 'UTC'), '2025-W52');
    assert.equal(week('2025-12-28T23:30:00Z', 'Europe/Vienna'), '2026-W1');
  });
  it('odd weeks: Platform Lead primary, Backend Dev backup; even weeks swapped', () => {
    const w52 = onCall(new Date('2025-12-24T12:00:00Z'));
    assert.deepEqual([w52.week.week, w52.primary, w52.backup], [52, 'Backend Dev', 'Platform Lead']);
    const w53 = onCall(new Date('2026-12-30T12:00:00Z'));
    assert.deepEqual([w53.week.week, w53.primary, w53.backup], [53, 'Platform Lead', 'Backend Dev']);
    // Week 53 and week 1 are both odd: the Platform Lead stays primary for two weeks.
    const w1 = onCall(new Date('2027-01-05T12:00:00Z'));
    assert.deepEqual([w1.week.week, w1.primary], [1, 'Platform Lead']);
  });
  it('resolves "On-call" to the week\'s primary and its contact', () => {
    const odd = resolveParty('On-call', new Date('2026-01-14T10:00:00Z'), DEFAULT_CONTACTS);
    assert.equal(odd.role, 'Platform Lead');
    assert.equal(odd.label, 'On-call (Platform Lead) <platform@company.com>');
    const even = resolveParty('On-call', new Date('2026-01-21T10:00:00Z'), DEFAULT_CONTACTS);
    assert.equal(even.role, 'Backend Dev');
    assert.equal(even.label, 'On-call (Backend Dev) <backend-dev@company.com>');
    const none = resolveParty('On-call', new Date('2026-01-21T10:00:00Z'), [
      { role: 'Platform Lead', email: 'p@x.at' },
    ]);
    assert.match(none.label, /no contact in solvereign\.contacts/);
  });
});

describe('sla: contact directory', () => {
  it('has a contact for every party of the escalation matrix and the on-call rotation', () => {
    const parties: Party[] = ['On-call', 'CTO', 'Platform Lead', 'L3 Queue', 'L2 Queue', 'Support Queue'];
    for (const week of ['2026-01-14T10:00:00Z', '2026-01-21T10:00:00Z']) {
      for (const p of parties) {
        const r = resolveParty(p, new Date(week), DEFAULT_CONTACTS);
        assert.doesNotMatch(r.label, /no contact/, `${p} in the week of ${week}`);
        assert.ok(
          r.contact && isPlaceholderContact(r.contact) === /@company\.com/.test(r.contact.email ?? ''),
        );
      }
    }
  });

  it('defaults to the runbook directory', () => {
    assert.deepEqual(
      parseContacts(undefined).map((c) => [c.role, c.email]),
      [
        ['Platform Lead', 'platform@company.com'],
        ['Ops Lead', 'ops@lts-transport.at'],
        ['Dispatcher', 'dispatch@lts-transport.at'],
        ['Support Queue', 'support@company.com'],
        ['Backend Dev', 'backend-dev@company.com'],
        ['CTO', 'cto@company.com'],
        ['L2 Queue', 'l2-queue@company.com'],
        ['L3 Queue', 'l3-queue@company.com'],
      ],
    );
  });
  it('reads valid rows from the setting and drops the rest', () => {
    const c = parseContacts([
      { role: 'CTO', primary: 'Eva', email: 'cto@company.com' },
      { email: 'no-role@x' },
      'junk',
    ]);
    assert.equal(c.length, 1);
    const cto = resolveParty('CTO', new Date(T0), c);
    assert.equal(cto.label, 'Eva, CTO <cto@company.com>');
  });
});

describe('sla: notifications only on transitions', () => {
  const src = (i: Incident, source: 'server' | 'workspace' = 'workspace'): SourcedIncident => ({
    source,
    incident: i,
  });

  it('announces a new S1 once, its escalation once at 30 min, and nothing again', () => {
    const list = [src(incident())];
    let r = incidentEvents(list, at(1 * MIN), new Set());
    assert.deepEqual(
      r.events.map((e) => e.kind),
      ['critical'],
    );
    r = incidentEvents(list, at(2 * MIN), r.notified);
    assert.equal(r.events.length, 0);
    r = incidentEvents(list, at(30 * MIN - 1), r.notified);
    assert.equal(r.events.length, 0);
    r = incidentEvents(list, at(30 * MIN), r.notified);
    assert.deepEqual(
      r.events.map((e) => e.kind),
      ['escalation'],
    );
    assert.match(r.events[0].message, /Platform Lead/);
    r = incidentEvents(list, at(31 * MIN), r.notified);
    assert.equal(r.events.length, 0);
  });
  it('announces an SLA breach once', () => {
    const list = [src(incident({ severity: 'S3' }))];
    let r = incidentEvents(list, at(15 * MIN), new Set());
    assert.equal(r.events.length, 0);
    r = incidentEvents(list, at(16 * MIN), r.notified);
    assert.deepEqual(
      r.events.map((e) => e.kind),
      ['breach'],
    );
    assert.match(r.events[0].message, /L1 response SLA \(15m\)/);
    r = incidentEvents(list, at(17 * MIN), r.notified);
    assert.equal(r.events.length, 0);
  });
  it('announces an incident raised from S2 to S1, and ignores closed ones', () => {
    let r = incidentEvents([src(incident({ severity: 'S2' }))], at(0), new Set());
    assert.equal(r.events.length, 0);
    r = incidentEvents([src(incident({ severity: 'S1' }))], at(1000), r.notified);
    assert.deepEqual(
      r.events.map((e) => e.kind),
      ['critical'],
    );
    const closed = incidentEvents(
      [src(incident({ severity: 'S0', status: 'resolved' }))],
      at(HOUR),
      new Set(),
    );
    assert.equal(closed.events.length, 0);
  });
  it('tells the same id from two sources apart and forgets incidents that are gone', () => {
    const i = incident();
    const r = incidentEvents([src(i, 'server'), src(i, 'workspace')], at(0), new Set());
    assert.equal(r.events.length, 2);
    const gone = incidentEvents([src(i, 'server')], at(0), r.notified);
    assert.equal(gone.events.length, 0);
    assert.ok([...gone.notified].every((k) => k.startsWith('server:')));
  });
});
