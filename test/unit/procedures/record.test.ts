import assert from 'node:assert/strict';
import { renderMarkdown } from '../../support/renderMarkdown';
import type { AuditEntry } from '../../../src/api/schemas';
import {
  cell,
  formatMs,
  formatRecordMarkdown,
  inWindow,
  type ProcedureRecord,
  recordFileName,
  table,
} from '../../../src/procedures/engine/record';

const base: ProcedureRecord = {
  procedure: 'SP-003',
  title: 'SP-003 Publish Run',
  command: 'solvereign.sp003.publishRun',
  result: 'BLOCKED',
  summary: ['AUDIT_GATE_FAIL: Overlap FAIL'],
  who: { email: 'dispatcher@lts.demo', role: 'dispatcher' },
  environment: { name: 'Local sandbox', url: 'http://127.0.0.1:8765', tenant: 'lts', site: 'wien' },
  startedAt: '2026-03-05T08:15:00.123Z',
  endedAt: '2026-03-05T08:15:01.000Z',
  ms: 877,
  steps: [
    {
      id: 'audits',
      title: 'Check audits',
      status: 'fail',
      detail: 'Overlap FAIL | 3 violations\nsecond line',
      startedAt: '2026-03-05T08:15:00.200Z',
      ms: 12,
    },
    {
      id: 'reason',
      title: 'Reason',
      status: 'ok',
      detail: 'weekly plan',
      startedAt: '2026-03-05T08:15:00.300Z',
      ms: 0,
      answeredBy: 'argument',
    },
  ],
  sections: [{ title: 'Audits', body: '| a | b |' }],
  auditEvents: [
    {
      id: 7,
      event_type: 'RUN_PUBLISH_BLOCKED',
      user_email: 'dispatcher@lts.demo',
      created_at: '2026-03-05T08:15:00.500Z',
    },
  ],
  subject: 'RUN-20260305-001',
};

describe('procedures: records', () => {
  it('renders who, where, every step with outcome and duration, sections and audit events', () => {
    const md = formatRecordMarkdown(base);
    assert.match(md, /^# SP-003 Publish Run — BLOCKED/);
    assert.match(md, /\| Who \| dispatcher\\@lts\\\.demo \(dispatcher\) \|/);
    assert.match(md, /\| Environment \| Local sandbox \(http\\:\/\/127\\\.0\\\.0\\\.1:8765\) \|/);
    assert.match(md, /\| Tenant \/ site \| lts \/ wien \|/);
    assert.match(
      md,
      /\| 1 \| Check audits \| FAIL \| 12 ms \| Overlap FAIL \\\| 3 violations<br>second line \|/,
    );
    assert.match(md, /\| 2 \| Reason \| OK \| 0 ms \| weekly plan _\(answer: argument\)_ \|/);
    assert.match(md, /## Audits\n\n\| a \| b \|/);
    assert.match(
      md,
      /\| 2026-03-05T08:15:00\\\.500Z \| run publish blocked \| dispatcher\\@lts\\\.demo \| 7 \|/,
    );
    assert.match(md, /- AUDIT_GATE_FAIL: Overlap FAIL/);
  });

  it('never renders server strings as links, images or HTML (markdown-it with linkify)', () => {
    const evil =
      'see [click](https://evil.example/x) ![img](http://evil.example/i.png) <img src=x> www.evil.example';
    const md = formatRecordMarkdown({
      ...base,
      summary: [evil],
      steps: [{ ...base.steps[0], detail: evil }],
      sections: [{ title: 'Server said', body: `${evil}\n\n\\[x\\](https://evil.example)` }],
      auditEvents: [{ ...(base.auditEvents as AuditEntry[])[0], user_email: evil }],
      error: { step: 'Publish', message: evil },
    });
    const html = renderMarkdown(md);
    assert.doesNotMatch(html, /<a |<img/);
    // The text itself is still all there, readable.
    assert.match(html, /see \[click\]\(https:\/\/evil\.example\/x\)/);
  });

  it('says why audit events are missing and where a run stopped', () => {
    const md = formatRecordMarkdown({
      ...base,
      auditEvents: { error: 'no audit endpoint' },
      error: { step: 'Publish', message: 'HTTP 500' },
    });
    assert.match(md, /_Not available: no audit endpoint_/);
    assert.match(md, /Step \*\*Publish\*\* failed: HTTP 500/);
    assert.match(formatRecordMarkdown({ ...base, auditEvents: [] }), /_None: this procedure wrote nothing/);
  });

  it('names files by UTC time, procedure and subject so they sort', () => {
    assert.equal(recordFileName(base), '20260305-081500-sp-003-publish-run-RUN-20260305-001.md');
    assert.equal(
      recordFileName({ ...base, subject: undefined, title: 'Daily Status' }),
      '20260305-081500-daily-status.md',
    );
  });

  it('escapes table cells and formats durations', () => {
    assert.equal(cell(null), '—');
    assert.equal(cell('a|b'), 'a\\|b');
    assert.equal(table(['x'], [[1]]), '| x |\n| --- |\n| 1 |');
    assert.equal(formatMs(12.4), '12 ms');
    assert.equal(formatMs(1234), '1.23 s');
    assert.equal(formatMs(75_000), '1 min 15 s');
  });

  it('keeps the audit entries of the window, oldest first', () => {
    const e = (t: string) => ({ created_at: t });
    assert.deepEqual(
      inWindow(
        [e('2026-01-01T00:00:03Z'), e('2026-01-01T00:00:01Z'), e('2026-01-01T00:00:09Z')],
        '2026-01-01T00:00:00Z',
        '2026-01-01T00:00:05Z',
      ),
      [e('2026-01-01T00:00:01Z'), e('2026-01-01T00:00:03Z')],
    );
  });
});
