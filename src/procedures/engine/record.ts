// A procedure run's record: every step with its outcome and duration, who, which environment, the
// server's audit events of the run's time window, and the procedure's own sections. Rendered as
// markdown for the records folder and for tickets ("Copy record as markdown"). No `vscode` here.
import { auditEventWords } from '../../shared/auditEventWords';
import type { AuditEntry } from '../../api/schemas';
import { neutralizeLinks } from '../../shared/markdown';
import type { StepRecord, StepStatus } from './engine';

export interface RecordSection {
  title: string;
  /** Markdown. */
  body: string;
}

export interface ProcedureRecord {
  /** 'SP-001' … or 'ROUTINE'. */
  procedure: string;
  /** The runbook's name: "SP-001 Health Check". */
  title: string;
  command: string;
  /** PASS, FAIL, BLOCKED, CANCELLED, ERROR, … */
  result: string;
  summary: string[];
  who: { email?: string; role?: string };
  environment: { name?: string; url?: string; tenant?: string; site?: string };
  startedAt: string;
  endedAt: string;
  ms: number;
  steps: StepRecord[];
  sections: RecordSection[];
  /** The server's audit events between start and end, or why they could not be read. */
  auditEvents: AuditEntry[] | { error: string };
  error?: { step: string; message: string };
  /** Subject of the procedure (run id, site) for the file name. */
  subject?: string;
}

const STATUS_MARK: Record<StepStatus, string> = {
  ok: 'OK',
  warn: 'WARN',
  fail: 'FAIL',
  blocked: 'BLOCKED',
  skipped: 'skipped',
  cancelled: 'cancelled',
  error: 'ERROR',
};

/** Escapes a value for one markdown table cell (server strings never render as links or images). */
export function cell(v: unknown): string {
  const s = v === undefined || v === null || v === '' ? '—' : String(v);
  return neutralizeLinks(s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|')).replace(/\r?\n/g, '<br>');
}

export function table(head: string[], rows: unknown[][]): string {
  const out = [`| ${head.map(cell).join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) out.push(`| ${r.map(cell).join(' | ')} |`);
  return out.join('\n');
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatRecordMarkdown(r: ProcedureRecord): string {
  const lines: string[] = [];
  lines.push(`# ${r.title} — ${r.result}`, '');
  const env = r.environment;
  lines.push(
    table(
      ['Field', 'Value'],
      [
        ['Procedure', `${r.procedure} (\`${r.command}\`)`],
        ['Result', `**${r.result}**`],
        ['Started', r.startedAt],
        ['Ended', r.endedAt],
        ['Duration', formatMs(r.ms)],
        [
          'Who',
          r.who.email ? `${r.who.email}${r.who.role ? ` (${r.who.role})` : ''}` : (r.who.role ?? 'unknown'),
        ],
        ['Environment', env.name ? `${env.name}${env.url ? ` (${env.url})` : ''}` : 'none'],
        ['Tenant / site', env.tenant || env.site ? `${env.tenant ?? '?'} / ${env.site ?? '?'}` : '—'],
      ],
    ),
    '',
  );
  if (r.summary.length) {
    lines.push('## Summary', '');
    for (const s of r.summary) lines.push(`- ${neutralizeLinks(s)}`);
    lines.push('');
  }
  if (r.error) {
    lines.push('## Stopped', '', neutralizeLinks(`Step **${r.error.step}** failed: ${r.error.message}`), '');
  }
  lines.push('## Steps', '');
  lines.push(
    table(
      ['#', 'Step', 'Outcome', 'Duration', 'Detail'],
      r.steps.map((s, i) => [
        i + 1,
        s.title,
        STATUS_MARK[s.status],
        formatMs(s.ms),
        `${s.detail}${s.answeredBy ? ` _(answer: ${s.answeredBy})_` : ''}`,
      ]),
    ),
    '',
  );
  for (const sec of r.sections) {
    lines.push(`## ${neutralizeLinks(sec.title)}`, '', neutralizeLinks(sec.body.trimEnd()), '');
  }
  lines.push('## Server audit events in this window', '');
  if (Array.isArray(r.auditEvents)) {
    lines.push(
      r.auditEvents.length
        ? table(
            ['Time', 'Event', 'User', 'Id'],
            r.auditEvents.map((e) => [e.created_at, auditEventWords(e.event_type), e.user_email, e.id]),
          )
        : '_None: this procedure wrote nothing to the audit trail._',
    );
  } else {
    lines.push(neutralizeLinks(`_Not available: ${r.auditEvents.error}_`));
  }
  lines.push('', `<!-- solvereign-record ${r.procedure} ${r.startedAt} -->`, '');
  return lines.join('\n');
}

/** `20260305-081500-sp-001-health-check-RUN-20260113-001.md` (UTC; sorts by time). */
export function recordFileName(r: Pick<ProcedureRecord, 'startedAt' | 'title' | 'subject'>): string {
  const t = r.startedAt.replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const slug = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
  const subject = r.subject ? `-${r.subject.replace(/[^A-Za-z0-9-]+/g, '-')}` : '';
  return `${t}-${slug(r.title)}${subject}.md`;
}

/** Entries in [from, to] (ISO strings compare in time order), newest last. */
export function inWindow<T extends { created_at: string }>(
  entries: readonly T[],
  from: string,
  to: string,
): T[] {
  return entries
    .filter((e) => e.created_at >= from && e.created_at <= to)
    .sort((a, b) => a.created_at.localeCompare(b.created_at));
}
