// Plain-text tables for people; `--json` output is written as-is elsewhere.

export function table(rows: Record<string, unknown>[], columns?: string[]): string {
  if (rows.length === 0) return '(none)';
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const cells = rows.map((r) => cols.map((c) => cell(r[c])));
  const widths = cols.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]?.length ?? 0)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    line(cols.map((c) => c.toUpperCase())),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.map(line),
  ].join('\n');
}

export function keyValues(pairs: [string, unknown][]): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `${k.padEnd(width)}  ${cell(v)}`).join('\n');
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(2);
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

const useColor = process.stdout.isTTY && !process.env.NO_COLOR;
export function verdictColor(text: string): string {
  if (!useColor) return text;
  if (/PASS|OK|healthy|PUBLISHED|LOCKED/.test(text)) return `\x1b[32m${text}\x1b[0m`;
  if (/WARN/.test(text)) return `\x1b[33m${text}\x1b[0m`;
  if (/FAIL|ERROR|BLOCK/.test(text)) return `\x1b[31m${text}\x1b[0m`;
  return text;
}

/** One line for an audit's details: its message, else the start of its JSON. */
export function summarizeDetails(d: unknown): string {
  if (!d) return '';
  if (typeof d === 'string') return d;
  if (
    typeof d === 'object' &&
    d &&
    'message' in d &&
    typeof (d as { message: unknown }).message === 'string'
  ) {
    // Live's free-form details name drivers or tours beside the message: show them too.
    const o = d as Record<string, unknown>;
    const named = ['drivers', 'tours', 'driver_ids', 'tour_ids']
      .filter((k) => Array.isArray(o[k]) && (o[k] as unknown[]).length > 0)
      .map((k) => {
        const list = o[k] as unknown[];
        return `${k}: ${list.slice(0, 8).join(', ')}${list.length > 8 ? ', …' : ''}`;
      });
    return [o.message as string, ...named].join('; ');
  }
  return JSON.stringify(d).slice(0, 80);
}

/** An audit's details for the table; a FAIL with violations never reads as "no findings". */
export function auditDetailsText(a: { violation_count: number; details?: unknown }): string {
  const text = summarizeDetails(a.details);
  const v =
    a.details && typeof a.details === 'object'
      ? (a.details as { violations?: unknown }).violations
      : undefined;
  const itemised = Array.isArray(v) && v.length > 0;
  if (a.violation_count > 0 && !itemised && !text)
    return `${a.violation_count} violation${a.violation_count === 1 ? '' : 's'}, not itemised by this server`;
  return text;
}
