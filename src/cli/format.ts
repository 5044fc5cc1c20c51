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
    return (d as { message: string }).message;
  }
  return JSON.stringify(d).slice(0, 80);
}
